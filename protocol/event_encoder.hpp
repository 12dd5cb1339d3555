// Serialises server-pushed events (`{"event": …}`); each is built once and shared.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "protocol/views.hpp"

namespace staffroom::protocol {

std::string encode_hello(const UserView& user, std::string_view version);
// The post events take the post as a view or, where it is sent more than once, already encoded.
std::string encode_post_created(std::int64_t channel_id, std::int64_t seq, const PostView& post);
std::string encode_post_created(std::int64_t channel_id, std::int64_t seq, PostJson post);
std::string encode_post_edited(std::int64_t channel_id, std::int64_t seq, const PostView& post);
std::string encode_post_edited(std::int64_t channel_id, std::int64_t seq, PostJson post);
std::string encode_post_deleted(std::int64_t channel_id, std::int64_t seq, const PostView& post);
std::string encode_post_deleted(std::int64_t channel_id, std::int64_t seq, PostJson post);
std::string encode_post_reacted(std::int64_t channel_id, std::int64_t seq, const PostView& post,
                                std::int64_t user_id, std::string_view emoji, bool on);
std::string encode_post_reacted(std::int64_t channel_id, std::int64_t seq, PostJson post,
                                std::int64_t user_id, std::string_view emoji, bool on);
std::string encode_member_joined(std::int64_t channel_id, std::int64_t seq, const UserView& user,
                                 const ChannelView& channel,
                                 std::optional<std::int64_t> invited_by);
std::string encode_member_left(std::int64_t channel_id, std::int64_t seq, const UserView& user,
                               std::optional<std::int64_t> removed_by);
std::string encode_member_updated(std::int64_t channel_id, std::int64_t seq, const UserView& user,
                                  std::string_view role);
std::string encode_channel_updated(std::int64_t channel_id, std::int64_t seq,
                                   const ChannelView& channel);
std::string encode_mention(std::int64_t channel_id, const PostView& post);
std::string encode_mention(std::int64_t channel_id, PostJson post);

}  // namespace staffroom::protocol
