// New posts whose words join the search index together, when their batch is about to commit.
#pragma once

#include <cstddef>
#include <vector>

#include "domain/types.hpp"

namespace staffroom::storage {

class Connection;

/// FTS5 writes out its pending words as a new index segment at every SAVEPOINT, and the writer
/// opens one per change: indexing each new post inside its own savepoint cost a segment (and
/// the merges that follow) per post. New posts are queued here instead and indexed in one go
/// outside the savepoints, before COMMIT (or before a change that edits or deletes posts, so
/// the index never misses a post that such a change, through its trigger, takes words out of).
/// The index stays a mirror of posts.body in every committed state.
///
/// Each batch that wrote to the index also merges a bounded number of its segments' pages
/// before COMMIT (FTS5's own automerge is off, schema step 5): merging a little every batch
/// keeps the segment count down without one commit rewriting a large part of the index.
class SearchIndexQueue {
 public:
  explicit SearchIndexQueue(Connection& connection) : connection_(connection) {}

  void add(domain::PostId post) { posts_.push_back(post); }
  /// How many are queued; forget_from(mark) drops those queued since (a rolled-back change).
  std::size_t mark() const { return posts_.size(); }
  void forget_from(std::size_t mark);
  /// Drops everything queued (a new batch; the last one's transaction may have rolled back).
  void clear() {
    posts_.clear();
    wrote_ = false;
  }
  /// Before a change whose trigger takes words out of the index (an edit or a delete): indexes
  /// what is queued, so the index holds the words the trigger removes. Throws StorageError.
  void before_trigger_write();
  /// Before COMMIT: indexes what is queued, then, if the batch wrote to the index, merges up
  /// to kMergePages pages of its segments. Call outside any savepoint. Throws StorageError.
  void before_commit();

  /// Pages of merged segments written per batch. Enough to keep up: measured over 400,000
  /// posts in batches of 1,000 (the most the writer takes at once), no level held more than
  /// 11 segments, short of FTS5's crisis merge at 16, which merges a whole level in one
  /// commit. A budget growing with the batch kept levels lower but made larger commits. A
  /// step ends only at a term boundary, so a very common word's list is still rewritten whole
  /// when its level merges.
  static constexpr int kMergePages = 32;

 private:
  /// Indexes every queued post as posts.body holds it now.
  void flush();

  Connection& connection_;
  std::vector<domain::PostId> posts_;
  bool wrote_ = false;  // this batch has (or may have) written to the index
};

}  // namespace staffroom::storage
