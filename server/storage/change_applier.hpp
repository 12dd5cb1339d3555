// Applies one domain change to the write connection, inside the writer's savepoint.
#pragma once

#include "domain/changes.hpp"
#include "storage/account_changes.hpp"
#include "storage/channel_changes.hpp"
#include "storage/event_log.hpp"
#include "storage/post_changes.hpp"

namespace staffroom::storage {

class Connection;

/// Turns each domain::Change into rows by handing it to the handler for its kind. A rule the
/// change breaks comes back as Committed.error (the caller rolls the savepoint back); a
/// database failure throws StorageError.
class ChangeApplier {
 public:
  explicit ChangeApplier(Connection& connection)
      : log_(connection),
        accounts_(connection),
        channels_(connection, log_),
        posts_(connection, log_) {}

  domain::Committed apply(const domain::Change& change);

 private:
  EventLog log_;
  AccountChanges accounts_;
  ChannelChanges channels_;
  PostChanges posts_;
};

}  // namespace staffroom::storage
