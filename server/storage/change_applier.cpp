#include "storage/change_applier.hpp"

#include <algorithm>
#include <string>
#include <variant>

#include "storage/database.hpp"
#include "storage/rows.hpp"

namespace staffroom::storage {
namespace {

using domain::Committed;
using domain::ErrorKind;

Committed failed(ErrorKind kind, std::string message) {
  Committed committed;
  committed.error = domain::Error::of(kind, std::move(message));
  committed.changed = false;
  return committed;
}

Committed no_user(domain::UserId user) {
  return failed(ErrorKind::not_found, "user " + std::to_string(user) + " not found");
}

Committed no_channel(domain::ChannelId channel) {
  return failed(ErrorKind::not_found, "channel " + std::to_string(channel) + " not found");
}

}  // namespace

Committed ChangeApplier::apply(const domain::Change& change) {
  return std::visit([this](const auto& typed) { return on(typed); }, change);
}

bool ChangeApplier::exists(const char* sql, std::int64_t id) {
  auto query = connection_.query(sql);
  query->bind_int64(1, id);
  return query->step();
}

bool ChangeApplier::user_exists(domain::UserId user) {
  return exists("SELECT 1 FROM users WHERE id = ?1", user);
}

bool ChangeApplier::channel_exists(domain::ChannelId channel) {
  return exists("SELECT 1 FROM channels WHERE id = ?1", channel);
}

Committed ChangeApplier::on(const domain::NewUser& change) {
  {
    // The column is COLLATE NOCASE, so this finds "Alice" when "alice" asks.
    auto taken = connection_.query("SELECT 1 FROM users WHERE handle = ?1");
    taken->bind_text(1, change.handle);
    if (taken->step()) {
      return failed(ErrorKind::conflict, "handle '" + change.handle + "' is already taken");
    }
  }
  bool first = false;
  {
    auto any = connection_.query("SELECT NOT EXISTS (SELECT 1 FROM users)");
    first = any->step() && any->column_int64(0) != 0;
  }
  auto insert = connection_.query(
      "INSERT INTO users (handle, display_name, password_hash, admin, created_at) "
      "VALUES (?1, ?2, ?3, ?4, ?5)");
  insert->bind_text(1, change.handle)
      .bind_text(2, change.display_name)
      .bind_text(3, change.password_hash)
      .bind_int64(4, first ? 1 : 0)
      .bind_int64(5, change.at);
  insert->run();
  Committed committed;
  committed.id = connection_.last_insert_rowid();
  committed.admin = first;
  return committed;
}

Committed ChangeApplier::on(const domain::NewSession& change) {
  if (!user_exists(change.user_id)) return no_user(change.user_id);
  auto insert = connection_.query(
      "INSERT INTO sessions (token_hash, user_id, created_at) VALUES (?1, ?2, ?3)");
  insert->bind_text(1, change.token_hash).bind_int64(2, change.user_id).bind_int64(3, change.at);
  insert->run();
  return Committed{};
}

Committed ChangeApplier::on(const domain::EndSession& change) {
  auto remove = connection_.query("DELETE FROM sessions WHERE token_hash = ?1");
  remove->bind_text(1, change.token_hash);
  remove->run();
  Committed committed;
  committed.changed = connection_.changes() > 0;
  return committed;
}

Committed ChangeApplier::on(const domain::NewChannel& change) {
  {
    auto taken = connection_.query("SELECT 1 FROM channels WHERE slug = ?1");
    taken->bind_text(1, change.slug);
    if (taken->step()) {
      return failed(ErrorKind::conflict, "channel slug '" + change.slug + "' is already taken");
    }
  }
  if (!user_exists(change.owner)) return no_user(change.owner);
  // The owner's join is the channel's first change, so the channel starts at seq 1.
  constexpr domain::Seq first_seq = 1;
  {
    auto insert = connection_.query(
        "INSERT INTO channels (slug, title, description, visibility, created_by, created_at, "
        "last_seq) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)");
    insert->bind_text(1, change.slug)
        .bind_text(2, change.title)
        .bind_text(3, change.description)
        .bind_text(4, visibility_name(change.visibility))
        .bind_int64(5, change.owner)
        .bind_int64(6, change.at)
        .bind_int64(7, first_seq);
    insert->run();
  }
  const domain::ChannelId channel = connection_.last_insert_rowid();
  {
    auto member = connection_.query(
        "INSERT INTO memberships (channel_id, user_id, role, read_seq, joined_at) "
        "VALUES (?1, ?2, ?3, ?4, ?5)");
    member->bind_int64(1, channel)
        .bind_int64(2, change.owner)
        .bind_text(3, role_name(domain::Role::owner))
        .bind_int64(4, first_seq)
        .bind_int64(5, change.at);
    member->run();
  }
  log_.record(channel, first_seq, event_kind::member_joined, std::nullopt, change.owner, change.at);
  Committed committed;
  committed.id = channel;
  committed.seq = first_seq;
  committed.read_seq = first_seq;
  return committed;
}

Committed ChangeApplier::on(const domain::JoinChannel& change) {
  if (!channel_exists(change.channel_id)) return no_channel(change.channel_id);
  if (!user_exists(change.user_id)) return no_user(change.user_id);
  {
    auto existing = connection_.query(
        "SELECT read_seq FROM memberships WHERE channel_id = ?1 AND user_id = ?2");
    existing->bind_int64(1, change.channel_id).bind_int64(2, change.user_id);
    if (existing->step()) {
      Committed committed;
      committed.changed = false;
      committed.read_seq = existing->column_int64(0);
      return committed;
    }
  }
  const auto seq = log_.next_seq(change.channel_id);
  if (!seq) return no_channel(change.channel_id);
  auto member = connection_.query(
      "INSERT INTO memberships (channel_id, user_id, role, read_seq, joined_at) "
      "VALUES (?1, ?2, ?3, ?4, ?5)");
  member->bind_int64(1, change.channel_id)
      .bind_int64(2, change.user_id)
      .bind_text(3, role_name(change.role))
      .bind_int64(4, *seq)
      .bind_int64(5, change.at);
  member->run();
  log_.record(change.channel_id, *seq, event_kind::member_joined, std::nullopt, change.user_id,
              change.at);
  Committed committed;
  committed.seq = *seq;
  committed.read_seq = *seq;
  return committed;
}

Committed ChangeApplier::on(const domain::LeaveChannel& change) {
  {
    auto remove =
        connection_.query("DELETE FROM memberships WHERE channel_id = ?1 AND user_id = ?2");
    remove->bind_int64(1, change.channel_id).bind_int64(2, change.user_id);
    remove->run();
  }
  if (connection_.changes() == 0) {
    Committed committed;
    committed.changed = false;
    return committed;
  }
  const auto seq = log_.next_seq(change.channel_id);
  if (!seq) return no_channel(change.channel_id);  // unreachable: memberships reference it
  log_.record(change.channel_id, *seq, event_kind::member_left, std::nullopt, change.user_id,
              change.at);
  Committed committed;
  committed.seq = *seq;
  return committed;
}

Committed ChangeApplier::on(const domain::MarkRead& change) {
  domain::Seq read_seq = 0;
  domain::Seq last_seq = 0;
  {
    auto marker = connection_.query(
        "SELECT m.read_seq, c.last_seq FROM memberships m JOIN channels c ON c.id = m.channel_id "
        "WHERE m.channel_id = ?1 AND m.user_id = ?2");
    marker->bind_int64(1, change.channel_id).bind_int64(2, change.user_id);
    if (!marker->step()) {
      return failed(ErrorKind::not_found,
                    "not a member of channel " + std::to_string(change.channel_id));
    }
    read_seq = marker->column_int64(0);
    last_seq = marker->column_int64(1);
  }
  const domain::Seq wanted = std::min(change.seq, last_seq);
  Committed committed;
  committed.changed = wanted > read_seq;
  committed.read_seq = committed.changed ? wanted : read_seq;
  if (committed.changed) {
    auto update = connection_.query(
        "UPDATE memberships SET read_seq = ?3 WHERE channel_id = ?1 AND user_id = ?2");
    update->bind_int64(1, change.channel_id).bind_int64(2, change.user_id).bind_int64(3, wanted);
    update->run();
  }
  return committed;
}

Committed ChangeApplier::on(const domain::NewPost& change) {
  if (change.client_id) {
    // A retry of a post whose ack was lost: hand back the first one, write nothing.
    auto first = connection_.query(select_posts("WHERE p.author_id = ?1 AND p.client_id = ?2"));
    first->bind_int64(1, change.author.id).bind_text(2, *change.client_id);
    if (first->step()) {
      Committed committed;
      committed.post = read_post(*first);
      committed.id = committed.post->id;
      committed.seq = committed.post->seq;
      committed.duplicate = true;
      committed.changed = false;
      return committed;
    }
  }
  if (!channel_exists(change.channel_id)) return no_channel(change.channel_id);
  if (!user_exists(change.author.id)) return no_user(change.author.id);
  if (change.thread_id) {
    auto root = connection_.query("SELECT channel_id, thread_id FROM posts WHERE id = ?1");
    root->bind_int64(1, *change.thread_id);
    if (!root->step() || root->column_int64(0) != change.channel_id) {
      return failed(ErrorKind::not_found,
                    "thread " + std::to_string(*change.thread_id) + " not found");
    }
    if (!root->column_is_null(1)) {
      return failed(ErrorKind::bad_request, "cannot reply to a reply");
    }
  }
  const auto seq = log_.next_seq(change.channel_id);
  if (!seq) return no_channel(change.channel_id);
  {
    auto insert = connection_.query(
        "INSERT INTO posts (channel_id, seq, thread_id, author_id, body, html, created_at, "
        "client_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)");
    insert->bind_int64(1, change.channel_id)
        .bind_int64(2, *seq)
        .bind_optional(3, change.thread_id)
        .bind_int64(4, change.author.id)
        .bind_text(5, change.body)
        .bind_text(6, change.html)
        .bind_int64(7, change.at)
        .bind_optional(8, change.client_id);
    insert->run();
  }
  const domain::PostId id = connection_.last_insert_rowid();
  if (change.thread_id) {
    auto count = connection_.query("UPDATE posts SET reply_count = reply_count + 1 WHERE id = ?1");
    count->bind_int64(1, *change.thread_id);
    count->run();
  }
  log_.record(change.channel_id, *seq, event_kind::post_created, id, change.author.id, change.at);

  domain::Post post;
  post.id = id;
  post.channel_id = change.channel_id;
  post.seq = *seq;
  post.thread_id = change.thread_id;
  post.author = change.author;
  post.body = change.body;
  post.html = change.html;
  post.created_at = change.at;
  post.client_id = change.client_id;
  Committed committed;
  committed.id = id;
  committed.seq = *seq;
  committed.post = std::move(post);
  return committed;
}

}  // namespace staffroom::storage
