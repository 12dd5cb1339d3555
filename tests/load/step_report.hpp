// Turns a step's counts and the server's /proc readings into the report's JSON.
#pragma once

#include <nlohmann/json.hpp>

#include "delivery_tracker.hpp"
#include "load_options.hpp"
#include "proc_stats.hpp"

namespace staffroom::load {

/// The JSON shape of one step in staffroom-load's report (latencies in milliseconds).
struct StepReport {
  static nlohmann::json latency(const LatencyHistogram& h);
  /// Server RSS before the connections and after they joined and idled, per connection.
  static nlohmann::json idle(const ProcStats& before, const ProcStats& after, int connections);
  /// The generator's own share of the step: its CPU time over `seconds` of wall time (the
  /// step and its drain; past about 0.9 of its core it may set the latencies, not the
  /// server), its timer waits, and how late it sent the posts.
  static nlohmann::json generator(const ProcStats& before, const ProcStats& after, double seconds,
                                  std::int64_t waits, const LatencyHistogram& send_lag);
  static nlohmann::json make(const Step& step, const StepCounts& counts, std::int64_t start_ns,
                             const ProcStats& before, const ProcStats& after);
};

}  // namespace staffroom::load
