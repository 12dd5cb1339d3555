// Writes each new post's (channel, seq) entry into post_seqs_recent and moves entries on into
// post_seqs, a key range a batch, once the recent table has gathered enough of them.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>

#include "domain/types.hpp"

namespace staffroom::storage {

class Connection;

/// Each channel's seq -> post index is two tables (schema step 7): added() puts every new
/// post's entry into post_seqs_recent, and this class moves entries on into post_seqs. As one
/// index on posts it dirtied, in every commit, the leaf at the tail of each channel the commit
/// posted in: at 25,000 posts/s, 64 of a commit's 86 WAL pages. post_seqs_recent stays small
/// (a few leaves, whatever the number of channels), and a move writes a channel's tail in
/// post_seqs once for all the entries the channel gathered since the last sweep.
///
/// Once post_seqs_recent holds kSweepAt entries, a sweep starts at its lowest key; each batch
/// then moves the next max(kLeastMoved, 2 x the batch's new posts) entries in key order (an
/// INSERT into post_seqs and a DELETE of the same range, in the batch's transaction, so every
/// entry is in exactly one table in any committed state). Twice the new posts: a sweep ends
/// even if every new entry lands ahead of it. The sweep ends when it reaches the last key.
///
/// A move runs in a savepoint of its own. One that fails (a key already in post_seqs, in a
/// file mended by hand) is rolled back alone and sweeps pause for kPauseBatches batches: a
/// sweep only saves pages, entries left in post_seqs_recent are read all the same, and
/// failing every batch would refuse every user's change with it.
///
/// The entry is written here, not by a trigger on posts (schema step 9): a trigger makes
/// SQLite open a statement journal for every INSERT into posts, which copies each page the
/// insert touches that the batch has already dirtied (the posts and post_seqs_recent leaves),
/// a fifth of the insert's cost. A plain INSERT into each table needs none.
///
/// Lives on the writer thread. The batch protocol: begin_batch(), added() per new post, in
/// the post's change, before_commit() outside any savepoint, committed() once the COMMIT is
/// durable. Nothing changes in memory before committed(), so a batch that rolls back leaves
/// no trace; its entries are moved by a later batch.
class PostSeqSweep {
 public:
  /// Counts post_seqs_recent. Throws StorageError.
  explicit PostSeqSweep(Connection& connection, std::size_t sweep_at = kSweepAt);

  void begin_batch() noexcept {
    added_ = 0;
    next_.reset();
  }
  /// The open batch wrote `post` (a new row of posts): writes its entry into post_seqs_recent.
  /// A change's savepoint that rolls back takes the entry with it; the count is an estimate,
  /// made exact at each sweep's end. Throws StorageError.
  void added(const domain::Post& post);
  /// Before COMMIT: moves this batch's share of a sweep, if one is due. Throws StorageError
  /// only if SQLite rolled the whole transaction back (the batch fails).
  void before_commit();
  /// The batch's COMMIT is durable.
  void committed() noexcept;

  /// Entries post_seqs_recent is believed to hold, as of the last committed batch.
  std::int64_t recent() const { return recent_; }
  bool sweeping() const { return cursor_.has_value(); }
  /// Entries moved since start, by committed batches.
  std::int64_t moved() const { return moved_; }
  /// Moves that failed and were rolled back, since start.
  std::int64_t failures() const { return failures_; }
  /// What the last failed move said, once (for the writer to report after the batch).
  std::optional<std::string> take_failure() { return std::exchange(failure_, std::nullopt); }

  static constexpr std::size_t kSweepAt = 1024;
  static constexpr std::size_t kLeastMoved = 64;
  static constexpr int kPauseBatches = 1000;

 private:
  struct Key {
    domain::ChannelId channel;
    domain::Seq seq;
  };
  /// Where a committed batch leaves the sweep.
  struct State {
    std::optional<Key> cursor;  // last key moved, while a sweep is under way
    std::int64_t recent;
    std::int64_t moved;
  };
  /// Moves up to `most` entries after `after` (all of them from the lowest key if none);
  /// returns how many moved and the last key moved, or nothing if the sweep reached the end.
  std::pair<std::int64_t, std::optional<Key>> move(const std::optional<Key>& after,
                                                   std::int64_t most);
  std::int64_t count_recent();

  Connection& connection_;
  const std::int64_t sweep_at_;
  std::optional<Key> cursor_;
  std::int64_t recent_ = 0;
  std::int64_t moved_ = 0;
  std::size_t added_ = 0;
  std::int64_t failures_ = 0;
  std::optional<std::string> failure_;
  int paused_ = 0;             // batches left before sweeps resume after a failure
  std::optional<State> next_;  // set by before_commit, kept by committed()
};

}  // namespace staffroom::storage
