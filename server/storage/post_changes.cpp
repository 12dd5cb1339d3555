#include "storage/post_changes.hpp"

#include <set>

#include "storage/change_results.hpp"
#include "storage/client_id_index.hpp"
#include "storage/database.hpp"
#include "storage/event_log.hpp"
#include "storage/known_rows.hpp"
#include "storage/rows.hpp"
#include "storage/stored_html.hpp"

namespace staffroom::storage {

using domain::Committed;

Committed PostChanges::after(domain::PostId post, domain::Seq seq) {
  Committed committed;
  committed.id = post;
  committed.seq = seq;
  committed.post = load_post(connection_, post);
  return committed;
}

Committed PostChanges::on(const domain::NewPost& change) {
  if (change.client_id) {
    // A retry of a post whose ack was lost: hand back the first one, write nothing.
    if (const auto first = client_ids_.find(change.author.id, *change.client_id)) {
      Committed committed = unchanged();
      committed.post = load_post(connection_, *first);
      committed.id = *first;
      committed.seq = committed.post->seq;
      committed.duplicate = true;
      return committed;
    }
  }
  // Every check comes before the first write, so a refused post has written nothing (the
  // writer runs new posts without a savepoint: ChangeApplier::checks_before_writes).
  const auto seq = log_.peek_seq(change.channel_id);
  if (!seq) return no_channel(change.channel_id);
  if (!known_.user_exists(change.author.id)) return no_user(change.author.id);
  if (change.thread_id) {
    auto root = connection_.query("SELECT channel_id, thread_id FROM posts WHERE id = ?1");
    root->bind_int64(1, *change.thread_id);
    if (!root->step() || root->column_int64(0) != change.channel_id) {
      return failed(domain::ErrorKind::not_found,
                    "thread " + std::to_string(*change.thread_id) + " not found");
    }
    if (!root->column_is_null(1)) {
      return failed(domain::ErrorKind::bad_request, "cannot reply to a reply");
    }
  }
  log_.take_seq(change.channel_id, *seq);
  {
    auto insert = connection_.query(
        "INSERT INTO posts (channel_id, seq, thread_id, author_id, body, html, created_at, "
        "client_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)");
    insert->bind_int64(1, change.channel_id)
        .bind_int64(2, *seq)
        .bind_optional(3, change.thread_id)
        .bind_int64(4, change.author.id)
        .bind_text(5, change.body)
        .bind_text(6, StoredHtml::store(change.body, change.html))
        .bind_int64(7, change.at)
        .bind_optional(8, change.client_id);
    insert->run();
  }
  const domain::PostId id = connection_.last_insert_rowid();
  if (change.client_id) client_ids_.add(change.author.id, *change.client_id, id);
  if (change.thread_id) {
    auto count = connection_.query("UPDATE posts SET reply_count = reply_count + 1 WHERE id = ?1");
    count->bind_int64(1, *change.thread_id);
    count->run();
  }
  record_mentions(change, id, *seq);
  // The post row is its own post.created event (seq, created_at): events holds no copy.

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

void PostChanges::record_mentions(const domain::NewPost& change, domain::PostId post,
                                  domain::Seq seq) {
  // One row per mentioned user, however often the body names them.
  const std::set<domain::UserId> users(change.mentions.begin(), change.mentions.end());
  for (const domain::UserId user : users) {
    auto insert = connection_.query(
        "INSERT INTO mentions (user_id, post_id, channel_id, seq, created_at) "
        "VALUES (?1, ?2, ?3, ?4, ?5)");
    insert->bind_int64(1, user)
        .bind_int64(2, post)
        .bind_int64(3, change.channel_id)
        .bind_int64(4, seq)
        .bind_int64(5, change.at);
    insert->run();
  }
}

Committed PostChanges::on(const domain::EditPost& change) {
  auto before = load_post(connection_, change.post_id);
  if (!before || before->deleted) return no_post(change.post_id);
  if (before->body == change.body) {
    Committed committed = unchanged();
    committed.id = before->id;
    committed.post = std::move(before);
    return committed;
  }
  {
    auto keep = connection_.query(
        "INSERT INTO post_versions (post_id, body, html, written_at, replaced_at) "
        "VALUES (?1, ?2, ?3, ?4, ?5)");
    keep->bind_int64(1, before->id)
        .bind_text(2, before->body)
        .bind_text(3, before->html)
        .bind_int64(4, before->edited_at.value_or(before->created_at))
        .bind_int64(5, change.at);
    keep->run();
  }
  {
    // search_stale's trigger tells the search index to read the new body. The HTML
    // is written with the body, always: a stored marker is read back from the body (StoredHtml).
    auto update =
        connection_.query("UPDATE posts SET body = ?2, html = ?3, edited_at = ?4 WHERE id = ?1");
    update->bind_int64(1, before->id)
        .bind_text(2, change.body)
        .bind_text(3, StoredHtml::store(change.body, change.html))
        .bind_int64(4, change.at);
    update->run();
  }
  const auto seq = log_.next_seq(before->channel_id);
  if (!seq) return no_channel(before->channel_id);  // unreachable: posts reference it
  EventRow event(before->channel_id, *seq, event_kind::post_edited, change.at);
  event.post = before->id;
  log_.record(event);
  return after(before->id, *seq);
}

Committed PostChanges::on(const domain::DeletePost& change) {
  domain::ChannelId channel = 0;
  {
    auto found = connection_.query("SELECT channel_id, deleted FROM posts WHERE id = ?1");
    found->bind_int64(1, change.post_id);
    if (!found->step()) return no_post(change.post_id);
    if (found->column_int64(1) != 0) {
      Committed committed = unchanged();
      committed.id = change.post_id;
      committed.post = load_post(connection_, change.post_id);
      return committed;
    }
    channel = found->column_int64(0);
  }
  // The words go everywhere: body, earlier versions, the search index (search_stale). Its
  // reactions and mentions go too; replies stay, and so does the root's reply_count.
  for (const char* sql :
       {"UPDATE posts SET deleted = 1, body = '', html = '' WHERE id = ?1",
        "DELETE FROM post_versions WHERE post_id = ?1", "DELETE FROM reactions WHERE post_id = ?1",
        "DELETE FROM reaction_emojis WHERE post_id = ?1",
        "DELETE FROM mentions WHERE post_id = ?1"}) {
    auto statement = connection_.query(sql);
    statement->bind_int64(1, change.post_id);
    statement->run();
  }
  const auto seq = log_.next_seq(channel);
  if (!seq) return no_channel(channel);  // unreachable: posts reference it
  EventRow event(channel, *seq, event_kind::post_deleted, change.at);
  event.post = change.post_id;
  log_.record(event);
  return after(change.post_id, *seq);
}

Committed PostChanges::on(const domain::ReactToPost& change) {
  domain::ChannelId channel = 0;
  {
    auto found = connection_.query("SELECT channel_id, deleted FROM posts WHERE id = ?1");
    found->bind_int64(1, change.post_id);
    if (!found->step() || found->column_int64(1) != 0) return no_post(change.post_id);
    channel = found->column_int64(0);
  }
  if (!user_exists(connection_, change.user_id)) return no_user(change.user_id);
  {
    auto write = connection_.query(
        change.on ? "INSERT OR IGNORE INTO reactions (post_id, emoji, user_id, at) "
                    "VALUES (?1, ?2, ?3, ?4)"
                  : "DELETE FROM reactions WHERE post_id = ?1 AND emoji = ?2 AND user_id = ?3");
    write->bind_int64(1, change.post_id).bind_text(2, change.emoji).bind_int64(3, change.user_id);
    if (change.on) write->bind_int64(4, change.at);
    write->run();
  }
  const auto changed = connection_.changes();
  if (changed > 0) {
    // An emoji takes its place when first used and gives it up when its last user leaves.
    auto place = connection_.query(
        change.on ? "INSERT OR IGNORE INTO reaction_emojis (post_id, emoji) VALUES (?1, ?2)"
                  : "DELETE FROM reaction_emojis WHERE post_id = ?1 AND emoji = ?2 AND NOT EXISTS "
                    "(SELECT 1 FROM reactions WHERE post_id = ?1 AND emoji = ?2)");
    place->bind_int64(1, change.post_id).bind_text(2, change.emoji);
    place->run();
  }
  if (changed == 0) {
    Committed committed = unchanged();
    committed.id = change.post_id;
    committed.post = load_post(connection_, change.post_id);
    return committed;
  }
  const auto seq = log_.next_seq(channel);
  if (!seq) return no_channel(channel);  // unreachable: posts reference it
  EventRow event(channel, *seq, event_kind::post_reacted, change.at);
  event.post = change.post_id;
  event.user = change.user_id;
  event.emoji = change.emoji;
  event.on = change.on;
  log_.record(event);
  return after(change.post_id, *seq);
}

}  // namespace staffroom::storage
