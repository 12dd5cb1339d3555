// The load generator's S5 windows: who stalls at which step, and which steps' latencies are
// pooled as clean or stalled (the benchmark's S5 figure is the change between the two pools).
#include <catch2/catch.hpp>
#include <vector>

#include "stall_windows.hpp"

namespace {

using staffroom::load::StallWindows;
using staffroom::load::StepCounts;

/// A step whose every post reached its last recipient after `millis` (and each copy too).
StepCounts step_of(std::int64_t millis, int posts) {
  StepCounts counts;
  for (int i = 0; i < posts; ++i) {
    counts.broadcast.record(millis * 1'000'000);
    counts.delivery.record(millis * 1'000'000);
  }
  return counts;
}

}  // namespace

TEST_CASE("stall windows: all subscribers stall together by default") {
  const StallWindows windows(2, 2, 0, 10);
  CHECK(windows.starting_at(1).empty());
  CHECK(windows.starting_at(2) == std::vector<int>{9, 8});
  CHECK(windows.starting_at(3).empty());
}

TEST_CASE("stall windows: one subscriber at a time, every other step") {
  const StallWindows windows(3, 2, 2, 52);
  CHECK(windows.starting_at(0).empty());
  CHECK(windows.starting_at(2) == std::vector<int>{51});
  CHECK(windows.starting_at(3).empty());
  CHECK(windows.starting_at(4) == std::vector<int>{50});
  CHECK(windows.starting_at(6) == std::vector<int>{49});
  CHECK(windows.starting_at(8).empty());
}

TEST_CASE("stall windows: pools clean and stalled steps apart, warm-up left out") {
  StallWindows windows(2, 2, 2, 20);
  windows.record(0, step_of(50, 10));  // warm-up: in neither pool
  windows.record(1, step_of(1, 100));
  windows.record(2, step_of(4, 100));
  windows.record(3, step_of(2, 100));
  windows.record(4, step_of(5, 100));
  windows.record(5, step_of(3, 100));
  const auto report = windows.report();
  CHECK(report["clean"]["steps"] == nlohmann::json({1, 3, 5}));
  CHECK(report["stalled"]["steps"] == nlohmann::json({2, 4}));
  CHECK(report["clean"]["broadcast_ms"]["count"] == 300);
  CHECK(report["stalled"]["delivery_ms"]["count"] == 200);
  // Pooled, not averaged: the clean windows' max is the slowest clean step's (3 ms, not the
  // warm-up's 50), and the stalled p50 lies in the faster stalled step.
  CHECK(report["clean"]["broadcast_ms"]["max"].get<double>() == Approx(3.0).epsilon(0.01));
  CHECK(report["stalled"]["broadcast_ms"]["p50"].get<double>() == Approx(4.0).epsilon(0.01));
  CHECK(report["stalled"]["broadcast_ms"]["p99"].get<double>() == Approx(5.0).epsilon(0.01));
}

TEST_CASE("stall windows: a run without stalls pools nothing") {
  StallWindows windows(0, 1, 0, 10);
  CHECK(windows.starting_at(1).empty());
  windows.record(1, step_of(1, 10));
  CHECK(windows.report()["clean"]["broadcast_ms"]["count"] == 0);
}
