// RFC 6455 framing: server frame headers and the reader of client frames.
#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "protocol/ws_frames.hpp"

using namespace staffroom::protocol;

namespace {

// A client frame: masked with a fixed non-zero key, so a reader that skips unmasking fails.
std::string masked(unsigned first_byte, std::string_view payload, std::uint64_t claimed = ~0ull) {
  const std::uint64_t length = claimed == ~0ull ? payload.size() : claimed;
  std::string f;
  f.push_back(static_cast<char>(first_byte));
  if (length < 126) {
    f.push_back(static_cast<char>(0x80 | length));
  } else if (length <= 0xFFFF) {
    f.push_back(static_cast<char>(0x80 | 126));
    f.push_back(static_cast<char>(length >> 8));
    f.push_back(static_cast<char>(length & 0xFF));
  } else {
    f.push_back(static_cast<char>(0x80 | 127));
    for (int i = 7; i >= 0; --i) f.push_back(static_cast<char>((length >> (8 * i)) & 0xFF));
  }
  const char key[4] = {0x12, 0x34, 0x56, 0x78};
  f.append(key, 4);
  for (std::size_t i = 0; i < payload.size(); ++i) f.push_back(payload[i] ^ key[i & 3]);
  return f;
}

struct Got {
  WsOpcode opcode;
  std::string payload;
};

struct Run {
  std::vector<Got> events;
  std::optional<WsFrameReader::Error> error;
};

// Feeds `bytes` in pieces of `chunk` bytes (0: all at once).
Run feed(WsFrameReader& reader, std::string bytes, std::size_t chunk = 0) {
  Run run;
  const auto sink = [&](const WsFrameReader::Event& e) {
    run.events.push_back(Got{e.opcode, std::string(e.payload)});
    return true;
  };
  if (chunk == 0) chunk = bytes.size();
  for (std::size_t at = 0; at < bytes.size() && !run.error; at += chunk) {
    std::string piece = bytes.substr(at, chunk);
    run.error = reader.feed(piece.data(), piece.size(), sink);
  }
  return run;
}

}  // namespace

TEST_CASE("server frame headers use the shortest length form", "[protocol][ws]") {
  char h[kWsMaxHeader];
  CHECK(ws_frame_header(WsOpcode::text, 0, h) == 2);
  CHECK(static_cast<unsigned char>(h[0]) == 0x81);
  CHECK(h[1] == 0);
  CHECK(ws_frame_header(WsOpcode::text, 125, h) == 2);
  CHECK(h[1] == 125);
  CHECK(ws_frame_header(WsOpcode::pong, 126, h) == 4);
  CHECK(static_cast<unsigned char>(h[0]) == 0x8A);
  CHECK((h[1] == 126 && h[2] == 0 && h[3] == 126));
  CHECK(ws_frame_header(WsOpcode::text, 65535, h) == 4);
  CHECK((static_cast<unsigned char>(h[2]) == 0xFF && static_cast<unsigned char>(h[3]) == 0xFF));
  CHECK(ws_frame_header(WsOpcode::text, 65536, h) == 10);
  CHECK(h[1] == 127);
  CHECK((h[7] == 1 && h[8] == 0 && h[9] == 0));
  for (std::size_t size : {0, 125, 126, 65535, 65536, 1 << 20}) {
    INFO(size);
    CHECK(ws_frame_header_size(size) == ws_frame_header(WsOpcode::text, size, h));
  }
  CHECK(ws_close_payload(1008, "send queue full") == std::string("\x03\xF0send queue full"));
  CHECK(ws_close_payload(1000, std::string(200, 'x')).size() == 125);
}

TEST_CASE("whole frames, and the same bytes split anywhere, give the same events",
          "[protocol][ws]") {
  const std::string long_text(300, 'a');
  const std::string bytes = masked(0x81, "{\"id\":1}") + masked(0x89, "abc") +
                            masked(0x81, long_text) + masked(0x82, std::string("\0\1", 2));
  for (std::size_t chunk : {0, 1, 2, 3, 7, 64}) {
    INFO("chunk " << chunk);
    WsFrameReader reader(64 * 1024);
    const auto run = feed(reader, bytes, chunk);
    REQUIRE_FALSE(run.error);
    REQUIRE(run.events.size() == 4);
    CHECK((run.events[0].opcode == WsOpcode::text && run.events[0].payload == "{\"id\":1}"));
    CHECK((run.events[1].opcode == WsOpcode::ping && run.events[1].payload == "abc"));
    CHECK(run.events[2].payload == long_text);
    CHECK((run.events[3].opcode == WsOpcode::binary && run.events[3].payload.size() == 2));
    CHECK(reader.buffered() == 0);
  }
}

