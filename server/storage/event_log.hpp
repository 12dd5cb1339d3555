// The per-channel sequence and the event log every channel change writes.
#pragma once

#include <optional>
#include <string_view>

#include "domain/types.hpp"

namespace staffroom::storage {

class Connection;

/// Spellings of events.kind; replay and later changes (edits, reactions) add theirs here.
namespace event_kind {
inline constexpr std::string_view member_joined = "member.joined";
inline constexpr std::string_view member_left = "member.left";
inline constexpr std::string_view post_created = "post.created";
}  // namespace event_kind

/// Hands out each channel's next seq inside the write transaction and logs what took it.
/// Gap-free because a failed change rolls its savepoint back, seq bump included.
class EventLog {
 public:
  explicit EventLog(Connection& connection) : connection_(connection) {}

  /// Takes the channel's next seq; nothing if the channel does not exist.
  std::optional<domain::Seq> next_seq(domain::ChannelId channel);

  void record(domain::ChannelId channel, domain::Seq seq, std::string_view kind,
              std::optional<domain::PostId> post, std::optional<domain::UserId> user,
              domain::Timestamp at);

 private:
  Connection& connection_;
};

}  // namespace staffroom::storage
