#include "open_loop_schedule.hpp"

#include <algorithm>
#include <boost/asio/use_awaitable.hpp>
#include <chrono>

namespace staffroom::load {

std::int64_t OpenLoopSchedule::now_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

boost::asio::awaitable<OpenLoopSchedule::Result> OpenLoopSchedule::run(
    boost::asio::steady_timer& timer, std::int64_t start_ns, double rate, double seconds,
    std::int64_t wake_ns, Send send) {
  using Clock = std::chrono::steady_clock;
  const auto n = static_cast<std::int64_t>(rate * seconds);
  const double interval = 1e9 / rate;
  const auto due = [&](std::int64_t i) {
    return start_ns + static_cast<std::int64_t>(static_cast<double>(i) * interval);
  };
  Result result;
  for (std::int64_t i = 0; i < n;) {
    const auto now = now_ns();
    for (; i < n && due(i) <= now; ++i) {
      result.send_lag.record(now_ns() - due(i));
      send(i, due(i));
    }
    if (i < n) {
      // Never sooner than wake_ns after this wake: several posts per wake at high rates.
      const auto wake = std::max(due(i), now + wake_ns);
      timer.expires_at(Clock::time_point(std::chrono::nanoseconds(wake)));
      co_await timer.async_wait(boost::asio::use_awaitable);
      ++result.waits;
    }
  }
  co_return result;
}

}  // namespace staffroom::load
