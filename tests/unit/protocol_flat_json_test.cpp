// The flat fast path for request frames: what it reads must be exactly what nlohmann reads,
// and whatever it does not read must still decode (or be refused) as before.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <random>
#include <string>

#include "protocol/codec.hpp"
#include "protocol/flat_json.hpp"

using namespace staffroom::protocol;
using nlohmann::json;

namespace {

// When the fast path reads `text`, nlohmann must read the same object from it.
void check_agrees(const std::string& text) {
  const auto flat = FlatJsonObject::parse(text);
  if (!flat) return;
  INFO(text);
  const auto doc = json::parse(text, nullptr, false);
  REQUIRE_FALSE(doc.is_discarded());
  REQUIRE(doc.is_object());
  REQUIRE(doc.size() == flat->fields().size());
  for (const auto& field : flat->fields()) {
    const auto it = doc.find(std::string(field.key));
    REQUIRE(it != doc.end());
    switch (field.kind) {
      case FlatJsonObject::Kind::string:
        REQUIRE(it->is_string());
        CHECK(it->get<std::string>() == field.text());
        break;
      case FlatJsonObject::Kind::integer:
        REQUIRE(it->is_number_integer());
        CHECK(it->get<std::int64_t>() == field.integer);
        break;
      case FlatJsonObject::Kind::boolean:
        REQUIRE(it->is_boolean());
        CHECK(it->get<bool>() == field.boolean);
        break;
      case FlatJsonObject::Kind::null:
        CHECK(it->is_null());
        break;
    }
  }
}

}  // namespace

TEST_CASE("the flat path reads a request's fields as nlohmann does", "[protocol][json]") {
  const auto flat = FlatJsonObject::parse(
      " {\"id\":7, \"op\":\"post.create\",\"channel_id\":-3,\t\"body\":\"a \\\"q\\\" \\\\ \\/ "
      "\\n\\t\\r\\b\\f é😀\",\"ok\":true,\"no\":false,\"thread_id\":null,\"big\":"
      "999999999999999999}\r\n");
  REQUIRE(flat);
  CHECK(flat->fields().size() == 8);
  CHECK(flat->find("id")->integer == 7);
  CHECK(flat->find("op")->text() == "post.create");
  CHECK(flat->find("channel_id")->integer == -3);
  CHECK(flat->find("body")->text() == "a \"q\" \\ / \n\t\r\b\f é😀");
  CHECK(flat->find("ok")->boolean);
  CHECK_FALSE(flat->find("no")->boolean);
  CHECK(flat->find("thread_id")->kind == FlatJsonObject::Kind::null);
  CHECK(flat->find("big")->integer == 999999999999999999);
  CHECK(flat->find("missing") == nullptr);
  CHECK(FlatJsonObject::parse("{}"));
}

TEST_CASE("the flat path leaves to nlohmann what it does not read exactly", "[protocol][json]") {
  for (const std::string text : {"",
                                 "[]",
                                 "5",
                                 "\"s\"",
                                 "{",
                                 "{\"a\":1",
                                 "{\"a\":1,}",
                                 "{\"a\" 1}",
                                 "{a:1}",
                                 "{\"a\":1}x",
                                 "{\"a\":1}{}",
                                 "{\"a\":[1]}",
                                 "{\"a\":{}}",
                                 "{\"a\":1.5}",
                                 "{\"a\":1e3}",
                                 "{\"a\":1E3}",
                                 "{\"a\":-0}",
                                 "{\"a\":01}",
                                 "{\"a\":-}",
                                 "{\"a\":+1}",
                                 "{\"a\":1234567890123456789}",
                                 "{\"a\":\"\\u0041\"}",
                                 "{\"\\u0061\":1}",
                                 "{\"a\\n\":1}",
                                 "{\"a\":\"x\\q\"}",
                                 "{\"a\":\"tab\there\"}",
                                 "{\"a\":\"\xC3\"}",
                                 "{\"a\":\"\xED\xA0\x80\"}",
                                 "{\"a\":tru}",
                                 "{\"a\":nul}",
                                 "{\"a\":truex}",
                                 "{\"a\":1,\"a\":2}",
                                 "\xEF\xBB\xBF{\"a\":1}",
                                 "{\"a\":\"unterminated}"}) {
    INFO(text);
    CHECK_FALSE(FlatJsonObject::parse(text));
  }
  std::string many = "{";
  for (int i = 0; i < 40; ++i) many += "\"k" + std::to_string(i) + "\":1,";
  many.back() = '}';
  CHECK_FALSE(FlatJsonObject::parse(many));
}