TEST_CASE("fragments join into one message; a control frame may come between them",
          "[protocol][ws]") {
  WsFrameReader reader(64 * 1024);
  // "é" is split across the fragments: UTF-8 is checked on the whole message.
  const auto run = feed(reader, masked(0x01, "caf\xC3") + masked(0x89, "p") +
                                    masked(0x00, "\xA9 ") + masked(0x80, "ok"));
  REQUIRE_FALSE(run.error);
  REQUIRE(run.events.size() == 2);
  CHECK(run.events[0].opcode == WsOpcode::ping);
  CHECK((run.events[1].opcode == WsOpcode::text && run.events[1].payload == "caf\xC3\xA9 ok"));
  CHECK(reader.buffered() == 0);
}

TEST_CASE("protocol violations name the close code and stop the reader", "[protocol][ws]") {
  struct Case {
    const char* what;
    std::string bytes;
    std::uint16_t code;
  };
  const Case cases[] = {
      {"unmasked", std::string("\x81\x01x", 3), ws_close::protocol_error},
      {"RSV1", masked(0xC1, "x"), ws_close::protocol_error},
      {"opcode 3", masked(0x83, "x"), ws_close::protocol_error},
      {"continuation first", masked(0x80, "x"), ws_close::protocol_error},
      {"text inside a fragmented message", masked(0x01, "a") + masked(0x81, "b"),
       ws_close::protocol_error},
      {"fragmented ping", masked(0x09, "x"), ws_close::protocol_error},
      {"ping over 125", masked(0x89, std::string(126, 'x')), ws_close::protocol_error},
      {"close of one byte", masked(0x88, "x"), ws_close::protocol_error},
      {"close code 1005", masked(0x88, "\x03\xED"), ws_close::protocol_error},
      {"invalid UTF-8", masked(0x81, "\xC3\x28"), ws_close::invalid_payload},
      {"invalid close reason", masked(0x88, "\x03\xE8\xC3\x28"), ws_close::invalid_payload},
      // Only the header is sent: the size is refused before any payload arrives.
      {"70,000-byte header", masked(0x81, "", 70000).substr(0, 10), ws_close::too_big},
      {"too big across fragments",
       masked(0x01, std::string(40000, 'a')) + masked(0x80, std::string(30000, 'a')),
       ws_close::too_big},
  };
  for (const auto& c : cases) {
    INFO(c.what);
    WsFrameReader reader(64 * 1024);
    const auto run = feed(reader, c.bytes);
    REQUIRE(run.error);
    CHECK(run.error->code == c.code);
    CHECK(run.events.empty());
    // Nothing more is accepted after an error.
    auto again = masked(0x81, "{}");
    const auto after =
        reader.feed(again.data(), again.size(), [](const WsFrameReader::Event&) { return true; });
    CHECK((after && after->code == c.code));
  }
}

TEST_CASE("a message of exactly the limit passes; one byte more is refused", "[protocol][ws]") {
  WsFrameReader reader(1000);
  auto run = feed(reader, masked(0x81, std::string(1000, 'a')));
  REQUIRE_FALSE(run.error);
  CHECK(run.events.at(0).payload.size() == 1000);
  run = feed(reader, masked(0x01, std::string(600, 'a')) + masked(0x80, std::string(401, 'a')));
  REQUIRE(run.error);
  CHECK(run.error->code == ws_close::too_big);
}

TEST_CASE("a close frame ends parsing; what follows it is dropped", "[protocol][ws]") {
  WsFrameReader reader(1024);
  const auto run = feed(reader, masked(0x88,
                                       "\x03\xE8"
                                       "bye") +
                                    masked(0x81, "{}"));
  REQUIRE_FALSE(run.error);
  REQUIRE(run.events.size() == 1);
  CHECK(run.events[0].opcode == WsOpcode::close);
  CHECK(run.events[0].payload ==
        "\x03\xE8"
        "bye");
}

TEST_CASE("a client reads unmasked server frames and refuses masked ones", "[protocol][ws]") {
  WsFrameReader client(1024, WsFrameReader::Peer::server);
  char header[kWsMaxHeader];
  const std::string body = "{\"event\":\"hello\"}";
  std::string frame(header, ws_frame_header(WsOpcode::text, body.size(), header));
  frame += body;
  auto run = feed(client, frame + frame, 5);
  REQUIRE_FALSE(run.error);
  REQUIRE(run.events.size() == 2);
  CHECK(run.events[1].payload == body);
  WsFrameReader strict(1024, WsFrameReader::Peer::server);
  run = feed(strict, masked(0x81, "x"));
  REQUIRE(run.error);
  CHECK(run.error->code == ws_close::protocol_error);
}
