#include "app/fanout_notifier.hpp"

#include "app/views.hpp"
#include "protocol/encoder.hpp"

namespace staffroom::app {

void FanoutNotifier::publish(const std::vector<domain::UserId>& recipients, std::string frame) {
  metrics_.events.fetch_add(1, std::memory_order_relaxed);
  bus_.publish(recipients, std::make_shared<const std::string>(std::move(frame)));
}

void FanoutNotifier::post_created(const domain::Post& post,
                                  const std::vector<domain::UserId>& recipients) {
  metrics_.posts.fetch_add(1, std::memory_order_relaxed);
  publish(recipients, protocol::encode_post_created(post.channel_id, post.seq, post_view(post)));
}

void FanoutNotifier::member_joined(const domain::ChannelInfo& joined, domain::Seq seq,
                                   const domain::User& user,
                                   const std::vector<domain::UserId>& recipients) {
  publish(recipients, protocol::encode_member_joined(joined.channel.id, seq, user_view(user),
                                                     channel_view(joined)));
}

void FanoutNotifier::member_left(domain::ChannelId channel, domain::Seq seq,
                                 const domain::User& user,
                                 const std::vector<domain::UserId>& recipients) {
  publish(recipients, protocol::encode_member_left(channel, seq, user_view(user)));
}

}  // namespace staffroom::app
