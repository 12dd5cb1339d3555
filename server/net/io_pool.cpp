#include "net/io_pool.hpp"

#include <thread>

namespace staffroom::net {

IoPool::IoPool(std::size_t threads) {
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
    threads.emplace_back([this, i] { contexts_[i]->run(); });
  }
  contexts_[0]->run();
  for (auto& t : threads) t.join();
}

void IoPool::stop() {
  for (auto& context : contexts_) context->stop();
}

}  // namespace staffroom::net
