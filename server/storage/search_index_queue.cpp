#include "storage/search_index_queue.hpp"

#include "storage/database.hpp"

namespace staffroom::storage {

void SearchIndexQueue::forget_from(std::size_t mark) {
  if (mark < posts_.size()) posts_.resize(mark);
}

void SearchIndexQueue::flush() {
  for (const domain::PostId post : posts_) {
    auto insert = connection_.query(
        "INSERT INTO posts_fts (rowid, body) SELECT id, body FROM posts WHERE id = ?1");
    insert->bind_int64(1, post);
    insert->run();
  }
  posts_.clear();
}

}  // namespace staffroom::storage
