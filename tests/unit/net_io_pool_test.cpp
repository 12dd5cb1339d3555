// IoPool's network threads: a lone handler runs at once; a thread that found several handlers
// ready pauses before it looks again; stop() during a pause ends the run.
#include <boost/asio/post.hpp>
#include <catch2/catch.hpp>
#include <chrono>
#include <future>
#include <memory>
#include <stdexcept>
#include <thread>

#include "net/io_pool.hpp"

namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;
using staffroom::net::IoPool;

// Posts a handler from this (another) thread and returns when it ran, as seen by the pool's
// thread; throws if it did not run within 5 s.
Clock::time_point run_on(IoPool& pool) {
  std::promise<Clock::time_point> ran;
  auto at = ran.get_future();
  boost::asio::post(pool.context(0), [&ran] { ran.set_value(Clock::now()); });
  if (at.wait_for(5s) != std::future_status::ready) throw std::runtime_error("handler never ran");
  return at.get();
}

// Runs one handler that posts `more` handlers (all ready in the same look); returns when the
// last of them ran.
Clock::time_point busy_look(IoPool& pool, int more) {
  std::promise<Clock::time_point> last;
  auto at = last.get_future();
  auto& context = pool.context(0);
  boost::asio::post(context, [&context, &last, more] {
    for (int i = 1; i <= more; ++i) {
      boost::asio::post(context, [&last, i, more] {
        if (i == more) last.set_value(Clock::now());
      });
    }
  });
  if (at.wait_for(5s) != std::future_status::ready) throw std::runtime_error("look never ran");
  return at.get();
}

struct RunningPool {
  explicit RunningPool(std::chrono::microseconds pause) : pool(1, pause) {
    thread = std::thread([this] { pool.run(); });
  }
  ~RunningPool() {
    pool.stop();
    thread.join();
  }
  IoPool pool;
  std::thread thread;
};

}  // namespace

TEST_CASE("a lone handler runs at once, however long the busy pause", "[net][io_pool]") {
  RunningPool running(10s);
  for (int i = 0; i < 5; ++i) {
    const auto posted = Clock::now();
    CHECK(run_on(running.pool) - posted < 2s);
    std::this_thread::sleep_for(20ms);  // idle again: the next one is alone too
  }
}

TEST_CASE("after a busy look the thread pauses before the next", "[net][io_pool]") {
  constexpr auto pause = 300ms;
  RunningPool running(pause);
  // Four handlers in one look: what is posted right after waits out the pause.
  const auto busy = busy_look(running.pool, 3);
  // (Posted at once it could join the look itself: a look runs whatever is ready until none.)
  std::this_thread::sleep_for(50ms);
  const auto next = run_on(running.pool);
  CHECK(next - busy >= pause - 20ms);
  // That look ran one handler: not busy, so the one after runs at once.
  std::this_thread::sleep_for(20ms);
  const auto posted = Clock::now();
  CHECK(run_on(running.pool) - posted < pause / 2);
}

TEST_CASE("with no pause a busy look is not held", "[net][io_pool]") {
  RunningPool running(0us);
  const auto busy = busy_look(running.pool, 3);
  CHECK(run_on(running.pool) - busy < 2s);
}

TEST_CASE("stop during a busy pause ends the run when the pause does", "[net][io_pool]") {
  auto running = std::make_unique<RunningPool>(1s);
  busy_look(running->pool, 3);
  const auto stopping = Clock::now();
  running.reset();  // stop() and join: neither another look nor a wait in epoll after it
  CHECK(Clock::now() - stopping < 5s);
}
