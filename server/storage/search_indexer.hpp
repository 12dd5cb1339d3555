// Keeps the search index file in step with the database, on a thread of its own.
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <thread>

#include "storage/search_progress.hpp"

namespace staffroom::storage {

class Connection;

/// The writer used to index each batch's new posts before its COMMIT: a seventh of the
/// server's CPU per post at 30,000 posts/s, paid before every ack. Here a thread at the idle
/// scheduling policy (SCHED_IDLE) indexes what has been committed, in rounds: it reads new posts
/// (by id; ids only grow) and body changes (search_stale, filled by a trigger on edits and
/// deletions) from a read connection, then writes them into the index file (search_index_file.hpp)
/// in one transaction with the marks that say how far it has come. It runs on CPU time nothing else
/// wants, so under a load that leaves none a post becomes findable later, never lost: the
/// marks say what is still to do, across restarts too. A search waits (briefly) for what was
/// committed before it began: see SearchProgress.
class SearchIndexer {
 public:
  /// Called on the indexer's thread.
  struct Hooks {
    /// A round failed (and was undone); `what` says why.
    std::function<void(const std::string& what)> on_failure;
    /// A file opened empty has caught up: `posts` indexed in `took` since start().
    std::function<void(std::size_t posts, std::chrono::nanoseconds took)> on_built;
  };

  /// Opens (or builds afresh) the index of the migrated database at `db_path`; the thread
  /// starts with start(). Throws StorageError.
  SearchIndexer(const std::string& db_path, SearchProgress& progress, Hooks hooks = {});
  ~SearchIndexer();
  SearchIndexer(const SearchIndexer&) = delete;
  SearchIndexer& operator=(const SearchIndexer&) = delete;

  /// Starts the thread. It retries a failed round a second later, after calling on_failure.
  void start();
  /// Stops the thread (and every search's wait). Idempotent.
  void stop();

  /// Indexes one round: up to kMostPosts new posts (kMostBytes of text) and kMostChanges body
  /// changes. Returns whether more may be waiting. Only on the thread, or before start() (the
  /// tests). Throws StorageError; nothing of a failed round is kept.
  bool index_round();
  /// Rounds until nothing is left (tests, and before start()).
  void catch_up();

  /// Whether the file was empty when opened (new, replaced or rebuilt).
  bool started_fresh() const { return fresh_; }
  SearchMark mark() const { return mark_; }

  static constexpr std::size_t kMostPosts = 2000;
  static constexpr std::size_t kMostBytes = 4 << 20;
  static constexpr std::size_t kMostChanges = 500;
  /// After a commit the thread waits this long for more before indexing (unless a search
  /// waits): one segment of the index per round, not per commit.
  static constexpr std::chrono::milliseconds kGather{50};
  /// It looks anyway this often, and this long after a failed round.
  static constexpr std::chrono::milliseconds kIdle{1000};

 private:
  void run();

  SearchProgress& progress_;
  Hooks hooks_;
  std::size_t indexed_ = 0;            // posts (and changed posts) indexed since opening
  std::unique_ptr<Connection> main_;   // read-only, on the database
  std::unique_ptr<Connection> index_;  // the index file
  SearchMark mark_;
  bool fresh_ = false;
  std::thread thread_;
};

}  // namespace staffroom::storage
