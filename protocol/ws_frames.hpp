// RFC 6455 framing: the server's frame headers and a parser for what clients send.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace staffroom::protocol {

enum class WsOpcode : std::uint8_t {
  continuation = 0,
  text = 1,
  binary = 2,
  close = 8,
  ping = 9,
  pong = 10,
};

/// Close codes the server sends (RFC 6455 §7.4.1).
namespace ws_close {
inline constexpr std::uint16_t normal = 1000, going_away = 1001, protocol_error = 1002,
                               invalid_payload = 1007, policy = 1008, too_big = 1009;
}

/// The longest header a server frame needs: 2 bytes + a 64-bit length (servers never mask).
inline constexpr std::size_t kWsMaxHeader = 10;

/// The size of the header ws_frame_header writes for a payload of `payload_size` bytes.
inline std::size_t ws_frame_header_size(std::size_t payload_size) {
  return payload_size < 126 ? 2 : payload_size <= 0xFFFF ? 4 : 10;
}

/// Writes the header of one unfragmented, unmasked server frame into `out`; returns its size.
std::size_t ws_frame_header(WsOpcode opcode, std::size_t payload_size, char* out);

/// The payload of a close frame: the code in network order, then the reason (≤ 123 bytes).
std::string ws_close_payload(std::uint16_t code, std::string_view reason);

/// Turns the bytes a peer sends into whole messages and control frames. It unmasks in place,
/// joins fragments, enforces the message size limit before reading a payload, and checks
/// UTF-8 in text messages and close reasons. After an error it accepts nothing more.
/// A server reads masked frames (every client frame is masked); a client reads unmasked ones.
class WsFrameReader {
 public:
  /// A whole text or binary message, or one control frame (ping, pong, close).
  struct Event {
    WsOpcode opcode;
    std::string_view payload;  // valid only during the callback
  };
  /// Why the connection must be closed, as the close frame should say it.
  struct Error {
    std::uint16_t code;
    const char* reason;
  };
  /// Return false to stop parsing (the rest of the bytes are dropped, e.g. after a close).
  using Sink = std::function<bool(const Event&)>;

  enum class Peer { client, server };
  /// `from`: who sends the frames this reader parses.
  explicit WsFrameReader(std::size_t max_message, Peer from = Peer::client)
      : max_message_(max_message), masked_(from == Peer::client) {}

  /// Parses `data` after whatever was left over from earlier calls. `data` may be modified
  /// (unmasked in place). Calls `sink` for each complete event, in order.
  std::optional<Error> feed(char* data, std::size_t size, const Sink& sink);

  /// Bytes held between calls (a partial frame and a partial fragmented message).
  std::size_t buffered() const { return partial_.size() + message_.size(); }

 private:
  enum class Step { need_more, consumed, stop };
  Step parse_one(char* data, std::size_t size, std::size_t& used, const Sink& sink);
  std::optional<Error> deliver(WsOpcode opcode, bool fin, char* payload, std::size_t size,
                               const Sink& sink, bool& keep_going);

  std::size_t max_message_;
  bool masked_;
  std::string partial_;  // an incomplete frame carried to the next feed()
  std::string message_;  // fragments of a message that has no FIN yet
  std::optional<WsOpcode> fragmented_;
  std::optional<Error> error_;
};

}  // namespace staffroom::protocol
