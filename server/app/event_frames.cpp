#include "app/event_frames.hpp"

#include "app/post_json_memo.hpp"
#include "app/views.hpp"
#include "protocol/event_encoder.hpp"

namespace staffroom::app::event_frames {

std::string post_created(const domain::Post& post, domain::Seq seq) {
  return protocol::encode_post_created(post.channel_id, seq, PostJsonMemo::of(post));
}

std::string post_edited(const domain::Post& post, domain::Seq seq) {
  return protocol::encode_post_edited(post.channel_id, seq, PostJsonMemo::of(post));
}

std::string post_deleted(const domain::Post& post, domain::Seq seq) {
  return protocol::encode_post_deleted(post.channel_id, seq, PostJsonMemo::of(post));
}

std::string post_reacted(const domain::Post& post, domain::Seq seq, domain::UserId user,
                         const std::string& emoji, bool on) {
  return protocol::encode_post_reacted(post.channel_id, seq, PostJsonMemo::of(post), user, emoji,
                                       on);
}

std::string member_joined(const domain::ChannelInfo& joined, domain::Seq seq,
                          const domain::User& user, std::optional<domain::UserId> invited_by) {
  return protocol::encode_member_joined(joined.channel.id, seq, user_view(user),
                                        channel_view(joined), invited_by);
}

std::string member_left(domain::ChannelId channel, domain::Seq seq, const domain::User& user,
                        std::optional<domain::UserId> removed_by) {
  return protocol::encode_member_left(channel, seq, user_view(user), removed_by);
}

std::string member_updated(domain::ChannelId channel, domain::Seq seq, const domain::User& user,
                           domain::Role role) {
  return protocol::encode_member_updated(channel, seq, user_view(user),
                                         std::string(domain::role_name(role)));
}

std::string channel_updated(const domain::ChannelInfo& channel, domain::Seq seq) {
  return protocol::encode_channel_updated(channel.channel.id, seq, channel_view(channel));
}

std::optional<std::string> replay(const domain::ReplayEvent& item) {
  const auto& e = item.event;
  if (e.kind == "post.created" && e.post) return post_created(*e.post, e.seq);
  if (e.kind == "post.edited" && e.post) return post_edited(*e.post, e.seq);
  if (e.kind == "post.deleted" && e.post) return post_deleted(*e.post, e.seq);
  if (e.kind == "post.reacted" && e.post && e.user_id) {
    return post_reacted(*e.post, e.seq, *e.user_id, e.emoji, e.on);
  }
  if (e.kind == "member.joined" && item.user && item.channel) {
    return member_joined(*item.channel, e.seq, *item.user, e.actor_id);
  }
  if (e.kind == "member.left" && item.user) {
    return member_left(e.channel_id, e.seq, *item.user, e.actor_id);
  }
  if (e.kind == "member.updated" && item.user && e.role) {
    return member_updated(e.channel_id, e.seq, *item.user, *e.role);
  }
  if (e.kind == "channel.updated" && item.channel) return channel_updated(*item.channel, e.seq);
  return std::nullopt;
}

}  // namespace staffroom::app::event_frames
