// What the wire shows of users, channels and posts; the app fills these from the domain.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace staffroom::protocol {

/// Milliseconds since the Unix epoch, UTC; encoded as ISO 8601 with a trailing Z.
using Millis = std::int64_t;

struct UserView {
  std::int64_t id = 0;
  std::string handle;
  std::string display_name;
  bool admin = false;
  Millis created_at = 0;
};

struct AuthorView {
  std::int64_t id = 0;
  std::string handle;
  std::string display_name;
};

struct ChannelView {
  std::int64_t id = 0;
  std::string slug;
  std::string title;
  std::string description;
  bool is_private = false;
  Millis created_at = 0;
  std::int64_t created_by = 0;
  bool member = false;
  std::optional<std::string> role;  // "owner" | "moderator" | "member"
  std::int64_t member_count = 0;
  std::int64_t unread = 0;
  std::int64_t mentions = 0;
  std::int64_t last_seq = 0;
  bool archived = false;
};

struct MemberView {
  UserView user;
  std::string role;
};

struct ReactionView {
  std::string emoji;
  std::vector<std::int64_t> user_ids;
};

struct PostView {
  std::int64_t id = 0;
  std::int64_t channel_id = 0;
  std::int64_t seq = 0;
  std::optional<std::int64_t> thread_id;
  AuthorView author;
  std::string body;
  std::string html;
  Millis created_at = 0;
  std::optional<Millis> edited_at;
  bool deleted = false;
  std::vector<ReactionView> reactions;
  std::int64_t reply_count = 0;
  std::optional<std::string> client_id;
};

/// A post already written as JSON (post_json::encode): the frames that carry a post embed it
/// as it is, so a post sent as a reply and as an event is encoded once.
struct PostJson {
  std::string_view text;
};

struct VersionView {
  std::string body;
  std::string html;
  Millis written_at = 0;
};

struct MentionView {
  std::int64_t id = 0;
  std::int64_t channel_id = 0;
  PostView post;
  Millis created_at = 0;
};

struct SearchHitView {
  PostView post;
  std::string snippet;  // HTML-escaped, matches in <mark>
};

}  // namespace staffroom::protocol
