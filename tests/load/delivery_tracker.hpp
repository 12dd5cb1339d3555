// Per-post and per-receiver bookkeeping: latency, loss and duplicates, step by step.
#pragma once

#include <cstdint>
#include <vector>

#include "latency_histogram.hpp"
#include "post_marker.hpp"

namespace staffroom::load {

/// What one step measured on the client side.
struct StepCounts {
  std::uint64_t posts = 0;
  std::uint64_t expected = 0;    // deliveries owed to the receivers counted at send time
  std::uint64_t deliveries = 0;  // first copies received while the step was open
  std::uint64_t lost = 0;        // owed but not received when the step closed
  std::uint64_t duplicates = 0;  // a receiver got the same post twice
  std::uint64_t late = 0;        // received after the step closed (already counted lost)
  std::uint64_t acks = 0;
  std::uint64_t errors = 0;  // error replies, duplicate replies, malformed markers
  std::int64_t last_delivery_ns = 0;
  std::int64_t last_ack_ns = 0;
  LatencyHistogram delivery;   // every copy, from the post's scheduled send time
  LatencyHistogram broadcast;  // per post, its last recipient's latency
  LatencyHistogram ack;        // per post, the author's acknowledgement
};

/// Remembers every post sent (by channel and sequence) and which receivers saw it.
class DeliveryTracker {
 public:
  DeliveryTracker(int channels, int connections);

  /// Registers a post about to be sent to `expected` receivers; returns its sequence.
  std::uint32_t add_post(int channel, int step, std::int64_t scheduled_ns, std::uint32_t expected,
                         bool wants_ack);
  void on_delivery(int connection, int connection_channel, const PostMarker& marker,
                   std::int64_t now_ns);
  void on_ack(const PostMarker& marker, std::int64_t now_ns);
  void on_error(int step);
  /// A receiver that stops counting (stalled or gone): its frames are ignored from now on.
  void set_counted(int connection, bool counted);

  /// True when every post of the step has all its deliveries (and acks, when wanted).
  bool step_complete(int step) const;
  /// Closes the step: missing deliveries become lost; returns what it measured.
  StepCounts& close_step(int step);
  std::uint64_t ignored_frames() const { return ignored_; }

 private:
  struct Post {
    std::int64_t scheduled_ns;
    std::int64_t max_latency_ns;
    std::uint32_t expected;
    std::uint32_t received;
    int step;
    bool wants_ack;
    bool acked;
  };
  struct StepState {
    StepCounts counts;
    std::uint64_t outstanding = 0;  // deliveries plus acks still owed
    bool closed = false;
  };
  StepState& step_of(const Post& post);

  std::vector<std::vector<Post>> posts_;          // [channel][sequence]
  std::vector<std::vector<std::uint64_t>> seen_;  // [connection] bitset by sequence
  std::vector<bool> counted_;                     // [connection]
  std::vector<StepState> steps_;
  std::uint64_t ignored_ = 0;
};

}  // namespace staffroom::load
