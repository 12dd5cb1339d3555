#include "storage/event_log.hpp"

#include "storage/database.hpp"
#include "storage/known_rows.hpp"
#include "storage/rows.hpp"

namespace staffroom::storage {

std::optional<domain::Seq> EventLog::next_seq(domain::ChannelId channel) {
  // Read and taken through KnownRows, which writes channels.last_seq once per channel before
  // the next change that runs in a savepoint, and before the batch commits.
  const auto seq = peek_seq(channel);
  if (seq) take_seq(channel, *seq);
  return seq;
}

std::optional<domain::Seq> EventLog::peek_seq(domain::ChannelId channel) {
  const auto last = known_.last_seq(channel);
  if (!last) return std::nullopt;
  return *last + 1;
}

void EventLog::take_seq(domain::ChannelId channel, domain::Seq seq) {
  known_.took_seq(channel, seq);
}

void EventLog::record(const EventRow& event) {
  auto insert = connection_.query(
      "INSERT INTO events (channel_id, seq, kind, post_id, user_id, at, actor_id, role, emoji, "
      "on_flag) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)");
  insert->bind_int64(1, event.channel)
      .bind_int64(2, event.seq)
      .bind_text(3, event.kind)
      .bind_optional(4, event.post)
      .bind_optional(5, event.user)
      .bind_int64(6, event.at)
      .bind_optional(7, event.actor)
      .bind_optional(9, event.emoji);
  if (event.role) {
    insert->bind_text(8, role_name(*event.role));
  } else {
    insert->bind_null(8);
  }
  if (event.on) {
    insert->bind_int64(10, *event.on ? 1 : 0);
  } else {
    insert->bind_null(10);
  }
  insert->run();
}

}  // namespace staffroom::storage
