#include "app/session_ops.hpp"

#include "app/event_frames.hpp"

namespace staffroom::app::ops {

void session_resume(OpContext& ctx, Call call) {
  const auto& r = std::get<protocol::SessionResume>(call.request.body);
  std::vector<domain::ChannelId> channels;
  std::vector<std::pair<domain::ChannelId, domain::Seq>> points;
  for (const auto& p : r.channels) {
    channels.push_back(p.channel_id);
    points.emplace_back(p.channel_id, p.seq);
  }
  // Hold live events now, on the connection's thread, before the log is read: whatever is
  // published from here on waits behind the replay, and what the replay already holds is
  // dropped from the held events by seq.
  call.connection->hold(channels);
  at_home(ctx, std::move(call), [&ctx, points = std::move(points)](auto user, Call& c) mutable {
    ctx.core.catch_up.resume(
        user, std::move(points),
        [&ctx, connection = c.connection,
         id = c.request.id](domain::Result<domain::ResumePlan> plan) {
          if (!plan.ok()) return send_error(*connection, id, plan.error(), ctx.metrics);
          std::int64_t replayed = 0;
          for (const auto& channel : plan.value().channels) {
            std::vector<Frame> frames;
            for (const auto& item : channel.events) {
              if (auto frame = event_frames::replay(item)) {
                frames.push_back(std::make_shared<const std::string>(std::move(*frame)));
              }
            }
            replayed += static_cast<std::int64_t>(frames.size());
            connection->release(channel.channel_id, std::move(frames), channel.up_to);
          }
          // A reset channel's held events go out as they are; the client reloads it anyway.
          for (auto channel : plan.value().reset) connection->release(channel, {}, 0);
          send_frame(*connection, protocol::encode_resume_reply(id, replayed, plan.value().reset));
        });
  });
}

}  // namespace staffroom::app::ops
