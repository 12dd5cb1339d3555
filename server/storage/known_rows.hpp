// The writer's memory of rows it reads for nearly every post: channels' last seqs, users.
#pragma once

#include <cstddef>
#include <optional>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "domain/types.hpp"

namespace staffroom::storage {

class Connection;

/// A new post read its channel's last seq and checked that its author exists: two statements
/// of the five or so it runs, each time on a row the writer had just read or written. Only
/// the writer changes these rows (SqliteWriter locks the file), so it keeps what it read, and
/// each seq it takes, here.
///
/// A seq taken is written to channels.last_seq by write_taken(), once per channel however
/// many seqs it took since: the UPDATE per post was 4 % of the server's work at 30,000 posts/s
/// (S4), and a live chat's batch takes every seq from one channel. The writer calls it before
/// COMMIT and before every change it runs in a savepoint, so a change that reads the row in
/// SQL (a read marker, a channel's update) reads it written, and a savepoint that rolls back
/// holds no seq taken before it. Between two such points only new posts run (they run
/// without a savepoint), and they read last seqs through last_seq(); what is left unwritten
/// there (their seqs, and the last savepoint change's) is written at the next point.
///
/// What a change that rolls back wrote must not stay remembered: forget() drops everything,
/// unwritten seqs included, after a savepoint rolls back, and begin_batch() after a batch that
/// never reached committed(). Rows are read again on the next use. Lives on the writer thread.
class KnownRows {
 public:
  explicit KnownRows(Connection& connection) : connection_(connection) {}

  /// The channel's last seq, as this transaction sees it; nothing if there is no such
  /// channel. Throws StorageError.
  std::optional<domain::Seq> last_seq(domain::ChannelId channel);
  /// The writer has taken `seq` for the channel in this transaction; write_taken() writes it.
  /// Throws StorageError (only when memory is full, when it writes what it holds first).
  /// last_seq() may write too, for the same reason: only seqs already taken, so a change
  /// that is then refused has still written nothing of its own.
  void took_seq(domain::ChannelId channel, domain::Seq seq);
  /// Writes each channel's last seq taken since the last call. Throws StorageError, after
  /// which some rows may be written and others not: the caller undoes the transaction (the
  /// batch fails, or runs again), and forget() follows.
  void write_taken();
  /// Whether the user exists. Throws StorageError.
  bool user_exists(domain::UserId user);

  /// A batch starts: forgets what the last one remembered if it did not commit.
  void begin_batch() noexcept;
  /// The batch's COMMIT is durable.
  void committed() noexcept { batch_open_ = false; }
  /// A change's savepoint rolled back: forgets everything, seqs taken and unwritten included.
  void forget() noexcept;

  /// Entries kept of each kind before they are all dropped and read again as needed.
  static constexpr std::size_t kMostKept = 100000;

 private:
  struct LastSeq {
    domain::Seq seq = 0;
    bool unwritten = false;  // taken in this transaction, not yet in channels.last_seq
  };
  /// Makes room for one more last seq: when memory is full, writes what was taken and drops
  /// it all. Throws StorageError.
  void make_room();

  Connection& connection_;
  std::unordered_map<domain::ChannelId, LastSeq> last_seqs_;
  std::vector<domain::ChannelId> unwritten_;  // channels whose LastSeq is unwritten
  std::unordered_set<domain::UserId> users_;
  bool batch_open_ = false;  // a batch has remembered something and not yet committed
};

}  // namespace staffroom::storage
