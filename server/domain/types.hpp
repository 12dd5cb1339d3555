// Identifiers, timestamps and the small value types the community model is made of.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace staffroom::domain {

using UserId = std::int64_t;
using ChannelId = std::int64_t;
using PostId = std::int64_t;
using Seq = std::int64_t;
/// Milliseconds since the Unix epoch, UTC.
using Timestamp = std::int64_t;

enum class Visibility { public_, private_ };
enum class Role { member, moderator, owner };

/// The stable spelling of a role, used on the wire and in the database ("owner", ...).
std::string_view role_name(Role role);

/// A registered person.
struct User {
  UserId id = 0;
  std::string handle;  // lowercase
  std::string display_name;
  bool admin = false;
  Timestamp created_at = 0;
};

/// A topic channel (grade level, subject, school).
struct Channel {
  ChannelId id = 0;
  std::string slug;  // lowercase
  std::string title;
  std::string description;
  Visibility visibility = Visibility::public_;
  UserId created_by = 0;
  Timestamp created_at = 0;
  Seq last_seq = 0;
  bool archived = false;  // read-only, hidden from the default channel list
};

/// One user's place in one channel.
struct Membership {
  ChannelId channel_id = 0;
  UserId user_id = 0;
  Role role = Role::member;
  Seq read_seq = 0;
};

/// What a post shows of its author.
struct Author {
  UserId id = 0;
  std::string handle;
  std::string display_name;
  bool operator==(const Author&) const = default;
};

/// One emoji on a post and who put it there, in the order they reacted.
struct Reaction {
  std::string emoji;
  std::vector<UserId> user_ids;
  bool operator==(const Reaction&) const = default;
};

/// A root post or a reply, as stored.
struct Post {
  PostId id = 0;
  ChannelId channel_id = 0;
  Seq seq = 0;
  std::optional<PostId> thread_id;
  Author author;
  std::string body;
  std::string html;
  Timestamp created_at = 0;
  std::optional<Timestamp> edited_at;
  bool deleted = false;
  std::int64_t reply_count = 0;
  std::optional<std::string> client_id;
  std::vector<Reaction> reactions;  // in the order each emoji was first used
  bool operator==(const Post&) const = default;
};

/// An earlier body of an edited post.
struct PostVersion {
  std::string body;
  std::string html;
  Timestamp written_at = 0;  // when this version was written (created or last edited)
};

/// A post that mentions a user.
struct Mention {
  std::int64_t id = 0;  // mention row id, for paging
  Post post;
  Timestamp created_at = 0;
};

/// A search result: the post and an HTML-escaped snippet with the matches in <mark>.
struct SearchHit {
  Post post;
  std::string snippet;
};

/// One entry of a channel's event log, with the current state of what it refers to.
struct LoggedEvent {
  ChannelId channel_id = 0;
  Seq seq = 0;
  std::string kind;  // "post.created", "member.joined", ... as on the wire
  Timestamp at = 0;
  std::optional<Post> post;        // post.* events: the post as it is now
  std::optional<UserId> user_id;   // member.* events: the member; post.reacted: the reactor
  std::optional<UserId> actor_id;  // member.joined: invited_by; member.left: removed_by
  std::optional<Role> role;        // member.updated: the new role
  std::string emoji;               // post.reacted
  bool on = false;                 // post.reacted: added (true) or removed
};

/// One page of a channel's history, oldest first.
struct HistoryPage {
  std::vector<Post> posts;
  bool has_more = false;
};

/// A root post and its replies, oldest first.
struct Thread {
  Post root;
  std::vector<Post> replies;
};

}  // namespace staffroom::domain
