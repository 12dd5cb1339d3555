// The buffers of one gather write to a socket, kept in place until the kernel has taken them.
#pragma once

#include <sys/socket.h>
#include <sys/uio.h>

#include <array>
#include <cerrno>
#include <cstddef>

#include "protocol/ws_frames.hpp"

namespace staffroom::net {

/// Up to kFrames WebSocket frames as iovecs: each frame's header (made when gathered, stored
/// here) and its shared payload. A SendBatch hands many of these to the kernel at once, so
/// nothing in it may move between gathering and the write's result.
struct GatheredWrite {
  static constexpr std::size_t kFrames = 32;

  int fd = -1;
  std::size_t count = 0;      // iovecs in use
  std::size_t attempted = 0;  // bytes they hold
  long result = 0;            // after the write: bytes the socket took, or -errno
  std::array<iovec, 2 * kFrames> buffers{};
  std::array<std::array<char, protocol::kWsMaxHeader>, kFrames> headers{};
};

/// Never wait for a full socket (the session waits for writability itself); never raise
/// SIGPIPE for a peer that went away (the result says -EPIPE).
inline constexpr int kGatheredSendFlags = MSG_NOSIGNAL | MSG_DONTWAIT;

inline msghdr message_of(GatheredWrite& write) {
  msghdr message{};
  message.msg_iov = write.buffers.data();
  message.msg_iovlen = write.count;
  return message;
}

/// Writes `write` now with one sendmsg; sets its result.
inline void send_gathered(GatheredWrite& write) {
  const msghdr message = message_of(write);
  ssize_t n = 0;
  do {
    n = ::sendmsg(write.fd, &message, kGatheredSendFlags);
  } while (n < 0 && errno == EINTR);
  write.result = n < 0 ? -errno : n;
}

}  // namespace staffroom::net
