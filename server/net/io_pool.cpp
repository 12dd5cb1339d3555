#include "net/io_pool.hpp"

#include <thread>

namespace staffroom::net {

IoPool::IoPool(std::size_t threads, std::chrono::microseconds busy_pause)
    : busy_pause_(busy_pause) {
  if (threads == 0) threads = 1;
  for (std::size_t i = 0; i < threads; ++i) {
    // Hint 1: one thread runs this context (other threads still post to it safely).
    contexts_.push_back(std::make_unique<boost::asio::io_context>(1));
    guards_.emplace_back(contexts_.back()->get_executor());
  }
}

std::size_t IoPool::next_index() {
  // Called only from the listener's context, so no lock is needed.
  const auto index = next_;
  next_ = (next_ + 1) % contexts_.size();
  return index;
}

void IoPool::run() {
  std::vector<std::thread> threads;
  for (std::size_t i = 1; i < contexts_.size(); ++i) {
    threads.emplace_back([this, i] { run_context(*contexts_[i]); });
  }
  run_context(*contexts_[0]);
  for (auto& t : threads) t.join();
}

void IoPool::run_context(boost::asio::io_context& context) const {
  if (busy_pause_.count() <= 0) {
    context.run();
    return;
  }
  using Clock = std::chrono::steady_clock;
  while (!context.stopped()) {
    // Waits (in epoll) for the first handler, then runs everything else already ready; poll()
    // also asks epoll, without waiting, for sockets that became ready meanwhile.
    std::size_t ran = context.run_one();
    if (ran == 0) return;  // stopped
    auto look = Clock::now();
    ran += context.poll();
    // Busy: the next look starts busy_pause after this one did. A look that took that long
    // already (a large fan-out) is followed at once: work gathered while it ran.
    while (ran >= kBusyHandlers && !context.stopped()) {
      std::this_thread::sleep_until(look + busy_pause_);
      look = Clock::now();
      ran = context.poll();
    }
  }
}

void IoPool::stop() {
  for (auto& context : contexts_) context->stop();
}

}  // namespace staffroom::net
