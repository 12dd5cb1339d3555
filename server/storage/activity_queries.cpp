#include "storage/activity_queries.hpp"

#include <algorithm>
#include <limits>
#include <map>
#include <string>

#include "storage/database.hpp"
#include "storage/event_log.hpp"
#include "storage/rows.hpp"
#include "storage/seq_index_sql.hpp"

namespace staffroom::storage {

std::int64_t ActivityQueries::unread_mentions(domain::ChannelId channel, domain::UserId user,
                                              domain::Seq after_seq) {
  // Walks mentions_unread for the range, then each mention's post by primary key.
  auto count = connection_.query(
      "SELECT COUNT(*) FROM mentions m JOIN posts p ON p.id = m.post_id "
      "WHERE m.channel_id = ?1 AND m.user_id = ?2 AND m.seq > ?3 AND p.deleted = 0");
  count->bind_int64(1, channel).bind_int64(2, user).bind_int64(3, after_seq);
  return count->step() ? count->column_int64(0) : 0;
}

std::vector<domain::Mention> ActivityQueries::mentions(
    domain::UserId user, const std::vector<domain::ChannelId>& channels,
    std::optional<std::int64_t> before_id, int limit) {
  std::vector<domain::Mention> found;
  if (channels.empty() || limit <= 0) return found;
  Transaction transaction(connection_, Transaction::Kind::deferred);
  {
    std::string sql = "SELECT ";
    sql += post_columns();
    sql +=
        ", m.id, m.created_at FROM mentions m JOIN posts p ON p.id = m.post_id "
        "JOIN users u ON u.id = p.author_id "
        "WHERE m.user_id = ?1 AND m.id < ?2 AND p.deleted = 0 "
        "AND m.channel_id IN (SELECT value FROM json_each(?3)) "
        "ORDER BY m.id DESC LIMIT ?4";
    auto query = connection_.query(sql);
    query->bind_int64(1, user)
        .bind_int64(2, before_id.value_or(std::numeric_limits<std::int64_t>::max()))
        .bind_text(3, json_id_list(channels))
        .bind_int64(4, limit);
    while (query->step()) {
      domain::Mention mention;
      mention.post = read_post(*query);
      mention.id = query->column_int64(post_column_count);
      mention.created_at = query->column_int64(post_column_count + 1);
      found.push_back(std::move(mention));
    }
  }
  for (domain::Mention& mention : found) attach_reactions(connection_, mention.post);
  transaction.commit();
  return found;
}

std::vector<domain::LoggedEvent> ActivityQueries::events_after(domain::ChannelId channel,
                                                               domain::Seq after_seq, int limit) {
  std::vector<domain::LoggedEvent> events;
  if (limit <= 0) return events;
  // One snapshot, so every post is as it was when the last listed event was logged or later.
  Transaction transaction(connection_, Transaction::Kind::deferred);
  std::vector<std::optional<domain::PostId>> post_ids;
  {
    // Post creations are the posts themselves; every other event is a row of events (one a
    // previous release wrote for a creation is skipped). Each side comes in seq order from
    // its (channel_id, seq) key, and the three are merged.
    auto query = connection_.query(seq_index_sql::events_after());
    query->bind_int64(1, channel).bind_int64(2, after_seq).bind_int64(3, limit);
    query->bind_text(4, event_kind::post_created);
    while (query->step()) {
      domain::LoggedEvent event;
      event.channel_id = channel;
      event.seq = query->column_int64(0);
      event.kind = query->column_text(1);
      event.at = query->column_int64(2);
      const bool member_event = event.kind.rfind("member.", 0) == 0;
      const bool reacted = event.kind == "post.reacted";
      if (member_event || reacted) event.user_id = query->column_optional_int64(4);
      if (member_event) {
        event.actor_id = query->column_optional_int64(5);
        if (!query->column_is_null(6)) event.role = parse_role(query->column_text(6));
      }
      if (reacted) {
        event.emoji = query->column_text(7);
        event.on = query->column_int64(8) != 0;
      }
      post_ids.push_back(query->column_optional_int64(3));
      events.push_back(std::move(event));
    }
  }
  // Several events of one post (created, edited, reacted...) share its one current state.
  std::map<domain::PostId, std::optional<domain::Post>> posts;
  for (std::size_t i = 0; i < events.size(); ++i) {
    if (!post_ids[i]) continue;
    auto cached = posts.find(*post_ids[i]);
    if (cached == posts.end()) {
      cached = posts.emplace(*post_ids[i], load_post(connection_, *post_ids[i])).first;
    }
    events[i].post = cached->second;
  }
  transaction.commit();
  return events;
}

}  // namespace staffroom::storage
