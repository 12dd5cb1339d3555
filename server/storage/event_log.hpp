// The per-channel sequence and the event log every channel change writes.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "domain/types.hpp"

namespace staffroom::storage {

class Connection;
class KnownRows;

/// Spellings of events.kind, as on the wire. post.created is never a row of events: a post's
/// own row is its creation event (ActivityQueries::events_after reads both).
namespace event_kind {
inline constexpr std::string_view member_joined = "member.joined";
inline constexpr std::string_view member_left = "member.left";
inline constexpr std::string_view member_updated = "member.updated";
inline constexpr std::string_view channel_updated = "channel.updated";
inline constexpr std::string_view post_created = "post.created";
inline constexpr std::string_view post_edited = "post.edited";
inline constexpr std::string_view post_deleted = "post.deleted";
inline constexpr std::string_view post_reacted = "post.reacted";
}  // namespace event_kind

/// One row of the events table; what a kind does not use stays empty.
struct EventRow {
  EventRow(domain::ChannelId channel_id, domain::Seq event_seq, std::string_view event_kind,
           domain::Timestamp event_at)
      : channel(channel_id), seq(event_seq), kind(event_kind), at(event_at) {}

  domain::ChannelId channel = 0;
  domain::Seq seq = 0;
  std::string_view kind;
  domain::Timestamp at = 0;
  std::optional<domain::PostId> post;
  std::optional<domain::UserId> user;   // member.*: the member; post.*: who did it
  std::optional<domain::UserId> actor;  // member.joined: inviter; member.left: remover
  std::optional<domain::Role> role;     // member.joined / member.updated
  std::optional<std::string> emoji;     // post.reacted
  std::optional<bool> on;               // post.reacted
};

/// Hands out each channel's next seq inside the write transaction and logs what took it.
/// Gap-free because a failed change rolls its savepoint back and KnownRows forgets its seq
/// (or, for a change that checks everything first, takes its seq only once nothing can refuse
/// it). KnownRows writes the seqs taken into channels.last_seq (write_taken()).
class EventLog {
 public:
  /// Reads and remembers last seqs through `known`.
  EventLog(Connection& connection, KnownRows& known) : connection_(connection), known_(known) {}

  /// Takes the channel's next seq; nothing if the channel does not exist.
  std::optional<domain::Seq> next_seq(domain::ChannelId channel);
  /// The channel's next seq without taking it (writes nothing); nothing if there is no such
  /// channel. take_seq() then takes it.
  std::optional<domain::Seq> peek_seq(domain::ChannelId channel);
  void take_seq(domain::ChannelId channel, domain::Seq seq);

  void record(const EventRow& event);

 private:
  Connection& connection_;
  KnownRows& known_;
};

}  // namespace staffroom::storage
