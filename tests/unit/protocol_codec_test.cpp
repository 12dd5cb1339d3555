// The codec: valid frames, malformed JSON, wrong types, missing fields, limits, unknown ops.
#include <catch2/catch.hpp>
#include <string>

#include "protocol/codec.hpp"

using namespace staffroom::protocol;

namespace {

const DecodeError* refused(const std::variant<Request, DecodeError>& r) {
  return std::get_if<DecodeError>(&r);
}

}  // namespace

TEST_CASE("valid requests decode into their typed bodies", "[protocol]") {
  auto r = decode_request(
      R"({"id":7,"op":"post.create","channel_id":3,"body":"Hi *all*","thread_id":41,"client_id":"c-1"})");
  REQUIRE(std::holds_alternative<Request>(r));
  const auto& req = std::get<Request>(r);
  CHECK(req.id == 7);
  CHECK(req.op == "post.create");
  const auto& body = std::get<PostCreate>(req.body);
  CHECK(body.channel_id == 3);
  CHECK(body.body == "Hi *all*");
  CHECK(body.thread_id == 41);
  CHECK(body.client_id == "c-1");

  auto c = std::get<Request>(decode_request(
      R"({"id":1,"op":"channel.create","slug":"Grade-4","title":"Grade 4","visibility":"private"})"));
  CHECK(std::get<ChannelCreate>(c.body).slug == "grade-4");
  CHECK(std::get<ChannelCreate>(c.body).is_private);

  auto h = std::get<Request>(decode_request(R"({"id":2,"op":"post.history","channel_id":1})"));
  CHECK(std::get<PostHistory>(h.body).limit == 50);
  CHECK_FALSE(std::get<PostHistory>(h.body).after_seq.has_value());
}

TEST_CASE("malformed frames are refused with a typed error and the id when known", "[protocol]") {
  struct Case {
    const char* frame;
    bool has_id;
    const char* message_part;
  };
  const Case cases[] = {
      {"not json", false, "not valid JSON"},
      {"", false, "not valid JSON"},
      {"[1,2]", false, "JSON object"},
      {R"({"op":"channel.list"})", false, "'id'"},
      {R"({"id":"7","op":"channel.list"})", false, "'id'"},
      {R"({"id":1.5,"op":"channel.list"})", false, "'id'"},
      {R"({"id":-1,"op":"channel.list"})", false, "'id'"},
      {R"({"id":9007199254740992,"op":"channel.list"})", false, "'id'"},
      {R"({"id":18446744073709551615,"op":"channel.list"})", false, "'id'"},
      {R"({"id":3})", true, "'op'"},
      {R"({"id":3,"op":"nope"})", true, "unknown op 'nope'"},
      {R"({"id":3,"op":"post.create","channel_id":1})", true, "'body' is required"},
      {R"({"id":3,"op":"post.create","channel_id":"1","body":"x"})", true, "must be an integer"},
      {R"({"id":3,"op":"post.create","channel_id":1,"body":"   \n "})", true, "blank"},
      {R"({"id":3,"op":"post.create","channel_id":1,"body":"x","client_id":"has space"})", true,
       "client_id"},
      {R"({"id":3,"op":"post.create","channel_id":1,"body":7})", true, "must be a string"},
      {R"({"id":3,"op":"channel.create","slug":"no spaces","title":"T"})", true, "slug"},
      {R"({"id":3,"op":"channel.create","slug":"x","title":"T"})", true, "slug"},
      {R"({"id":3,"op":"channel.create","slug":"ok","title":"T","visibility":"secret"})", true,
       "visibility"},
      {R"({"id":3,"op":"post.history","channel_id":1,"limit":0})", true, "limit"},
      {R"({"id":3,"op":"post.history","channel_id":1,"limit":201})", true, "limit"},
      {R"({"id":3,"op":"thread.get"})", true, "post_id"},
      {"{\"id\":3,\"op\":\"post.create\",\"channel_id\":1,\"body\":\"\xff\"}", false, ""},
  };
  for (const auto& c : cases) {
    INFO(c.frame);
    auto r = decode_request(c.frame);
    const auto* e = refused(r);
    REQUIRE(e != nullptr);
    CHECK(e->code == ErrorCode::bad_request);
    CHECK(e->id.has_value() == c.has_id);
    CHECK(e->message.find(c.message_part) != std::string::npos);
  }
}

TEST_CASE("post bodies are measured in code points, not bytes", "[protocol]") {
  std::string at_limit;
  for (int i = 0; i < 16000; ++i) at_limit += "é";  // 2 bytes each
  auto ok =
      decode_request(R"({"id":1,"op":"post.create","channel_id":1,"body":")" + at_limit + "\"}");
  CHECK(std::holds_alternative<Request>(ok));
  auto over =
      decode_request(R"({"id":1,"op":"post.create","channel_id":1,"body":")" + at_limit + "x\"}");
  REQUIRE(refused(over) != nullptr);
  CHECK(refused(over)->message.find("16000") != std::string::npos);
}

TEST_CASE("deeply nested or huge frames never throw out of the codec", "[protocol]") {
  std::string nested(20000, '[');
  nested += std::string(20000, ']');
  CHECK(refused(decode_request(nested)) != nullptr);
  std::string wide = R"({"id":1,"op":"channel.list","pad":")" + std::string(60000, 'a') + "\"}";
  CHECK(std::holds_alternative<Request>(decode_request(wide)));
}

TEST_CASE("register and login bodies follow the handle and password rules", "[protocol]") {
  auto ok = decode_register(R"({"handle":"Ms.Rivera","password":"correct horse"})");
  REQUIRE(std::holds_alternative<RegisterBody>(ok));
  CHECK(std::get<RegisterBody>(ok).handle == "ms.rivera");
  CHECK(std::get<RegisterBody>(ok).display_name == "ms.rivera");

  const char* bad[] = {
      R"({"handle":"ab","password":"correct horse"})",
      R"({"handle":"has space","password":"correct horse"})",
      R"({"handle":"ünï","password":"correct horse"})",
      R"({"handle":"abcdefghijklmnopqrstuvwxyz1234567","password":"correct horse"})",
      R"({"handle":"ana","password":"short"})",
      R"({"handle":"ana","password":"correct horse","display_name":""})",
      R"({"handle":"ana"})",
      R"(["ana"])",
      "{",
  };
  for (const char* body : bad) {
    INFO(body);
    CHECK(std::holds_alternative<DecodeError>(decode_register(body)));
  }
  auto login = decode_login(R"({"handle":"ANA","password":"x"})");
  REQUIRE(std::holds_alternative<LoginBody>(login));
  CHECK(std::get<LoginBody>(login).handle == "ana");
}
