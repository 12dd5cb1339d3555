// The network threads: one io_context each, run under SCHED_BATCH so that a request arriving
// does not preempt the writer sharing their core.
#include <sched.h>

#include <atomic>
#include <boost/asio/post.hpp>
#include <catch2/catch.hpp>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "net/io_pool.hpp"

using staffroom::net::IoPool;

TEST_CASE("every network thread runs under SCHED_BATCH, and only they do", "[net]") {
  const int ours = sched_getscheduler(0);
  REQUIRE(ours != SCHED_BATCH);  // else the check below could not tell
  IoPool pool(2);
  std::atomic<int> policies[2] = {-1, -1};
  std::atomic<int> seen{0};
  for (std::size_t i = 0; i < pool.size(); ++i) {
    boost::asio::post(pool.context(i), [&, i] {
      policies[i] = sched_getscheduler(0);
      if (++seen == 2) pool.stop();
    });
  }
  // run() changes the policy of the thread that calls it: not this test's thread.
  std::thread runner([&] { pool.run(); });
  std::mutex mutex;
  std::condition_variable done;
  bool finished = false;
  std::thread watchdog([&] {
    std::unique_lock lock(mutex);
    if (!done.wait_for(lock, std::chrono::seconds(10), [&] { return finished; })) pool.stop();
  });
  runner.join();
  {
    std::lock_guard lock(mutex);
    finished = true;
  }
  done.notify_one();
  watchdog.join();
  REQUIRE(seen == 2);
  CHECK(policies[0] == SCHED_BATCH);
  CHECK(policies[1] == SCHED_BATCH);
  CHECK(sched_getscheduler(0) == ours);
}
