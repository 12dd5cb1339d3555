// Applies one domain change to the write connection, inside the writer's savepoint (if any).
#pragma once

#include <optional>
#include <string>
#include <variant>

#include "domain/changes.hpp"
#include "storage/account_changes.hpp"
#include "storage/channel_changes.hpp"
#include "storage/client_id_index.hpp"
#include "storage/event_log.hpp"
#include "storage/known_rows.hpp"
#include "storage/post_changes.hpp"
#include "storage/post_seq_sweep.hpp"

namespace staffroom::storage {

class Connection;

/// Turns each domain::Change into rows by handing it to the handler for its kind. A rule the
/// change breaks comes back as Committed.error (the caller rolls the savepoint back); a
/// database failure throws StorageError.
class ChangeApplier {
 public:
  explicit ChangeApplier(Connection& connection)
      : known_(connection),
        log_(connection, known_),
        client_ids_(connection),
        seqs_(connection),
        accounts_(connection),
        channels_(connection, log_),
        posts_(connection, known_, log_, client_ids_) {}

  /// Starts a batch: nothing is left over from the last one (which may have rolled back).
  void begin_batch() {
    known_.begin_batch();
    client_ids_.begin_batch();
    seqs_.begin_batch();
  }
  /// Call before each change, `savepoint` if it runs in one: before a savepoint, writes the
  /// seqs taken so far (a rolled-back savepoint forgets every seq in memory). Throws
  /// StorageError (the batch fails).
  void before(bool savepoint) {
    if (savepoint) known_.write_taken();
  }
  domain::Committed apply(const domain::Change& change);
  /// True for a change whose handler makes every check before its first write (a new post):
  /// a refusal has written nothing, so it needs no savepoint. A savepoint per change was a
  /// fifth of the writer's work per post (each copies the pages it touches that its batch
  /// has already dirtied). Such a change that fails part-way throws, and the writer runs the
  /// batch again with a savepoint for every change.
  static bool checks_before_writes(const domain::Change& change) {
    return std::holds_alternative<domain::NewPost>(change);
  }
  /// Whether the writer runs `change` in a savepoint: always in a batch's guarded rerun.
  static bool needs_savepoint(const domain::Change& change, bool guarded) {
    return guarded || !checks_before_writes(change);
  }
  /// What apply() queued since a Mark is undone with the change's savepoint.
  struct Mark {
    std::size_t client_ids;
  };
  Mark mark() const { return {client_ids_.mark()}; }
  void rolled_back(Mark mark) {
    known_.forget();
    client_ids_.forget_from(mark.client_ids);
  }
  /// Call after the last change, before COMMIT. Throws StorageError (the batch fails).
  void before_commit() {
    known_.write_taken();
    client_ids_.before_commit();
    seqs_.before_commit();
  }
  /// Call once the batch's COMMIT is durable.
  void committed() noexcept {
    known_.committed();
    client_ids_.committed();
    seqs_.committed();
  }
  /// Call after a batch's callbacks: upkeep that need not delay them.
  void between_batches() noexcept { client_ids_.between_batches(); }
  /// Upkeep that failed in the last batch and was undone without failing it, once.
  std::optional<std::string> take_upkeep_failure() { return seqs_.take_failure(); }

 private:
  KnownRows known_;
  EventLog log_;
  ClientIdIndex client_ids_;
  PostSeqSweep seqs_;
  AccountChanges accounts_;
  ChannelChanges channels_;
  PostChanges posts_;
};

}  // namespace staffroom::storage
