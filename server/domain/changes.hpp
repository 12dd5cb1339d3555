// The writes the domain asks storage to commit, and what each commit reports back.
#pragma once

#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "domain/error.hpp"
#include "domain/types.hpp"

namespace staffroom::domain {

/// A new account. Storage makes the first account of the database an admin.
struct NewUser {
  std::string handle;  // lowercase, validated
  std::string display_name;
  std::string password_hash;  // libsodium crypto_pwhash_str
  Timestamp at = 0;
};

/// A new login session, stored by the SHA-256 of its token.
struct NewSession {
  UserId user_id = 0;
  std::string token_hash;  // lowercase hex of SHA-256(token)
  Timestamp at = 0;
};

/// Logout: the session stops working.
struct EndSession {
  std::string token_hash;
};

/// A new channel; its creator joins as owner with seq 1.
struct NewChannel {
  std::string slug;  // lowercase, validated
  std::string title;
  std::string description;
  Visibility visibility = Visibility::public_;
  UserId owner = 0;
  Timestamp at = 0;
};

/// A user joins a channel, by themselves or invited (takes the channel's next seq; the read
/// marker starts at it).
struct JoinChannel {
  ChannelId channel_id = 0;
  UserId user_id = 0;
  Role role = Role::member;
  Timestamp at = 0;
  std::optional<UserId> invited_by;  // logged as the event's actor
};

/// A user leaves a channel or is removed (takes the channel's next seq).
struct LeaveChannel {
  ChannelId channel_id = 0;
  UserId user_id = 0;
  Timestamp at = 0;
  std::optional<UserId> removed_by;  // logged as the event's actor
};

/// A member's role changes (takes the channel's next seq; event member.updated).
struct SetRole {
  ChannelId channel_id = 0;
  UserId user_id = 0;
  Role role = Role::member;
  Timestamp at = 0;
};

/// Title, description or archive state change (takes the channel's next seq; event
/// channel.updated). Unset fields stay as they are.
struct UpdateChannel {
  ChannelId channel_id = 0;
  std::optional<std::string> title;
  std::optional<std::string> description;
  std::optional<bool> archived;
  Timestamp at = 0;
};

/// A new body for a post; the old one is kept as a version (takes the channel's next seq;
/// event post.edited). A deleted post is not_found.
struct EditPost {
  PostId post_id = 0;
  std::string body;
  std::string html;
  Timestamp at = 0;
};

/// Turns a post into a tombstone (takes the channel's next seq; event post.deleted). Already
/// deleted: changed = false, no seq. Its search entry goes too.
struct DeletePost {
  PostId post_id = 0;
  Timestamp at = 0;
};

/// Adds or removes one user's emoji on a post (takes the channel's next seq; event
/// post.reacted). A no-op (already there / not there): changed = false, no seq.
struct ReactToPost {
  PostId post_id = 0;
  UserId user_id = 0;
  std::string emoji;
  bool on = true;
  Timestamp at = 0;
};

/// A root post or a reply. Storage checks the thread root and the client_id.
struct NewPost {
  ChannelId channel_id = 0;
  Author author;
  std::optional<PostId> thread_id;
  std::string body;
  std::string html;
  std::optional<std::string> client_id;
  Timestamp at = 0;
  std::vector<UserId> mentions;  // members to record a mention for (not the author)
};

/// Moves a member's read marker forward (never backward, never past last_seq). No seq.
struct MarkRead {
  ChannelId channel_id = 0;
  UserId user_id = 0;
  Seq seq = 0;
};

using Change =
    std::variant<NewUser, NewSession, EndSession, NewChannel, JoinChannel, LeaveChannel, NewPost,
                 MarkRead, SetRole, UpdateChannel, EditPost, DeletePost, ReactToPost>;

/// What the writer reports for one change after its batch committed (or failed).
struct Committed {
  std::optional<Error> error;      // set: the change was rolled back, nothing of it is stored
  std::int64_t id = 0;             // the new row: user, channel or post id
  Seq seq = 0;                     // the channel seq the change took (0 for changes without one)
  bool admin = false;              // NewUser: this account is the first, so admin
  bool duplicate = false;          // NewPost: client_id seen before; `post` is the first one
  bool changed = true;             // MarkRead/Join/Leave: false when it was a no-op
  std::optional<Post> post;        // NewPost/EditPost/DeletePost/ReactToPost: the post afterwards
  std::optional<Channel> channel;  // UpdateChannel: the channel afterwards
  Seq read_seq = 0;                // MarkRead/JoinChannel: the member's read marker afterwards
};

}  // namespace staffroom::domain
