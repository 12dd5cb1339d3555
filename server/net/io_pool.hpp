// The network threads: one single-threaded io_context per usable CPU.
#pragma once

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <cstddef>
#include <memory>
#include <vector>

namespace staffroom::net {

/// Each connection lives on one context for its whole life, so its handlers never run
/// concurrently without a strand, and fan-out can hand each thread one job per event
/// (a batch of its own connections) instead of one cross-thread post per recipient.
class IoPool {
 public:
  explicit IoPool(std::size_t threads);
  IoPool(const IoPool&) = delete;
  IoPool& operator=(const IoPool&) = delete;

  std::size_t size() const { return contexts_.size(); }
  boost::asio::io_context& context(std::size_t index) { return *contexts_[index]; }
  /// The context of the next new connection (round robin).
  std::size_t next_index();

  /// Runs every context (the calling thread runs context 0) until stop(); then joins. Each
  /// network thread, the calling one included, runs under SCHED_BATCH from then on.
  void run();
  /// Thread-safe: makes run() return once the current handlers finish.
  void stop();

 private:
  using Guard = boost::asio::executor_work_guard<boost::asio::io_context::executor_type>;
  std::vector<std::unique_ptr<boost::asio::io_context>> contexts_;
  std::vector<Guard> guards_;
  std::size_t next_ = 0;
};

}  // namespace staffroom::net
