#include "domain/catch_up.hpp"

#include "domain/guarded_read.hpp"

namespace staffroom::domain {

CatchUp::CatchUp(const ChannelDirectory& directory, const Accounts& accounts, Lane& home,
                 ReadLane& reads)
    : directory_(directory), accounts_(accounts), home_(home), reads_(reads) {}

void CatchUp::resume(UserId user, std::vector<std::pair<ChannelId, Seq>> points,
                     Done<ResumePlan> done) {
  ResumePlan plan;
  std::vector<std::pair<ChannelId, Seq>> wanted;
  for (const auto& [channel, seq] : points) {
    // Events are only for members; anyone else reloads (and learns what they may see).
    if (directory_.role(channel, user)) {
      wanted.emplace_back(channel, seq);
    } else {
      plan.reset.push_back(channel);
    }
  }
  reads_.post([this, user, wanted = std::move(wanted), plan = std::move(plan),
               done = std::move(done)](Reader& reader) mutable {
    guarded_read(done, [&] {
      int total = 0;
      for (const auto& [channel, seq] : wanted) {
        auto events = reader.events_after(channel, seq, kMaxReplay + 1);
        const auto n = static_cast<int>(events.size());
        if (n > kMaxReplay || total + n > kMaxReplayTotal) {
          plan.reset.push_back(channel);
          continue;
        }
        total += n;
        ReplayedChannel replay{channel, {}, events.empty() ? seq : events.back().seq};
        for (auto& e : events) replay.events.push_back(ReplayEvent{std::move(e), {}, {}});
        plan.channels.push_back(std::move(replay));
      }
      home_.post([this, user, plan = std::move(plan), done = std::move(done)]() mutable {
        resolve(user, plan);
        done(std::move(plan));
      });
    });
  });
}

void CatchUp::resolve(UserId user, ResumePlan& plan) const {
  for (auto& channel : plan.channels) {
    const auto* ch = directory_.find(channel.channel_id);
    for (auto& item : channel.events) {
      const auto& e = item.event;
      if (e.user_id && e.kind.rfind("member.", 0) == 0) {
        if (const auto* u = accounts_.find(*e.user_id)) item.user = *u;
      }
      if (ch != nullptr && (e.kind == "member.joined" || e.kind == "channel.updated")) {
        const auto viewer = e.kind == "member.joined" && e.user_id ? *e.user_id : user;
        item.channel = channel_info(directory_, *ch, viewer);
      }
    }
  }
}

}  // namespace staffroom::domain
