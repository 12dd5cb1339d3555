// A connection's outgoing WebSocket frames, written several at a time without blocking.
#pragma once

#include <cstddef>
#include <vector>

#include "app/event_bus.hpp"
#include "net/gathered_write.hpp"
#include "protocol/ws_frames.hpp"

namespace staffroom::net {

/// The send queue of one connection. Frames share their payload with every other recipient;
/// the few header bytes are made at write time. A write hands up to GatheredWrite::kFrames
/// queued frames to the socket at once, so a connection that fell behind catches up with few
/// system calls; gather() and took() let a SendBatch write many connections together.
class FrameWriter {
 public:
  enum class Result { drained, blocked, failed };

  void push(app::Frame payload, protocol::WsOpcode opcode = protocol::WsOpcode::text);
  /// Frames queued, counting a partly written one.
  std::size_t size() const { return frames_.size() - head_; }
  bool empty() const { return size() == 0; }
  /// Payload bytes queued.
  std::size_t bytes() const { return bytes_; }
  /// Drops every frame that has not started to go out (a started one must finish, or the
  /// stream would be corrupt).
  void drop_unstarted();

  /// Writes to non-blocking socket `fd` until the queue is empty (drained), the socket is full
  /// (blocked: wait until it is writable and call again) or it fails (`error` says why).
  Result write(int fd, int& error);

  /// Fills `out` (whose fd is set) with the next frames to go out, the first resumed where
  /// the last write stopped. Nothing is taken off the queue until took().
  void gather(GatheredWrite& out) const;
  /// Takes off the queue what a write of what gather() offered sent (`written` bytes); true
  /// when the socket took all of it (false: it is full).
  bool took(const GatheredWrite& offered, std::size_t written);

 private:
  struct Out {
    app::Frame payload;
    protocol::WsOpcode opcode;
  };
  void advance(std::size_t written);
  void compact();

  std::vector<Out> frames_;
  std::size_t head_ = 0;  // frames_[head_] is the next to go out
  std::size_t sent_ = 0;  // bytes of frames_[head_] (header and payload) already written
  std::size_t bytes_ = 0;
};

}  // namespace staffroom::net
