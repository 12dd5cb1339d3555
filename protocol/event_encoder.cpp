#include "protocol/event_encoder.hpp"

#include "protocol/json_text.hpp"
#include "protocol/json_views.hpp"
#include "protocol/post_json.hpp"

namespace staffroom::protocol {

using namespace json_views;

namespace {

json channel_event(std::string_view name, std::int64_t channel_id, std::int64_t seq) {
  return {{"event", name}, {"channel_id", channel_id}, {"seq", seq}};
}

// Post events are written directly (post_json): every post is one of them per recipient set.
// Keys stay in the sorted order the nlohmann-built frames have.
std::string post_event(std::string_view name, std::int64_t channel_id, std::int64_t seq,
                       PostJson post) {
  JsonText out(post.text.size() + 96);
  out.raw(R"({"channel_id":)").integer(channel_id).raw(R"(,"event":)").string(name);
  out.raw(R"(,"post":)").raw(post.text);
  return out.raw(R"(,"seq":)").integer(seq).raw("}").take();
}

}  // namespace

std::string encode_hello(const UserView& user, std::string_view version) {
  return dump({{"event", "hello"}, {"user", to_json(user)}, {"server", {{"version", version}}}});
}

std::string encode_post_created(std::int64_t channel_id, std::int64_t seq, const PostView& post) {
  return encode_post_created(channel_id, seq, PostJson{post_json::encode(post)});
}

std::string encode_post_created(std::int64_t channel_id, std::int64_t seq, PostJson post) {
  return post_event("post.created", channel_id, seq, post);
}

std::string encode_post_edited(std::int64_t channel_id, std::int64_t seq, const PostView& post) {
  return encode_post_edited(channel_id, seq, PostJson{post_json::encode(post)});
}

std::string encode_post_edited(std::int64_t channel_id, std::int64_t seq, PostJson post) {
  return post_event("post.edited", channel_id, seq, post);
}

std::string encode_post_deleted(std::int64_t channel_id, std::int64_t seq, const PostView& post) {
  return encode_post_deleted(channel_id, seq, PostJson{post_json::encode(post)});
}

std::string encode_post_deleted(std::int64_t channel_id, std::int64_t seq, PostJson post) {
  return post_event("post.deleted", channel_id, seq, post);
}

std::string encode_post_reacted(std::int64_t channel_id, std::int64_t seq, const PostView& post,
                                std::int64_t user_id, std::string_view emoji, bool on) {
  return encode_post_reacted(channel_id, seq, PostJson{post_json::encode(post)}, user_id, emoji,
                             on);
}

std::string encode_post_reacted(std::int64_t channel_id, std::int64_t seq, PostJson post,
                                std::int64_t user_id, std::string_view emoji, bool on) {
  JsonText out(post.text.size() + 160);
  out.raw(R"({"channel_id":)").integer(channel_id).raw(R"(,"emoji":)").string(emoji);
  out.raw(R"(,"event":"post.reacted","on":)").boolean(on).raw(R"(,"post":)").raw(post.text);
  out.raw(R"(,"seq":)").integer(seq).raw(R"(,"user_id":)").integer(user_id);
  return out.raw("}").take();
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
  return encode_mention(channel_id, PostJson{post_json::encode(post)});
}

std::string encode_mention(std::int64_t channel_id, PostJson post) {
  JsonText out(post.text.size() + 64);
  out.raw(R"({"channel_id":)").integer(channel_id).raw(R"(,"event":"mention","post":)");
  return out.raw(post.text).raw("}").take();
}

}  // namespace staffroom::protocol
