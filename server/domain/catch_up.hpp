// session.resume: which logged events a reconnecting client missed, per channel.
#pragma once

#include <optional>
#include <utility>
#include <vector>

#include "domain/access.hpp"
#include "domain/community.hpp"

namespace staffroom::domain {

/// A logged event with what it refers to resolved on the home lane.
struct ReplayEvent {
  LoggedEvent event;
  std::optional<User> user;            // member.*: the member
  std::optional<ChannelInfo> channel;  // member.joined / channel.updated: the channel now
};

struct ReplayedChannel {
  ChannelId channel_id = 0;
  std::vector<ReplayEvent> events;
  Seq up_to = 0;  // the last seq the replay covers
};

struct ResumePlan {
  std::vector<ReplayedChannel> channels;
  std::vector<ChannelId> reset;  // too far behind, or no longer a member: reload instead
};

/// Reads each channel's event log after the client's seq. Runs on the home lane.
class CatchUp {
 public:
  static constexpr int kMaxReplay = 1000;        // per channel
  static constexpr int kMaxReplayTotal = 20000;  // per resume: past it, channels reset

  CatchUp(const ChannelDirectory& directory, const Accounts& accounts, Lane& home, ReadLane& reads);
  void resume(UserId user, std::vector<std::pair<ChannelId, Seq>> points, Done<ResumePlan> done);

 private:
  void resolve(UserId user, ResumePlan& plan) const;

  const ChannelDirectory& directory_;
  const Accounts& accounts_;
  Lane& home_;
  ReadLane& reads_;
};

}  // namespace staffroom::domain
