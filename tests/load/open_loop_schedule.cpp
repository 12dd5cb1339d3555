#include "open_loop_schedule.hpp"

#include <boost/asio/use_awaitable.hpp>
#include <chrono>

namespace staffroom::load {

boost::asio::awaitable<void> OpenLoopSchedule::run(boost::asio::steady_timer& timer,
                                                   std::int64_t start_ns, double rate,
                                                   double seconds, Send send) {
  using Clock = std::chrono::steady_clock;
  const auto n = static_cast<std::int64_t>(rate * seconds);
  const double interval = 1e9 / rate;
  const auto due = [&](std::int64_t i) {
    return start_ns + static_cast<std::int64_t>(static_cast<double>(i) * interval);
  };
  for (std::int64_t i = 0; i < n;) {
    const auto now =
        std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now().time_since_epoch())
            .count();
    for (; i < n && due(i) <= now; ++i) send(i, due(i));
    if (i < n) {
      timer.expires_at(Clock::time_point(std::chrono::nanoseconds(due(i))));
      co_await timer.async_wait(boost::asio::use_awaitable);
    }
  }
}

}  // namespace staffroom::load
