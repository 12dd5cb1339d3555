// The writer's memory of rows it reads for nearly every post: channels' last seqs, users.
#pragma once

#include <cstddef>
#include <optional>
#include <unordered_map>
#include <unordered_set>

#include "domain/types.hpp"

namespace staffroom::storage {

class Connection;

/// A new post read its channel's last seq and checked that its author exists: two statements
/// of the five or so it runs, each time on a row the writer had just read or written. Only
/// the writer changes these rows (SqliteWriter locks the file), so it keeps what it read, and
/// each seq it takes, here.
///
/// What a change that rolls back wrote must not stay remembered: forget() drops everything
/// after a savepoint rolls back, and begin_batch() after a batch that never reached
/// committed(). Rows are read again on the next use. Lives on the writer thread.
class KnownRows {
 public:
  explicit KnownRows(Connection& connection) : connection_(connection) {}

  /// The channel's last seq, as this transaction sees it; nothing if there is no such
  /// channel. Throws StorageError.
  std::optional<domain::Seq> last_seq(domain::ChannelId channel);
  /// The writer has just set the channel's last seq to `seq` in this transaction.
  void took_seq(domain::ChannelId channel, domain::Seq seq);
  /// Whether the user exists. Throws StorageError.
  bool user_exists(domain::UserId user);

  /// A batch starts: forgets what the last one remembered if it did not commit.
  void begin_batch() noexcept;
  /// The batch's COMMIT is durable.
  void committed() noexcept { batch_open_ = false; }
  /// A change's savepoint rolled back: forgets everything.
  void forget() noexcept;

  /// Entries kept of each kind before they are all dropped and read again as needed.
  static constexpr std::size_t kMostKept = 100000;

 private:
  Connection& connection_;
  std::unordered_map<domain::ChannelId, domain::Seq> last_seqs_;
  std::unordered_set<domain::UserId> users_;
  bool batch_open_ = false;  // a batch has remembered something and not yet committed
};

}  // namespace staffroom::storage
