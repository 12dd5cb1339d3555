// Serialises replies, events and HTTP bodies; the only place outgoing JSON is written.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "protocol/error_code.hpp"
#include "protocol/views.hpp"

namespace staffroom::protocol {

/// ISO 8601 UTC with milliseconds: 2026-11-22T20:00:00.000Z.
std::string format_timestamp(Millis ms);

// WebSocket replies.
/// `retry_after_seconds` > 0 adds "retry_after" to the error object (rate_limited).
std::string encode_error_reply(std::optional<std::int64_t> id, ErrorCode code,
                               std::string_view message, std::int64_t retry_after_seconds = 0);
std::string encode_channel_reply(std::int64_t id, const ChannelView& channel);
std::string encode_channels_reply(std::int64_t id, const std::vector<ChannelView>& channels);
/// `duplicate` is only for post.create (a retried client_id); other post replies leave it out.
std::string encode_post_reply(std::int64_t id, const PostView& post,
                              std::optional<bool> duplicate = std::nullopt);
std::string encode_post_reply(std::int64_t id, PostJson post,
                              std::optional<bool> duplicate = std::nullopt);
std::string encode_history_reply(std::int64_t id, const std::vector<PostView>& posts,
                                 bool has_more);
std::string encode_thread_reply(std::int64_t id, const PostView& root,
                                const std::vector<PostView>& replies);

std::string encode_member_reply(std::int64_t id, const MemberView& member);
std::string encode_members_reply(std::int64_t id, const std::vector<MemberView>& members);
std::string encode_users_reply(std::int64_t id, const std::vector<UserView>& users);
std::string encode_versions_reply(std::int64_t id, const std::vector<VersionView>& versions);
std::string encode_mentions_reply(std::int64_t id, const std::vector<MentionView>& mentions,
                                  bool has_more);
std::string encode_search_reply(std::int64_t id, const std::vector<SearchHitView>& hits);
std::string encode_resume_reply(std::int64_t id, std::int64_t replayed,
                                const std::vector<std::int64_t>& reset);

// HTTP bodies.
std::string encode_http_error(ErrorCode code, std::string_view message);
std::string encode_auth(const UserView& user, std::string_view token);
std::string encode_session(const UserView& user);
std::string encode_status_ok();
std::string encode_health(std::string_view version, std::int64_t uptime_seconds);

}  // namespace staffroom::protocol
