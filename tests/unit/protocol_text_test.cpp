// UTF-8 rules and the encoder's timestamps and shapes.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

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

TEST_CASE("timestamps are ISO 8601 UTC with milliseconds and a Z", "[protocol]") {
  CHECK(format_timestamp(0) == "1970-01-01T00:00:00.000Z");
  CHECK(format_timestamp(1'795'381'200'123) == "2026-11-22T21:00:00.123Z");
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
