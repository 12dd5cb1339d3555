#include "storage/post_seq_sweep.hpp"

#include <algorithm>
#include <limits>
#include <string>
#include <string_view>

#include "storage/database.hpp"

namespace staffroom::storage {

PostSeqSweep::PostSeqSweep(Connection& connection, std::size_t sweep_at)
    : connection_(connection),
      sweep_at_(static_cast<std::int64_t>(std::max<std::size_t>(sweep_at, 1))) {
  recent_ = count_recent();
}

std::int64_t PostSeqSweep::count_recent() {
  auto count = connection_.query("SELECT COUNT(*) FROM post_seqs_recent");
  return count->step() ? count->column_int64(0) : 0;
}

void PostSeqSweep::added(const domain::Post& post) {
  auto insert = connection_.query(
      "INSERT INTO post_seqs_recent (channel_id, seq, post_id, author_id, deleted) "
      "VALUES (?1, ?2, ?3, ?4, ?5)");
  insert->bind_int64(1, post.channel_id)
      .bind_int64(2, post.seq)
      .bind_int64(3, post.id)
      .bind_int64(4, post.author.id)
      .bind_int64(5, post.deleted ? 1 : 0);
  insert->run();
  ++added_;
}

void PostSeqSweep::before_commit() {
  State state{cursor_, recent_ + static_cast<std::int64_t>(added_), moved_};
  if (!state.cursor && state.recent < sweep_at_) return;
  if (paused_ > 0) {
    --paused_;
    return;
  }
  const auto most = static_cast<std::int64_t>(std::max(kLeastMoved, 2 * added_));
  try {
    Savepoint savepoint(connection_, "sweep");
    const auto [moved, last] = move(state.cursor, most);
    state.moved += moved;
    if (last) {
      state.cursor = last;
      state.recent = std::max<std::int64_t>(state.recent - moved, 0);
    } else {
      // The sweep reached the last key: what is left arrived behind it. Counted, not
      // estimated, so changes that rolled back do not start sweeps early.
      state.cursor.reset();
      state.recent = count_recent();
    }
    savepoint.release();
  } catch (const StorageError& error) {
    // The savepoint's destructor has undone the move; the batch's changes go on.
    if (!connection_.in_transaction()) throw;
    ++failures_;
    failure_ = std::string("moving seq index entries into post_seqs failed (sweeps pause for ") +
               std::to_string(kPauseBatches) + " batches): " + error.what();
    paused_ = kPauseBatches;
    return;
  }
  next_ = state;
}

void PostSeqSweep::committed() noexcept {
  if (next_) {
    cursor_ = next_->cursor;
    recent_ = next_->recent;
    moved_ = next_->moved;
  } else {
    recent_ += static_cast<std::int64_t>(added_);
  }
  begin_batch();
}

std::pair<std::int64_t, std::optional<PostSeqSweep::Key>> PostSeqSweep::move(
    const std::optional<Key>& after, std::int64_t most) {
  constexpr auto lowest = std::numeric_limits<std::int64_t>::min();
  constexpr auto highest = std::numeric_limits<std::int64_t>::max();
  const Key from = after.value_or(Key{lowest, lowest});
  // The range ends at the most-th entry after `from`, or at the last one if fewer remain.
  std::optional<Key> last;
  {
    auto end = connection_.query(
        "SELECT channel_id, seq FROM post_seqs_recent WHERE (channel_id, seq) > (?1, ?2) "
        "ORDER BY channel_id, seq LIMIT 1 OFFSET ?3");
    end->bind_int64(1, from.channel).bind_int64(2, from.seq).bind_int64(3, most - 1);
    if (end->step()) last = Key{end->column_int64(0), end->column_int64(1)};
  }
  const Key to = last.value_or(Key{highest, highest});
  // Runs one statement over the range (from, to]; returns the rows it changed.
  auto run_on_range = [&](std::string_view sql) {
    auto statement = connection_.query(sql);
    statement->bind_int64(1, from.channel).bind_int64(2, from.seq);
    statement->bind_int64(3, to.channel).bind_int64(4, to.seq);
    statement->run();
    return connection_.changes();
  };
  const std::int64_t moved = run_on_range(
      "INSERT INTO post_seqs (channel_id, seq, post_id, author_id, deleted) "
      "SELECT channel_id, seq, post_id, author_id, deleted FROM post_seqs_recent "
      "WHERE (channel_id, seq) > (?1, ?2) AND (channel_id, seq) <= (?3, ?4) "
      "ORDER BY channel_id, seq");
  const std::int64_t removed = run_on_range(
      "DELETE FROM post_seqs_recent "
      "WHERE (channel_id, seq) > (?1, ?2) AND (channel_id, seq) <= (?3, ?4)");
  if (removed != moved) {
    connection_.fail("post_seqs_recent: a sweep moved " + std::to_string(moved) +
                     " entries but removed " + std::to_string(removed));
  }
  return {moved, last};
}

}  // namespace staffroom::storage
