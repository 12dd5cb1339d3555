// Applies one domain change to the write connection, inside the writer's savepoint.
#pragma once

#include "domain/changes.hpp"
#include "storage/event_log.hpp"

namespace staffroom::storage {

class Connection;

/// Turns each domain::Change into rows. A rule the change breaks comes back as
/// Committed.error (the caller rolls the savepoint back); a database failure throws StorageError.
class ChangeApplier {
 public:
  explicit ChangeApplier(Connection& connection) : connection_(connection), log_(connection) {}

  domain::Committed apply(const domain::Change& change);

 private:
  domain::Committed on(const domain::NewUser& change);
  domain::Committed on(const domain::NewSession& change);
  domain::Committed on(const domain::EndSession& change);
  domain::Committed on(const domain::NewChannel& change);
  domain::Committed on(const domain::JoinChannel& change);
  domain::Committed on(const domain::LeaveChannel& change);
  domain::Committed on(const domain::NewPost& change);
  domain::Committed on(const domain::MarkRead& change);

  /// True when `sql` (one ?1 parameter) returns a row for `id`.
  bool exists(const char* sql, std::int64_t id);
  bool user_exists(domain::UserId user);
  bool channel_exists(domain::ChannelId channel);

  Connection& connection_;
  EventLog log_;
};

}  // namespace staffroom::storage
