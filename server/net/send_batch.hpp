// Many sockets' gather writes handed to the kernel together.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include "net/gathered_write.hpp"

struct io_uring;

namespace staffroom::net {

/// One network thread's writes for one turn of its loop. With io_uring, the writes of a whole
/// fan-out go to the kernel in one system call (a broadcast to 1,000 connections costs one
/// io_uring_enter instead of 1,000 sendmsg calls: on a VM, entering the kernel is much of a
/// small write's cost). Where the kernel refuses io_uring (old kernel, seccomp), or when it
/// is switched off, each write is one sendmsg: the same results, more system calls.
/// Every write is non-blocking: a full socket reports -EAGAIN, never waits.
/// Used only by the thread that created it (the ring is set up for a single issuer).
class SendBatch {
 public:
  /// Up to this many writes per run(): the ring's size, and the batch's memory bound.
  static constexpr std::size_t kCapacity = 256;

  explicit SendBatch(bool try_io_uring);
  ~SendBatch();
  SendBatch(const SendBatch&) = delete;
  SendBatch& operator=(const SendBatch&) = delete;

  /// Why this process cannot use io_uring (empty when it can): for the start-up log.
  static std::string probe();

  bool uses_io_uring() const { return ring_ != nullptr; }
  /// A cleared slot for a write to `fd`; it stays in place until clear(). Null when full.
  GatheredWrite* add(int fd);
  std::size_t size() const { return used_; }
  bool full() const { return used_ == kCapacity; }
  /// Writes every slot's buffers; each slot's `result` is then set.
  void run();
  void clear() { used_ = 0; }

 private:
  void run_with_ring();
  void run_with_syscalls(std::size_t from);

  std::vector<std::unique_ptr<GatheredWrite>> slots_;  // grown on demand, reused
  std::size_t used_ = 0;
  std::unique_ptr<io_uring> ring_;
};

}  // namespace staffroom::net
