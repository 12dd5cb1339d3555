// The writes the domain asks storage to commit, and what each commit reports back.
#pragma once

#include <optional>
#include <string>
#include <variant>

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

/// A user joins a channel (takes the channel's next seq; read marker starts at it).
struct JoinChannel {
  ChannelId channel_id = 0;
  UserId user_id = 0;
  Role role = Role::member;
  Timestamp at = 0;
};

/// A user leaves a channel (takes the channel's next seq).
struct LeaveChannel {
  ChannelId channel_id = 0;
  UserId user_id = 0;
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
};

/// Moves a member's read marker forward (never backward, never past last_seq). No seq.
struct MarkRead {
  ChannelId channel_id = 0;
  UserId user_id = 0;
  Seq seq = 0;
};

using Change = std::variant<NewUser, NewSession, EndSession, NewChannel, JoinChannel, LeaveChannel,
                            NewPost, MarkRead>;

/// What the writer reports for one change after its batch committed (or failed).
struct Committed {
  std::optional<Error> error;  // set: the change was rolled back, nothing of it is stored
  std::int64_t id = 0;         // the new row: user, channel or post id
  Seq seq = 0;                 // the channel seq the change took (0 for changes without one)
  bool admin = false;          // NewUser: this account is the first, so admin
  bool duplicate = false;      // NewPost: client_id seen before; `post` is the first one
  bool changed = true;         // MarkRead/Join/Leave: false when it was a no-op
  std::optional<Post> post;    // NewPost: the stored post (seq, reply_count, ...)
  Seq read_seq = 0;            // MarkRead/JoinChannel: the member's read marker afterwards
};

}  // namespace staffroom::domain
