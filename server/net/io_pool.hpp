// The network threads: one single-threaded io_context per usable CPU.
#pragma once

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <chrono>
#include <cstddef>
#include <memory>
#include <vector>

namespace staffroom::net {

/// Each connection lives on one context for its whole life, so its handlers never run
/// concurrently without a strand, and fan-out can hand each thread one job per event
/// (a batch of its own connections) instead of one cross-thread post per recipient.
///
/// A thread that finds several handlers ready at once is busy: it runs them, and its next look
/// starts `busy_pause` after this one started, instead of sleeping in epoll until the next
/// frame (a look that took longer is followed at once: it is not the wake-ups that cost). At
/// 30,000 posts/s over 100 connections, waking for every few frames cost over 10,000 context
/// switches a second on the server's core (each also preempting the writer thread there);
/// one look per pause handles what arrived meanwhile in one go. A lone handler (a quiet
/// server, one teacher) is never held; a client that sends its next request the moment a
/// reply arrives may wait up to one pause for it (a reply's hand-over from the writer and its
/// write are two handlers).
class IoPool {
 public:
  static constexpr std::chrono::microseconds kBusyPause{500};
  /// Handlers run in one look (one wait, then everything ready) that make a thread busy.
  static constexpr std::size_t kBusyHandlers = 2;

  explicit IoPool(std::size_t threads, std::chrono::microseconds busy_pause = kBusyPause);
  IoPool(const IoPool&) = delete;
  IoPool& operator=(const IoPool&) = delete;

  std::size_t size() const { return contexts_.size(); }
  boost::asio::io_context& context(std::size_t index) { return *contexts_[index]; }
  /// The context of the next new connection (round robin).
  std::size_t next_index();

  /// Runs every context (the calling thread runs context 0) until stop(); then joins.
  void run();
  /// Thread-safe: makes run() return once the current handlers finish (or the pause ends).
  void stop();

 private:
  void run_context(boost::asio::io_context& context) const;

  using Guard = boost::asio::executor_work_guard<boost::asio::io_context::executor_type>;
  std::vector<std::unique_ptr<boost::asio::io_context>> contexts_;
  std::vector<Guard> guards_;
  std::size_t next_ = 0;
  std::chrono::microseconds busy_pause_;
};

}  // namespace staffroom::net
