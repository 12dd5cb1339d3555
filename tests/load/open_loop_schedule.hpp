// The open-loop send schedule: post i of a step is due at start + i / rate.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>
#include <cstdint>
#include <functional>

#include "latency_histogram.hpp"

namespace staffroom::load {

/// Sends every post at its scheduled time whatever the server does: a post whose time has
/// passed goes at once (its latency still counts from the schedule), so no coordinated omission.
///
/// The generator wakes at most once per `wake_ns` and sends every post due by then. A timer
/// per post cost the generator most of its core at 30,000 posts/s on a VM, where arming a timer
/// and taking its interrupt each leave the guest: timerfd_settime was 45 % of its samples, and
/// the generator, not the server, set the latency. A post sent late by the coarser wake still
/// has its latency counted from its own scheduled time.
class OpenLoopSchedule {
 public:
  using Send = std::function<void(std::int64_t index, std::int64_t scheduled_ns)>;

  /// The clock of every scheduled time: steady_clock, in nanoseconds.
  static std::int64_t now_ns();

  /// What one run did: the timer waits it took, and how late each post went out.
  struct Result {
    std::int64_t waits = 0;
    LatencyHistogram send_lag;  // actual send time minus scheduled time
  };

  static boost::asio::awaitable<Result> run(boost::asio::steady_timer& timer, std::int64_t start_ns,
                                            double rate, double seconds, std::int64_t wake_ns,
                                            Send send);
};

}  // namespace staffroom::load