TEST_CASE("whatever the flat path reads from mangled frames, nlohmann reads the same",
          "[protocol][json]") {
  // Mutations of real frames (bytes replaced, inserted and removed from a JSON-heavy
  // alphabet): the fast path may give up on any of them, but must never accept what nlohmann
  // refuses or read a different value.
  const std::string seeds[] = {
      R"({"id":7,"op":"post.create","channel_id":3,"body":"Hi *all* \"quoted\"\n","client_id":"c-1"})",
      R"({"id":12,"op":"post.react","post_id":41,"emoji":"👍","on":true})",
      R"({"id":0,"op":"post.history","channel_id":1,"before_seq":null,"limit":50})"};
  const std::string alphabet = "{}[]:,\"\\ 0123456789-.eEtrufalsn/bu\x01\xC3\xA9\x80\t";
  std::mt19937 random(20261123);
  int read = 0;
  for (int round = 0; round < 30000; ++round) {
    std::string text = seeds[round % 3];
    const int edits = 1 + static_cast<int>(random() % 3);
    for (int e = 0; e < edits; ++e) {
      const auto at = random() % (text.size() + 1);
      const char c = alphabet[random() % alphabet.size()];
      switch (random() % 3) {
        case 0:
          if (at < text.size()) text[at] = c;
          break;
        case 1:
          text.insert(text.begin() + static_cast<std::ptrdiff_t>(at), c);
          break;
        default:
          if (at < text.size()) text.erase(at, 1);
      }
    }
    if (FlatJsonObject::parse(text)) ++read;
    check_agrees(text);
  }
  // Enough of the mangled frames stay valid flat objects for the comparison to mean something.
  CHECK(read > 3000);
}

TEST_CASE("frames off the flat path still decode or are refused as before", "[protocol]") {
  // A nested value, a \u escape and a repeated key all go through nlohmann.
  auto resume =
      decode_request(R"({"id":3,"op":"session.resume","channels":[{"channel_id":1,"seq":4}]})");
  REQUIRE(std::holds_alternative<Request>(resume));
  CHECK(std::get<SessionResume>(std::get<Request>(resume).body).channels.size() == 1);

  auto escaped =
      decode_request(R"({"id":4,"op":"post.create","channel_id":2,"body":"\u00e9t\u00e9"})");
  REQUIRE(std::holds_alternative<Request>(escaped));
  CHECK(std::get<PostCreate>(std::get<Request>(escaped).body).body == "été");

  auto repeated =
      decode_request(R"({"id":5,"op":"post.create","channel_id":1,"channel_id":9,"body":"x"})");
  REQUIRE(std::holds_alternative<Request>(repeated));
  CHECK(std::get<PostCreate>(std::get<Request>(repeated).body).channel_id == 9);  // the last

  auto flat_resume = decode_request(R"({"id":6,"op":"session.resume","channels":5})");
  REQUIRE(std::holds_alternative<DecodeError>(flat_resume));
  CHECK(std::get<DecodeError>(flat_resume).message ==
        "'channels' must be an array of {channel_id, seq}");
  CHECK(std::get<DecodeError>(flat_resume).id == 6);

  auto big_id = decode_request(R"({"id":18446744073709551615,"op":"channel.list"})");
  REQUIRE(std::holds_alternative<DecodeError>(big_id));
  CHECK_FALSE(std::get<DecodeError>(big_id).id.has_value());

  auto bad_op = decode_request("{\"id\":8,\"op\":\"x\\u0001\"}");
  REQUIRE(std::holds_alternative<DecodeError>(bad_op));
  CHECK(std::get<DecodeError>(bad_op).id == 8);
  CHECK(std::get<DecodeError>(bad_op).message.rfind("unknown op", 0) == 0);
}
