// Which subscribers stall at which step, and the others' latency with and without a new stall.
#pragma once

#include <nlohmann/json.hpp>
#include <vector>

#include "delivery_tracker.hpp"
#include "latency_histogram.hpp"

namespace staffroom::load {

/// S5's windows. With `every` = 0 all `count` subscribers stall together at step `first`;
/// with `every` > 0 the k-th stalls alone at step first + k * every, so steps where a stall
/// begins alternate with steps where none does. The others' latencies are pooled over each
/// kind of step: a single before/after pair on a VM swings by tens of percent with nothing
/// changing, and a server's latency drifts as its database grows; alternating windows that
/// bracket one another cancel the drift, and pooling them gives each percentile more samples.
class StallWindows {
 public:
  /// `subscribers`: connections in channel 0, the last `count` of which stall (never one that
  /// publishes: the options check that).
  StallWindows(int count, int first, int every, int subscribers);

  /// The connection indexes that stop reading from the start of `step`.
  std::vector<int> starting_at(int step) const;
  /// Pools a closed step: as a stalled window if a stall begins at it, as a clean one if it is
  /// not before the step ahead of the first stall; other steps (warm-up) are left out.
  void record(int step, const StepCounts& counts);
  /// {"clean": {"steps", "broadcast_ms", "delivery_ms"}, "stalled": {...}}.
  nlohmann::json report() const;

 private:
  struct Pool {
    std::vector<int> steps;
    LatencyHistogram broadcast;
    LatencyHistogram delivery;
  };
  static nlohmann::json pool_json(const Pool& pool);

  int count_;
  int first_;
  int every_;
  int subscribers_;
  Pool clean_;
  Pool stalled_;
};

}  // namespace staffroom::load
