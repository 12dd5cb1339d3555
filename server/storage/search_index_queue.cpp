#include "storage/search_index_queue.hpp"

#include <algorithm>

#include "storage/database.hpp"
#include "storage/rows.hpp"

namespace staffroom::storage {

std::size_t SearchIndexQueue::merge_pages(std::size_t posts) {
  return std::clamp(posts / kPostsPerMergePage, kLeastMergePages, kMergePages);
}

void SearchIndexQueue::forget_from(std::size_t mark) {
  if (mark < posts_.size()) posts_.resize(mark);
}

void SearchIndexQueue::flush() {
  if (posts_.empty()) return;
  // One statement for the whole queue: FTS5 writes its pending words out as a segment whenever
  // a statement that wrote to it ends (its statement savepoint is released), so one INSERT per
  // post still made one segment per post.
  auto insert = connection_.query(
      "INSERT INTO posts_fts (rowid, body) SELECT id, body FROM posts "
      "WHERE id IN (SELECT value FROM json_each(?1)) ORDER BY id");
  insert->bind_text(1, json_id_list(posts_));
  insert->run();
  indexed_ += posts_.size();
  posts_.clear();
  wrote_ = true;
}

void SearchIndexQueue::before_trigger_write() {
  flush();
  wrote_ = true;
}

void SearchIndexQueue::before_commit() {
  flush();
  if (!wrote_) return;
  // Goes on with a merge under way, or starts one on a level that holds usermerge segments;
  // otherwise writes nothing.
  auto merge = connection_.query("INSERT INTO posts_fts (posts_fts, rank) VALUES ('merge', ?1)");
  merge->bind_int64(1, static_cast<std::int64_t>(merge_pages(indexed_)));
  merge->run();
  wrote_ = false;
  indexed_ = 0;
}

}  // namespace staffroom::storage
