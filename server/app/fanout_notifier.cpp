#include "app/fanout_notifier.hpp"

#include "app/event_frames.hpp"
#include "app/post_json_memo.hpp"
#include "app/views.hpp"
#include "protocol/event_encoder.hpp"

namespace staffroom::app {

namespace frames = event_frames;

void FanoutNotifier::publish(const std::vector<domain::UserId>& recipients, std::string frame,
                             domain::ChannelId channel, domain::Seq seq) {
  metrics_.events.fetch_add(1, std::memory_order_relaxed);
  bus_.publish(recipients, std::make_shared<const std::string>(std::move(frame)), channel, seq);
}

void FanoutNotifier::post_created(const domain::Post& post,
                                  const std::vector<domain::UserId>& recipients) {
  metrics_.posts.fetch_add(1, std::memory_order_relaxed);
  publish(recipients, frames::post_created(post, post.seq), post.channel_id, post.seq);
}

void FanoutNotifier::post_edited(const domain::Post& post, domain::Seq seq,
                                 const std::vector<domain::UserId>& recipients) {
  publish(recipients, frames::post_edited(post, seq), post.channel_id, seq);
}

void FanoutNotifier::post_deleted(const domain::Post& post, domain::Seq seq,
                                  const std::vector<domain::UserId>& recipients) {
  publish(recipients, frames::post_deleted(post, seq), post.channel_id, seq);
}

void FanoutNotifier::post_reacted(const domain::Post& post, domain::Seq seq, domain::UserId user,
                                  const std::string& emoji, bool on,
                                  const std::vector<domain::UserId>& recipients) {
  publish(recipients, frames::post_reacted(post, seq, user, emoji, on), post.channel_id, seq);
}

void FanoutNotifier::member_joined(const domain::ChannelInfo& joined, domain::Seq seq,
                                   const domain::User& user,
                                   std::optional<domain::UserId> invited_by,
                                   const std::vector<domain::UserId>& recipients) {
  publish(recipients, frames::member_joined(joined, seq, user, invited_by), joined.channel.id, seq);
}

void FanoutNotifier::member_left(domain::ChannelId channel, domain::Seq seq,
                                 const domain::User& user, std::optional<domain::UserId> removed_by,
                                 const std::vector<domain::UserId>& recipients) {
  publish(recipients, frames::member_left(channel, seq, user, removed_by), channel, seq);
}

void FanoutNotifier::member_updated(domain::ChannelId channel, domain::Seq seq,
                                    const domain::User& user, domain::Role role,
                                    const std::vector<domain::UserId>& recipients) {
  publish(recipients, frames::member_updated(channel, seq, user, role), channel, seq);
}

void FanoutNotifier::channel_updated(const domain::ChannelInfo& channel, domain::Seq seq,
                                     const std::vector<domain::UserId>& recipients) {
  publish(recipients, frames::channel_updated(channel, seq), channel.channel.id, seq);
}

void FanoutNotifier::mentioned(domain::UserId user, const domain::Post& post) {
  publish({user}, protocol::encode_mention(post.channel_id, PostJsonMemo::of(post)), 0, 0);
}

}  // namespace staffroom::app
