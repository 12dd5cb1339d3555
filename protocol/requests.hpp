// Typed WebSocket requests and HTTP bodies, as the codec hands them to the app.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "protocol/error_code.hpp"

namespace staffroom::protocol {

struct ChannelCreate {
  std::string slug;  // lowercased, validated
  std::string title;
  std::string description;
  bool is_private = false;
};
struct ChannelList {
  bool archived = false;  // also list archived channels
};
struct ChannelUpdate {
  std::int64_t channel_id = 0;
  std::optional<std::string> title;
  std::optional<std::string> description;
};
struct ChannelArchive {
  std::int64_t channel_id = 0;
  bool archived = true;
};
struct ChannelMembers {
  std::int64_t channel_id = 0;
};
struct ChannelInvite {
  std::int64_t channel_id = 0;
  std::int64_t user_id = 0;
};
struct ChannelRemove {
  std::int64_t channel_id = 0;
  std::int64_t user_id = 0;
};
struct ChannelSetRole {
  std::int64_t channel_id = 0;
  std::int64_t user_id = 0;
  std::string role;  // "owner" | "moderator" | "member"
};
struct UserSearch {
  std::string q;
  int limit = 20;
};
struct ChannelJoin {
  std::int64_t channel_id = 0;
};
struct ChannelLeave {
  std::int64_t channel_id = 0;
};
struct ChannelRead {
  std::int64_t channel_id = 0;
  std::int64_t seq = 0;
};
struct PostCreate {
  std::int64_t channel_id = 0;
  std::string body;
  std::optional<std::int64_t> thread_id;
  std::optional<std::string> client_id;
};
struct PostHistory {
  std::int64_t channel_id = 0;
  std::optional<std::int64_t> after_seq;
  std::optional<std::int64_t> before_seq;
  int limit = 50;
};
struct ThreadGet {
  std::int64_t post_id = 0;
};
struct PostEdit {
  std::int64_t post_id = 0;
  std::string body;
};
struct PostVersions {
  std::int64_t post_id = 0;
};
struct PostDelete {
  std::int64_t post_id = 0;
};
struct PostReact {
  std::int64_t post_id = 0;
  std::string emoji;
  bool on = true;
};
struct MentionList {
  std::optional<std::int64_t> before_id;
  int limit = 20;
};
struct ResumePoint {
  std::int64_t channel_id = 0;
  std::int64_t seq = 0;
};
struct SessionResume {
  std::vector<ResumePoint> channels;
};
struct Search {
  std::string q;
  std::optional<std::int64_t> channel_id;
  int limit = 20;
};

using RequestBody =
    std::variant<ChannelCreate, ChannelList, ChannelJoin, ChannelLeave, ChannelRead, PostCreate,
                 PostHistory, ThreadGet, ChannelUpdate, ChannelArchive, ChannelMembers,
                 ChannelInvite, ChannelRemove, ChannelSetRole, UserSearch, PostEdit, PostVersions,
                 PostDelete, PostReact, MentionList, SessionResume, Search>;

/// A decoded, validated WebSocket request.
struct Request {
  std::int64_t id = 0;
  std::string op;
  RequestBody body;
};

/// Why a frame or body was refused; `id` is the request id when one could be read.
struct DecodeError {
  std::optional<std::int64_t> id;
  ErrorCode code = ErrorCode::bad_request;
  std::string message;
};

/// POST /api/register.
struct RegisterBody {
  std::string handle;  // lowercased, validated
  std::string password;
  std::string display_name;  // defaults to the handle
};

/// POST /api/login.
struct LoginBody {
  std::string handle;  // lowercased (not validated beyond type: a wrong one just fails)
  std::string password;
};

}  // namespace staffroom::protocol
