// One batch's commit callbacks for one lane, run there as one task.
#pragma once

#include <cstddef>
#include <memory>
#include <utility>
#include <vector>

#include "domain/lane.hpp"
#include "domain/store.hpp"

namespace staffroom::storage {

/// Carries callbacks and their results from the writer thread to a lane in one post, and runs
/// them there in order. A callback that throws does not take the others with it: the rest go
/// on in a task of their own, then the exception goes on up the lane as it did before.
class LaneHandoff {
 public:
  explicit LaneHandoff(domain::Lane& lane) : lane_(lane) {}

  void add(domain::CommitCallback callback, domain::Committed result) {
    calls_.emplace_back(std::move(callback), std::move(result));
  }

  /// Posts the handoff to its lane.
  static void start(std::shared_ptr<LaneHandoff> handoff) {
    auto& lane = handoff->lane_;
    lane.post([handoff = std::move(handoff)] { run(handoff); });
  }

 private:
  static void run(const std::shared_ptr<LaneHandoff>& handoff) {
    auto& calls = handoff->calls_;
    while (handoff->next_ < calls.size()) {
      auto& [callback, result] = calls[handoff->next_++];
      if (!callback) continue;
      try {
        callback(std::move(result));
      } catch (...) {
        if (handoff->next_ < calls.size()) start(handoff);
        throw;
      }
    }
  }

  domain::Lane& lane_;
  std::vector<std::pair<domain::CommitCallback, domain::Committed>> calls_;
  std::size_t next_ = 0;
};

}  // namespace staffroom::storage
