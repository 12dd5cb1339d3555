#include "net/io_pool.hpp"

#include <sched.h>

#include <thread>

namespace staffroom::net {
namespace {

// Where the network thread shares a core with the writer (the default on a small machine),
// each arriving request woke it, and the kernel let it preempt the writer mid-batch to read
// that one request: about 2,400 switches of the writer a second at 25,000-30,000 posts/s in
// S4. A SCHED_BATCH thread's wake-ups do not preempt; it reads everything that arrived once
// the writer's turn ends (a batch is a few milliseconds of CPU at most). Alternating with and
// without it in S4 (18 pairs; in 12 `chrt` set it from outside, on the network thread alone),
// the server used less CPU per post at 25,000 posts/s in 15, and the ack p99 at 30,000
// posts/s was lower in 11.
// If the kernel refuses (a sandbox), the thread keeps the default policy: only a little slower.
void run_as_batch() noexcept {
  sched_param param{};
  param.sched_priority = 0;
  sched_setscheduler(0, SCHED_BATCH, &param);  // 0: the calling thread
}

}  // namespace

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
  run_as_batch();  // before the threads start, which would inherit the caller's policy anyway
  std::vector<std::thread> threads;
  for (std::size_t i = 1; i < contexts_.size(); ++i) {
    threads.emplace_back([this, i] {
      run_as_batch();
      contexts_[i]->run();
    });
  }
  contexts_[0]->run();
  for (auto& t : threads) t.join();
}

void IoPool::stop() {
  for (auto& context : contexts_) context->stop();
}

}  // namespace staffroom::net
