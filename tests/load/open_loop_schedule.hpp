// The open-loop send schedule: post i of a step is due at start + i / rate.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>
#include <cstdint>
#include <functional>

namespace staffroom::load {

/// Sends every post at its scheduled time whatever the server does: a post whose time has
/// passed goes at once (its latency still counts from the schedule), so no coordinated omission.
class OpenLoopSchedule {
 public:
  using Send = std::function<void(std::int64_t index, std::int64_t scheduled_ns)>;

  static boost::asio::awaitable<void> run(boost::asio::steady_timer& timer, std::int64_t start_ns,
                                          double rate, double seconds, Send send);
};

}  // namespace staffroom::load
