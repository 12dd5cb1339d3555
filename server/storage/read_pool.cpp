#include "storage/read_pool.hpp"

#include <exception>
#include <memory>

namespace staffroom::storage {

ReadPool::ReadPool(domain::ReaderFactory& factory, std::size_t threads) {
  if (threads == 0) threads = 1;
  for (std::size_t i = 0; i < threads; ++i) {
    // Open on the calling thread so a broken database fails start-up, not a later query.
    std::shared_ptr<domain::Reader> reader = factory.open_reader();
    threads_.emplace_back([this, reader] { run(*reader); });
  }
}

ReadPool::~ReadPool() { stop(); }

void ReadPool::post(std::function<void(domain::Reader&)> job) {
  {
    std::lock_guard lock(mutex_);
    jobs_.push_back(std::move(job));
  }
  wake_.notify_one();
}

void ReadPool::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  for (auto& t : threads_) {
    if (t.joinable()) t.join();
  }
  threads_.clear();
}

void ReadPool::run(domain::Reader& reader) {
  for (;;) {
    std::function<void(domain::Reader&)> job;
    {
      std::unique_lock lock(mutex_);
      wake_.wait(lock, [this] { return stopping_ || !jobs_.empty(); });
      if (jobs_.empty()) return;
      job = std::move(jobs_.front());
      jobs_.pop_front();
    }
    try {
      job(reader);
    } catch (const std::exception&) {
      // A job reports its own failures through its callback; a throw here must not kill the
      // thread (the job's callback was then never called — the caller's reply is lost, so
      // jobs catch their own errors; see Community and the app handlers).
    }
  }
}

}  // namespace staffroom::storage
