#include "protocol/event_encoder.hpp"

#include "protocol/json_views.hpp"

namespace staffroom::protocol {

using namespace json_views;

namespace {

json channel_event(std::string_view name, std::int64_t channel_id, std::int64_t seq) {
  return {{"event", name}, {"channel_id", channel_id}, {"seq", seq}};
}

std::string post_event(std::string_view name, std::int64_t channel_id, std::int64_t seq,
                       const PostView& post) {
  auto j = channel_event(name, channel_id, seq);
  j["post"] = to_json(post);
  return dump(j);
}

}  // namespace

std::string encode_hello(const UserView& user, std::string_view version) {
  return dump({{"event", "hello"}, {"user", to_json(user)}, {"server", {{"version", version}}}});
}

std::string encode_post_created(std::int64_t channel_id, std::int64_t seq, const PostView& post) {
  return post_event("post.created", channel_id, seq, post);
}

std::string encode_post_edited(std::int64_t channel_id, std::int64_t seq, const PostView& post) {
  return post_event("post.edited", channel_id, seq, post);
}

std::string encode_post_deleted(std::int64_t channel_id, std::int64_t seq, const PostView& post) {
  return post_event("post.deleted", channel_id, seq, post);
}

std::string encode_post_reacted(std::int64_t channel_id, std::int64_t seq, const PostView& post,
                                std::int64_t user_id, std::string_view emoji, bool on) {
  auto j = channel_event("post.reacted", channel_id, seq);
  j["post"] = to_json(post);
  j["user_id"] = user_id;
  j["emoji"] = emoji;
  j["on"] = on;
  return dump(j);
}

std::string encode_member_joined(std::int64_t channel_id, std::int64_t seq, const UserView& user,
                                 const ChannelView& channel,
                                 std::optional<std::int64_t> invited_by) {
  auto j = channel_event("member.joined", channel_id, seq);
  j["user"] = to_json(user);
  j["channel"] = to_json(channel);
  j["invited_by"] = optional_int(invited_by);
  return dump(j);
}

std::string encode_member_left(std::int64_t channel_id, std::int64_t seq, const UserView& user,
                               std::optional<std::int64_t> removed_by) {
  auto j = channel_event("member.left", channel_id, seq);
  j["user"] = to_json(user);
  j["removed_by"] = optional_int(removed_by);
  return dump(j);
}

std::string encode_member_updated(std::int64_t channel_id, std::int64_t seq, const UserView& user,
                                  std::string_view role) {
  auto j = channel_event("member.updated", channel_id, seq);
  j["user"] = to_json(user);
  j["role"] = role;
  return dump(j);
}

std::string encode_channel_updated(std::int64_t channel_id, std::int64_t seq,
                                   const ChannelView& channel) {
  auto j = channel_event("channel.updated", channel_id, seq);
  j["channel"] = to_json(channel);
  return dump(j);
}

std::string encode_mention(std::int64_t channel_id, const PostView& post) {
  return dump({{"event", "mention"}, {"channel_id", channel_id}, {"post", to_json(post)}});
}

}  // namespace staffroom::protocol
