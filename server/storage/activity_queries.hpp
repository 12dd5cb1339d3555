// Reads about what happened in channels: mentions and the event log for catch-up.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "domain/types.hpp"

namespace staffroom::storage {

class Connection;

/// The mention and event-log queries of SqliteReader, on its read connection.
class ActivityQueries {
 public:
  explicit ActivityQueries(Connection& connection) : connection_(connection) {}

  /// Mentions of `user` in `channel` on undeleted posts with seq > after_seq.
  std::int64_t unread_mentions(domain::ChannelId channel, domain::UserId user,
                               domain::Seq after_seq);
  /// The user's mentions on undeleted posts of `channels`, newest first, id < before_id.
  std::vector<domain::Mention> mentions(domain::UserId user,
                                        const std::vector<domain::ChannelId>& channels,
                                        std::optional<std::int64_t> before_id, int limit);
  /// The channel's logged events with seq > after_seq, oldest first, posts as they are now.
  std::vector<domain::LoggedEvent> events_after(domain::ChannelId channel, domain::Seq after_seq,
                                                int limit);

 private:
  Connection& connection_;
};

}  // namespace staffroom::storage
