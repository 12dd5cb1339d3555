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
    indexed_ = 0;
  }
  /// Before a change whose trigger takes words out of the index (an edit or a delete): indexes
  /// what is queued, so the index holds the words the trigger removes. Throws StorageError.
  void before_trigger_write();
  /// Before COMMIT: indexes what is queued, then, if the batch wrote to the index, merges up
  /// to merge_pages() pages of its segments. Call outside any savepoint. Throws StorageError.
  void before_commit();

  /// Pages of merged segments a batch that indexed `posts` posts writes: one per
  /// kPostsPerMergePage posts, at least kLeastMergePages and at most kMergePages.
  ///
  /// Enough to keep up: over 2,100 batches of 20 posts (5 pages each) no level held more than
  /// 8 segments, and over 150 batches of 1,000 (the most the writer takes at once; 32 pages)
  /// no more than 11, short of FTS5's crisis merge at 16, which merges a whole level in one
  /// commit. A step ends only at a term boundary, so a very common word's list is still
  /// rewritten whole when its level merges.
  ///
  /// Why not always 32: while a merge is under way each batch takes its step, and 32 pages
  /// took about 3 ms, a stall in one batch of every few at 25,000 posts/s (50 a batch). A step
  /// in proportion to the batch spreads the same work thinly; 5 pages a batch of 20 wrote 2 %
  /// more pages in all than 32 (one page per 8 posts: 7 %, and levels filled higher).
  static std::size_t merge_pages(std::size_t posts);
  static constexpr std::size_t kPostsPerMergePage = 4;
  static constexpr std::size_t kLeastMergePages = 4;
  static constexpr std::size_t kMergePages = 32;

 private:
  /// Indexes every queued post as posts.body holds it now.
  void flush();

  Connection& connection_;
  std::vector<domain::PostId> posts_;
  bool wrote_ = false;       // this batch has (or may have) written to the index
  std::size_t indexed_ = 0;  // posts this batch has indexed
};

}  // namespace staffroom::storage
