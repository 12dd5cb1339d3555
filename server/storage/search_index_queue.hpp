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
class SearchIndexQueue {
 public:
  explicit SearchIndexQueue(Connection& connection) : connection_(connection) {}

  void add(domain::PostId post) { posts_.push_back(post); }
  /// How many are queued; forget_from(mark) drops those queued since (a rolled-back change).
  std::size_t mark() const { return posts_.size(); }
  void forget_from(std::size_t mark);
  /// Drops everything queued (a new batch; the last one's transaction may have rolled back).
  void clear() { posts_.clear(); }
  /// Indexes every queued post as posts.body holds it now. Call outside any savepoint, inside
  /// the write transaction. Throws StorageError.
  void flush();

 private:
  Connection& connection_;
  std::vector<domain::PostId> posts_;
};

}  // namespace staffroom::storage
