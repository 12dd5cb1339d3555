#include "protocol/ws_frames.hpp"

#include <cstring>

#include "protocol/utf8.hpp"

namespace staffroom::protocol {

namespace {

constexpr std::size_t kMaxControlPayload = 125;
constexpr std::size_t kKeepCapacity = 4096;  // larger buffers are freed once empty

bool known_opcode(unsigned op) { return op <= 2 || (op >= 8 && op <= 10); }

// Codes a peer may put in a close frame (RFC 6455 §7.4 and the IANA registry).
bool valid_close_code(unsigned code) {
  return (code >= 1000 && code <= 1003) || (code >= 1007 && code <= 1014) ||
         (code >= 3000 && code <= 4999);
}

bool valid_utf8(std::string_view text) { return utf8_length(text).has_value(); }

void release_if_large(std::string& buffer) {
  if (buffer.empty() && buffer.capacity() > kKeepCapacity) std::string().swap(buffer);
}

}  // namespace

std::size_t ws_frame_header(WsOpcode opcode, std::size_t payload_size, char* out) {
  out[0] = static_cast<char>(0x80 | static_cast<unsigned>(opcode));  // FIN, no RSV bits
  if (payload_size < 126) {
    out[1] = static_cast<char>(payload_size);
    return 2;
  }
  if (payload_size <= 0xFFFF) {
    out[1] = 126;
    out[2] = static_cast<char>(payload_size >> 8);
    out[3] = static_cast<char>(payload_size & 0xFF);
    return 4;
  }
  out[1] = 127;
  for (int i = 0; i < 8; ++i) {
    out[2 + i] =
        static_cast<char>((static_cast<std::uint64_t>(payload_size) >> (56 - 8 * i)) & 0xFF);
  }
  return 10;
}

std::string ws_close_payload(std::uint16_t code, std::string_view reason) {
  std::string payload;
  payload.push_back(static_cast<char>(code >> 8));
  payload.push_back(static_cast<char>(code & 0xFF));
  payload.append(reason.substr(0, kMaxControlPayload - 2));
  return payload;
}

std::optional<WsFrameReader::Error> WsFrameReader::feed(char* data, std::size_t size,
                                                        const Sink& sink) {
  if (error_) return error_;
  // A frame left incomplete by the last call is completed in partial_; otherwise the caller's
  // buffer is parsed where it lies and only an incomplete tail is copied.
  const bool carried = !partial_.empty();
  if (carried) partial_.append(data, size);
  char* buffer = carried ? partial_.data() : data;
  const std::size_t total = carried ? partial_.size() : size;
  std::size_t pos = 0;
  while (pos < total) {
    std::size_t used = 0;
    const Step step = parse_one(buffer + pos, total - pos, used, sink);
    if (error_) {
      partial_.clear();
      message_.clear();
      release_if_large(partial_);
      release_if_large(message_);
      return error_;
    }
    if (step == Step::need_more) break;
    pos += used;
    if (step == Step::stop) {
      pos = total;
      break;
    }
  }
  if (carried) {
    partial_.erase(0, pos);
  } else {
    partial_.assign(buffer + pos, total - pos);
  }
  release_if_large(partial_);
  return std::nullopt;
}

WsFrameReader::Step WsFrameReader::parse_one(char* data, std::size_t size, std::size_t& used,
                                             const Sink& sink) {
  if (size < 2) return Step::need_more;
  const auto b0 = static_cast<unsigned char>(data[0]);
  const auto b1 = static_cast<unsigned char>(data[1]);
  const bool fin = (b0 & 0x80) != 0;
  const unsigned op = b0 & 0x0F;
  const bool control = op >= 8;
  std::uint64_t length = b1 & 0x7F;
  auto fail = [this](std::uint16_t code, const char* reason) {
    error_ = Error{code, reason};
    return Step::stop;
  };
  if ((b0 & 0x70) != 0) return fail(ws_close::protocol_error, "reserved bits set");
  if (!known_opcode(op)) return fail(ws_close::protocol_error, "unknown opcode");
  if (((b1 & 0x80) != 0) != masked_) {
    return fail(ws_close::protocol_error,
                masked_ ? "client frames must be masked" : "server frames must not be masked");
  }
  if (control && !fin) return fail(ws_close::protocol_error, "fragmented control frame");
  if (control && length > kMaxControlPayload) {
    return fail(ws_close::protocol_error, "control frame over 125 bytes");
  }
  std::size_t header = 2;
  if (length == 126) {
    if (size < 4) return Step::need_more;
    length = (static_cast<std::uint64_t>(static_cast<unsigned char>(data[2])) << 8) |
             static_cast<unsigned char>(data[3]);
    header = 4;
  } else if (length == 127) {
    if (size < 10) return Step::need_more;
    length = 0;
    for (int i = 0; i < 8; ++i) length = (length << 8) | static_cast<unsigned char>(data[2 + i]);
    if (length >> 63) return fail(ws_close::protocol_error, "frame length out of range");
    header = 10;
  }
  if (!control) {
    const bool continuation = op == 0;
    if (continuation && !fragmented_) {
      return fail(ws_close::protocol_error, "continuation frame without a message");
    }
    if (!continuation && fragmented_) {
      return fail(ws_close::protocol_error, "new message before the last one finished");
    }
    // Refused from the header alone: the payload of an oversized message is never read.
    const std::uint64_t so_far = continuation ? message_.size() : 0;
    if (length > max_message_ || so_far + length > max_message_) {
      return fail(ws_close::too_big, "message too big");
    }
  }
  const std::size_t mask_bytes = masked_ ? 4 : 0;
  if (size - header < mask_bytes || size - header - mask_bytes < length) return Step::need_more;
  char* mask = data + header;
  char* payload = mask + mask_bytes;
  if (masked_) {
    for (std::uint64_t i = 0; i < length; ++i) payload[i] ^= mask[i & 3];
  }
  used = header + mask_bytes + static_cast<std::size_t>(length);
  bool keep_going = true;
  if (auto error = deliver(static_cast<WsOpcode>(op), fin, payload,
                           static_cast<std::size_t>(length), sink, keep_going)) {
    error_ = error;
    return Step::stop;
  }
  return keep_going ? Step::consumed : Step::stop;
}

std::optional<WsFrameReader::Error> WsFrameReader::deliver(WsOpcode opcode, bool fin, char* payload,
                                                           std::size_t size, const Sink& sink,
                                                           bool& keep_going) {
  const std::string_view bytes(payload, size);
  if (opcode == WsOpcode::close) {
    if (size == 1) return Error{ws_close::protocol_error, "close frame of one byte"};
    if (size >= 2) {
      const unsigned code = (static_cast<unsigned>(static_cast<unsigned char>(payload[0])) << 8) |
                            static_cast<unsigned char>(payload[1]);
      if (!valid_close_code(code)) return Error{ws_close::protocol_error, "invalid close code"};
      if (!valid_utf8(bytes.substr(2))) {
        return Error{ws_close::invalid_payload, "close reason is not UTF-8"};
      }
    }
    sink(Event{opcode, bytes});
    keep_going = false;  // nothing after a close frame is read
    return std::nullopt;
  }
  if (opcode == WsOpcode::ping || opcode == WsOpcode::pong) {
    keep_going = sink(Event{opcode, bytes});
    return std::nullopt;
  }
  if (fin && opcode != WsOpcode::continuation) {
    if (opcode == WsOpcode::text && !valid_utf8(bytes)) {
      return Error{ws_close::invalid_payload, "text message is not UTF-8"};
    }
    keep_going = sink(Event{opcode, bytes});
    return std::nullopt;
  }
  if (opcode != WsOpcode::continuation) fragmented_ = opcode;
  message_.append(payload, size);
  if (!fin) return std::nullopt;
  const WsOpcode whole = *fragmented_;
  fragmented_.reset();
  if (whole == WsOpcode::text && !valid_utf8(message_)) {
    return Error{ws_close::invalid_payload, "text message is not UTF-8"};
  }
  keep_going = sink(Event{whole, message_});
  message_.clear();
  release_if_large(message_);
  return std::nullopt;
}

}  // namespace staffroom::protocol
