#include "delivery_tracker.hpp"

#include <algorithm>

namespace staffroom::load {

DeliveryTracker::DeliveryTracker(int channels, int connections)
    : posts_(static_cast<std::size_t>(channels)),
      seen_(static_cast<std::size_t>(connections)),
      counted_(static_cast<std::size_t>(connections), true) {}

DeliveryTracker::StepState& DeliveryTracker::step_of(const Post& post) {
  return steps_[static_cast<std::size_t>(post.step)];
}

std::uint32_t DeliveryTracker::add_post(int channel, int step, std::int64_t scheduled_ns,
                                        std::uint32_t expected, bool wants_ack) {
  if (steps_.size() <= static_cast<std::size_t>(step)) {
    steps_.resize(static_cast<std::size_t>(step) + 1);
  }
  auto& list = posts_.at(static_cast<std::size_t>(channel));
  list.push_back(Post{scheduled_ns, 0, expected, 0, step, wants_ack, false});
  auto& state = steps_[static_cast<std::size_t>(step)];
  ++state.counts.posts;
  state.counts.expected += expected;
  state.outstanding += expected + (wants_ack ? 1 : 0);
  return static_cast<std::uint32_t>(list.size() - 1);
}

void DeliveryTracker::on_delivery(int connection, int connection_channel, const PostMarker& marker,
                                  std::int64_t now_ns) {
  const auto c = static_cast<std::size_t>(connection);
  if (!counted_[c]) {
    ++ignored_;
    return;
  }
  if (marker.channel != connection_channel ||
      static_cast<std::size_t>(marker.channel) >= posts_.size() ||
      marker.sequence >= posts_[static_cast<std::size_t>(marker.channel)].size()) {
    ++ignored_;  // not ours: another channel's event, or a post from an earlier run
    return;
  }
  auto& post = posts_[static_cast<std::size_t>(marker.channel)][marker.sequence];
  auto& state = step_of(post);
  auto& bits = seen_[c];
  const auto word = marker.sequence / 64;
  const auto bit = std::uint64_t{1} << (marker.sequence % 64);
  if (bits.size() <= word) bits.resize(word + 1 + bits.size() / 2, 0);
  if (bits[word] & bit) {
    ++state.counts.duplicates;
    return;
  }
  bits[word] |= bit;
  if (state.closed) {
    ++state.counts.late;
    return;
  }
  const auto latency = now_ns - marker.scheduled_ns;
  ++post.received;
  ++state.counts.deliveries;
  if (post.received <= post.expected) --state.outstanding;
  state.counts.delivery.record(latency);
  state.counts.last_delivery_ns = std::max(state.counts.last_delivery_ns, now_ns);
  post.max_latency_ns = std::max(post.max_latency_ns, latency);
}

void DeliveryTracker::on_ack(const PostMarker& marker, std::int64_t now_ns) {
  if (static_cast<std::size_t>(marker.channel) >= posts_.size() ||
      marker.sequence >= posts_[static_cast<std::size_t>(marker.channel)].size()) {
    ++ignored_;
    return;
  }
  auto& post = posts_[static_cast<std::size_t>(marker.channel)][marker.sequence];
  auto& state = step_of(post);
  if (post.acked) {
    ++state.counts.errors;
    return;
  }
  post.acked = true;
  if (state.closed) return;
  ++state.counts.acks;
  if (post.wants_ack) --state.outstanding;
  state.counts.ack.record(now_ns - marker.scheduled_ns);
  state.counts.last_ack_ns = std::max(state.counts.last_ack_ns, now_ns);
}

void DeliveryTracker::on_error(int step) {
  if (steps_.size() <= static_cast<std::size_t>(step)) {
    steps_.resize(static_cast<std::size_t>(step) + 1);
  }
  ++steps_[static_cast<std::size_t>(step)].counts.errors;
}

void DeliveryTracker::set_counted(int connection, bool counted) {
  counted_[static_cast<std::size_t>(connection)] = counted;
}

bool DeliveryTracker::step_complete(int step) const {
  return static_cast<std::size_t>(step) >= steps_.size() ||
         steps_[static_cast<std::size_t>(step)].outstanding == 0;
}

StepCounts& DeliveryTracker::close_step(int step) {
  if (steps_.size() <= static_cast<std::size_t>(step)) {
    steps_.resize(static_cast<std::size_t>(step) + 1);
  }
  auto& state = steps_[static_cast<std::size_t>(step)];
  state.closed = true;
  for (const auto& channel : posts_) {
    for (const auto& post : channel) {
      if (post.step != step) continue;
      if (post.received >= post.expected) {
        state.counts.broadcast.record(post.max_latency_ns);
      } else {
        state.counts.lost += post.expected - post.received;
      }
    }
  }
  return state.counts;
}

}  // namespace staffroom::load
