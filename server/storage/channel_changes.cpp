#include "storage/channel_changes.hpp"

#include <algorithm>

#include "storage/change_results.hpp"
#include "storage/database.hpp"
#include "storage/event_log.hpp"
#include "storage/rows.hpp"

namespace staffroom::storage {

using domain::Committed;

Committed ChannelChanges::on(const domain::NewChannel& change) {
  {
    auto taken = connection_.query("SELECT 1 FROM channels WHERE slug = ?1");
    taken->bind_text(1, change.slug);
    if (taken->step()) {
      return failed(domain::ErrorKind::conflict,
                    "channel slug '" + change.slug + "' is already taken");
    }
  }
  if (!user_exists(connection_, change.owner)) return no_user(change.owner);
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
  EventRow event(channel, first_seq, event_kind::member_joined, change.at);
  event.user = change.owner;
  event.role = domain::Role::owner;
  log_.record(event);
  Committed committed;
  committed.id = channel;
  committed.seq = first_seq;
  committed.read_seq = first_seq;
  return committed;
}

Committed ChannelChanges::on(const domain::JoinChannel& change) {
  if (!channel_exists(connection_, change.channel_id)) return no_channel(change.channel_id);
  if (!user_exists(connection_, change.user_id)) return no_user(change.user_id);
  if (change.invited_by && !user_exists(connection_, *change.invited_by)) {
    return no_user(*change.invited_by);
  }
  {
    auto existing = connection_.query(
        "SELECT read_seq FROM memberships WHERE channel_id = ?1 AND user_id = ?2");
    existing->bind_int64(1, change.channel_id).bind_int64(2, change.user_id);
    if (existing->step()) {
      Committed committed = unchanged();
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
  EventRow event(change.channel_id, *seq, event_kind::member_joined, change.at);
  event.user = change.user_id;
  event.actor = change.invited_by;
  event.role = change.role;
  log_.record(event);
  Committed committed;
  committed.seq = *seq;
  committed.read_seq = *seq;
  return committed;
}

Committed ChannelChanges::on(const domain::LeaveChannel& change) {
  if (change.removed_by && !user_exists(connection_, *change.removed_by)) {
    return no_user(*change.removed_by);
  }
  {
    auto remove =
        connection_.query("DELETE FROM memberships WHERE channel_id = ?1 AND user_id = ?2");
    remove->bind_int64(1, change.channel_id).bind_int64(2, change.user_id);
    remove->run();
  }
  if (connection_.changes() == 0) return unchanged();
  const auto seq = log_.next_seq(change.channel_id);
  if (!seq) return no_channel(change.channel_id);  // unreachable: memberships reference it
  EventRow event(change.channel_id, *seq, event_kind::member_left, change.at);
  event.user = change.user_id;
  event.actor = change.removed_by;
  log_.record(event);
  Committed committed;
  committed.seq = *seq;
  return committed;
}

Committed ChannelChanges::on(const domain::SetRole& change) {
  {
    auto current =
        connection_.query("SELECT role FROM memberships WHERE channel_id = ?1 AND user_id = ?2");
    current->bind_int64(1, change.channel_id).bind_int64(2, change.user_id);
    if (!current->step()) {
      return failed(domain::ErrorKind::not_found, "user " + std::to_string(change.user_id) +
                                                      " is not a member of channel " +
                                                      std::to_string(change.channel_id));
    }
    if (parse_role(current->column_text(0)) == change.role) return unchanged();
  }
  {
    auto update = connection_.query(
        "UPDATE memberships SET role = ?3 WHERE channel_id = ?1 AND user_id = ?2");
    update->bind_int64(1, change.channel_id)
        .bind_int64(2, change.user_id)
        .bind_text(3, role_name(change.role));
    update->run();
  }
  const auto seq = log_.next_seq(change.channel_id);
  if (!seq) return no_channel(change.channel_id);  // unreachable: memberships reference it
  EventRow event(change.channel_id, *seq, event_kind::member_updated, change.at);
  event.user = change.user_id;
  event.role = change.role;
  log_.record(event);
  Committed committed;
  committed.seq = *seq;
  return committed;
}

Committed ChannelChanges::on(const domain::UpdateChannel& change) {
  auto before = load_channel(connection_, change.channel_id);
  if (!before) return no_channel(change.channel_id);
  domain::Channel after = *before;
  if (change.title) after.title = *change.title;
  if (change.description) after.description = *change.description;
  if (change.archived) after.archived = *change.archived;
  if (after.title == before->title && after.description == before->description &&
      after.archived == before->archived) {
    Committed committed = unchanged();
    committed.id = before->id;
    committed.channel = std::move(*before);
    return committed;
  }
  {
    auto update = connection_.query(
        "UPDATE channels SET title = ?2, description = ?3, archived = ?4 WHERE id = ?1");
    update->bind_int64(1, after.id)
        .bind_text(2, after.title)
        .bind_text(3, after.description)
        .bind_int64(4, after.archived ? 1 : 0);
    update->run();
  }
  const auto seq = log_.next_seq(change.channel_id);
  if (!seq) return no_channel(change.channel_id);  // unreachable: it was just read
  EventRow event(change.channel_id, *seq, event_kind::channel_updated, change.at);
  log_.record(event);
  after.last_seq = *seq;
  Committed committed;
  committed.id = after.id;
  committed.seq = *seq;
  committed.channel = std::move(after);
  return committed;
}

Committed ChannelChanges::on(const domain::MarkRead& change) {
  domain::Seq read_seq = 0;
  domain::Seq last_seq = 0;
  {
    auto marker = connection_.query(
        "SELECT m.read_seq, c.last_seq FROM memberships m JOIN channels c ON c.id = m.channel_id "
        "WHERE m.channel_id = ?1 AND m.user_id = ?2");
    marker->bind_int64(1, change.channel_id).bind_int64(2, change.user_id);
    if (!marker->step()) {
      return failed(domain::ErrorKind::not_found,
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

}  // namespace staffroom::storage
