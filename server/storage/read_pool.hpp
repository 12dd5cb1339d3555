// A few reading threads, each with its own read connection, so queries never run on I/O threads.
#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

#include "domain/read_lane.hpp"
#include "domain/store.hpp"

namespace staffroom::storage {

/// Runs read jobs on `threads` threads; each thread owns one Reader from the factory.
class ReadPool final : public domain::ReadLane {
 public:
  ReadPool(domain::ReaderFactory& factory, std::size_t threads);
  ~ReadPool() override;
  ReadPool(const ReadPool&) = delete;
  ReadPool& operator=(const ReadPool&) = delete;

  void post(std::function<void(domain::Reader&)> job) override;
  /// Finishes the jobs already posted, then joins the threads.
  void stop();

 private:
  void run(domain::Reader& reader);

  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<std::function<void(domain::Reader&)>> jobs_;
  bool stopping_ = false;
  std::vector<std::thread> threads_;
};

}  // namespace staffroom::storage
