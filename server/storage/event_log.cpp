#include "storage/event_log.hpp"

#include "storage/database.hpp"

namespace staffroom::storage {

std::optional<domain::Seq> EventLog::next_seq(domain::ChannelId channel) {
  auto bump = connection_.query(
      "UPDATE channels SET last_seq = last_seq + 1 WHERE id = ?1 RETURNING last_seq");
  bump->bind_int64(1, channel);
  if (!bump->step()) return std::nullopt;
  const domain::Seq seq = bump->column_int64(0);
  bump->run();
  return seq;
}

void EventLog::record(domain::ChannelId channel, domain::Seq seq, std::string_view kind,
                      std::optional<domain::PostId> post, std::optional<domain::UserId> user,
                      domain::Timestamp at) {
  auto insert = connection_.query(
      "INSERT INTO events (channel_id, seq, kind, post_id, user_id, at) "
      "VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
  insert->bind_int64(1, channel)
      .bind_int64(2, seq)
      .bind_text(3, kind)
      .bind_optional(4, post)
      .bind_optional(5, user)
      .bind_int64(6, at);
  insert->run();
}

}  // namespace staffroom::storage
