// The load generator's open-loop schedule: every post goes, none before its time, and the
// sender wakes at most once per wake interval however high the rate (a timer per post cost
// the generator most of its core on a VM).
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <catch2/catch.hpp>
#include <chrono>
#include <cstdint>
#include <vector>

#include "open_loop_schedule.hpp"

namespace {

using staffroom::load::OpenLoopSchedule;
constexpr auto now_ns = &OpenLoopSchedule::now_ns;

struct Sent {
  std::int64_t index;
  std::int64_t scheduled_ns;
  std::int64_t at_ns;
};

/// Runs one schedule to its end on a real io_context and timer.
OpenLoopSchedule::Result run(double rate, double seconds, std::int64_t wake_ns,
                             std::vector<Sent>& sent) {
  boost::asio::io_context io;
  boost::asio::steady_timer timer(io);
  const std::int64_t start = now_ns();
  OpenLoopSchedule::Result result;
  bool done = false;
  boost::asio::co_spawn(io,
                        OpenLoopSchedule::run(timer, start, rate, seconds, wake_ns,
                                              [&](std::int64_t i, std::int64_t at) {
                                                sent.push_back({i, at - start, now_ns()});
                                              }),
                        [&](std::exception_ptr, OpenLoopSchedule::Result r) {
                          result = std::move(r);
                          done = true;
                        });
  io.run_for(std::chrono::seconds(10));  // bounded: the schedule itself lasts `seconds`
  REQUIRE(done);
  for (auto& s : sent) s.at_ns -= start;
  return result;
}

}  // namespace

TEST_CASE("open-loop schedule: every post goes once, in order, never before its time") {
  std::vector<Sent> sent;
  const auto result = run(20000, 0.05, 1'000'000, sent);
  REQUIRE(sent.size() == 1000);
  for (std::size_t i = 0; i < sent.size(); ++i) {
    CHECK(sent[i].index == static_cast<std::int64_t>(i));
    CHECK(sent[i].scheduled_ns == static_cast<std::int64_t>(i) * 50'000);  // 1 / 20,000 s
    CHECK(sent[i].at_ns >= sent[i].scheduled_ns);
  }
  CHECK(result.send_lag.count() == 1000);
}

TEST_CASE("open-loop schedule: one wake per wake interval at most, not one per post") {
  std::vector<Sent> sent;
  // 1,000 posts 50 µs apart over 50 ms, woken at most once a millisecond: every wait starts
  // at least 1 ms after the one before and before the last post is due, so at most 50 waits.
  const auto result = run(20000, 0.05, 1'000'000, sent);
  REQUIRE(sent.size() == 1000);
  CHECK(result.waits > 0);
  CHECK(result.waits <= 50);
}

TEST_CASE("open-loop schedule: below the wake interval's rate each post has its own wake") {
  std::vector<Sent> sent;
  // 100 posts 1 ms apart, woken at most every 0.25 ms: the posts set the wake-ups.
  const auto result = run(1000, 0.1, 250'000, sent);
  REQUIRE(sent.size() == 100);
  CHECK(result.waits >= 50);  // the first is due at once; a late timer may merge a few
  CHECK(result.waits <= 99);
}
