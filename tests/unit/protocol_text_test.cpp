// UTF-8 rules and the encoder's timestamps and shapes.
#include <catch2/catch.hpp>
#include <cstdio>
#include <ctime>
#include <nlohmann/json.hpp>
#include <random>

#include "protocol/encoder.hpp"
#include "protocol/event_encoder.hpp"
#include "protocol/utf8.hpp"

using namespace staffroom::protocol;

TEST_CASE("utf8_length counts code points and refuses invalid UTF-8", "[protocol]") {
  struct Case {
    std::string text;
    std::optional<std::size_t> length;
  };
  const Case cases[] = {
      {"", 0},
      {"abc", 3},
      {"é", 1},
      {"日本", 2},
      {"\xF0\x9F\x98\x80", 1},             // emoji
      {"\xC3", std::nullopt},              // truncated
      {"\xC0\xAF", std::nullopt},          // overlong '/'
      {"\xED\xA0\x80", std::nullopt},      // surrogate
      {"\xF4\x90\x80\x80", std::nullopt},  // above U+10FFFF
      {"\x80", std::nullopt},
  };
  for (const auto& c : cases) {
    INFO(c.text);
    CHECK(utf8_length(c.text) == c.length);
  }
  CHECK(has_control_characters("a\x01", true));
  CHECK_FALSE(has_control_characters("a\nb\tc", true));
  CHECK(has_control_characters("a\nb", false));
  CHECK(has_control_characters("\xC2\x85", true));  // NEL, a C1 control
  CHECK(is_blank(" \n\t"));
  CHECK_FALSE(is_blank(" x "));
}

namespace {

// Byte-at-a-time answers, for checking the word-at-a-time scans against.
bool control_reference(const std::string& text, bool allow_newlines) {
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c == '\t' || ((c == '\n' || c == '\r') && allow_newlines)) continue;
    if (c < 0x20 || c == 0x7F) return true;
    if (c == 0xC2 && i + 1 < text.size()) {
      const auto next = static_cast<unsigned char>(text[i + 1]);
      if (next >= 0x80 && next <= 0x9F) return true;
    }
  }
  return false;
}

}  // namespace

TEST_CASE("the UTF-8 scans give the same answer wherever a byte falls in a word", "[protocol]") {
  // utf8_length and has_control_characters skip eight ASCII bytes at a time: put each kind of
  // byte at every offset of the first three words and check the count and the verdicts.
  struct Special {
    std::string bytes;
    std::optional<std::size_t> code_points;  // nothing: invalid UTF-8
  };
  const Special specials[] = {{"\x01", 1},
                              {"\n", 1},
                              {"\r", 1},
                              {"\t", 1},
                              {"\x7f", 1},
                              {"\x1f", 1},
                              {"\xC3\xA9", 1},
                              {"\xC2\x85", 1},
                              {"\xC2\xA0", 1},
                              {"\xE6\x97\xA5", 1},
                              {"\xF0\x9F\x98\x80", 1},
                              {"\xC3", std::nullopt},
                              {"\x80", std::nullopt},
                              {"\xED\xA0\x80", std::nullopt}};
  for (const auto& special : specials) {
    for (std::size_t at = 0; at < 24; ++at) {
      for (const std::size_t after : {std::size_t{0}, std::size_t{3}, std::size_t{11}}) {
        const std::string text = std::string(at, 'a') + special.bytes + std::string(after, 'z');
        INFO(at << " " << after << " " << special.bytes);
        const auto expected =
            special.code_points ? std::optional(at + *special.code_points + after) : std::nullopt;
        CHECK(utf8_length(text) == expected);
        CHECK(has_control_characters(text, true) == control_reference(text, true));
        CHECK(has_control_characters(text, false) == control_reference(text, false));
      }
    }
  }
  CHECK(utf8_length(std::string(64, 'x')) == 64);
  CHECK_FALSE(has_control_characters(std::string(64, 'x'), false));
}

TEST_CASE("timestamps are ISO 8601 UTC with milliseconds and a Z", "[protocol]") {
  CHECK(format_timestamp(0) == "1970-01-01T00:00:00.000Z");
  CHECK(format_timestamp(1'795'381'200'123) == "2026-11-22T21:00:00.123Z");
  CHECK(format_timestamp(951'782'400'000) == "2000-02-29T00:00:00.000Z");  // a leap day
  CHECK(format_timestamp(253'402'300'799'999) == "9999-12-31T23:59:59.999Z");
  CHECK(format_timestamp(-1) == "1969-12-31T23:59:59.999Z");
}

TEST_CASE("timestamps agree with gmtime over four centuries", "[protocol]") {
  // The calendar is computed by hand; gmtime_r and snprintf are the reference.
  std::mt19937_64 random(7);
  for (int i = 0; i < 20000; ++i) {
    const auto ms = static_cast<std::int64_t>(random() % 12'622'780'800'000ull) - 946'684'800'000;
    const std::time_t seconds = static_cast<std::time_t>(ms >= 0 ? ms / 1000 : (ms - 999) / 1000);
    std::tm tm{};
    gmtime_r(&seconds, &tm);
    char expected[64];
    std::snprintf(expected, sizeof expected, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ",
                  tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
                  static_cast<int>(ms - static_cast<std::int64_t>(seconds) * 1000));
    INFO(ms);
    CHECK(format_timestamp(ms) == expected);
  }
}

TEST_CASE("replies and events have the contract's shape", "[protocol]") {
  PostView post;
  post.id = 41;
  post.channel_id = 3;
  post.seq = 17;
  post.body = "<b>x</b>";
  post.html = "<p>&lt;b&gt;x&lt;/b&gt;</p>";
  auto event = nlohmann::json::parse(encode_post_created(3, 17, post));
  CHECK(event["event"] == "post.created");
  CHECK(event["seq"] == 17);
  CHECK(event["post"]["thread_id"].is_null());
  CHECK(event["post"]["reactions"].is_array());
  CHECK_FALSE(event.contains("id"));

  post.deleted = true;
  auto tomb = nlohmann::json::parse(encode_post_reply(9, post, false));
  CHECK(tomb["id"] == 9);
  CHECK(tomb["ok"] == true);
  CHECK(tomb["post"]["body"] == "");
  CHECK(tomb["post"]["html"] == "");
  CHECK(tomb["post"]["id"] == 41);

  auto err = nlohmann::json::parse(encode_error_reply(std::nullopt, ErrorCode::not_found, "gone"));
  CHECK(err["id"].is_null());
  CHECK(err["ok"] == false);
  CHECK(err["error"]["code"] == "not_found");
  CHECK(http_status(ErrorCode::rate_limited) == 429);
  CHECK(http_status(ErrorCode::too_large) == 413);
}
