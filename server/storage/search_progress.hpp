// How far the search index has come, shared by the indexer, the writer and the readers.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>

namespace staffroom::storage {

/// A point in the main database's history the search index can hold: every post with an id up
/// to `post` and every body change (search_stale row) up to `stale`.
struct SearchMark {
  std::int64_t post = 0;
  std::int64_t stale = 0;
  /// Whether an index at this mark holds everything up to `target`.
  bool covers(const SearchMark& target) const {
    return post >= target.post && stale >= target.stale;
  }
  bool operator==(const SearchMark&) const = default;
};

/// The SearchIndexer sleeps here between rounds; the writer wakes it after a commit, and a
/// search that must see what was committed before it began waits here for the index to catch
/// up (waking the indexer at once, without its gathering pause).
class SearchProgress {
 public:
  /// Something was committed: the indexer should look again (after gathering a while).
  void wake();
  /// Waits until the index covers `target`, at most `most`. Returns whether it does.
  bool wait_for(SearchMark target, std::chrono::milliseconds most);
  /// The mark the index has reached (committed in its file).
  SearchMark indexed() const;

  /// Indexer: sleeps until woken and then `gather` longer (more posts per round), or at once
  /// if a search waits, or `idle` passed. Returns false once stop() was called.
  bool wait_for_work(std::chrono::milliseconds gather, std::chrono::milliseconds idle);
  /// Indexer: its file now holds everything up to `mark`.
  void reached(SearchMark mark);
  /// Indexer: sleeps `most` (after a failed round), or until stop(). Returns false once
  /// stop() was called.
  bool rest(std::chrono::milliseconds most);
  bool stopping() const;
  /// Ends the indexer's waits and every search's.
  void stop();

 private:
  mutable std::mutex mutex_;
  std::condition_variable work_;  // the indexer waits here
  std::condition_variable done_;  // searches wait here
  SearchMark indexed_;
  bool pending_ = false;  // committed since the indexer last looked
  int waiting_ = 0;       // searches waiting
  bool stopping_ = false;
};

}  // namespace staffroom::storage
