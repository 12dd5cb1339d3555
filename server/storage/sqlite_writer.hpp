// The one writer thread: commits appended changes in batches (group commit).
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "domain/store.hpp"

namespace staffroom::storage {

class ChangeApplier;
class Checkpointer;
class Connection;
class WriterLock;

struct WriterOptions {
  std::string path;
  /// FULL: an acknowledged change survives power loss; NORMAL: survives a process crash.
  bool synchronous_full = true;
  /// Called on the writer thread after each batch's callbacks, with the batch's size and how
  /// long its transaction took from BEGIN to durable COMMIT, fsync included (also for a batch
  /// whose COMMIT failed). For metrics and tests.
  std::function<void(std::size_t batch_size, std::chrono::nanoseconds took)> on_commit;
  /// Under load (the last batch held more than one change) a batch starts no sooner than this
  /// after the previous one started, so commits (and fsyncs) stay few and large; a lone change
  /// never waits. Zero: commit as soon as anything is queued.
  std::chrono::microseconds commit_interval{2000};
  /// After a batch of at least busy_batch changes (16,000 a second at 2 ms), the next batch
  /// may wait up to busy_commit_interval after it started: past commit_interval it starts as
  /// soon as no change has arrived for busy_quiet. Each commit costs about 0.25 ms of CPU
  /// whatever its size (fsync, WAL headers); while changes
  /// keep coming (many clients posting) that cost, not the wait, is what fills the core. When
  /// they stop coming (clients waiting for their acks before they send more) waiting longer
  /// would gather nothing.
  std::chrono::microseconds busy_commit_interval{4000};
  std::size_t busy_batch = 32;
  std::chrono::microseconds busy_quiet{1000};
  /// The busier, the longer: after a busy batch of n changes the wait may last up to n times
  /// busy_interval_per_change, if that is more than busy_commit_interval, and at most
  /// most_busy_commit_interval. With these, past 100 changes a batch (25,000 a second at 4 ms)
  /// the interval grows towards 6 ms, and 100 clients that each wait for their ack (at most
  /// 100 changes a batch) keep the 4 ms. At 30,000 posts/s the server used less CPU per post
  /// and its ack p99 was lower in 13 of 17 alternating pairs (README, "Few, large commits").
  std::chrono::microseconds busy_interval_per_change{40};
  std::chrono::microseconds most_busy_commit_interval{6000};
  /// Called after each completed WAL checkpoint (on the writer's or the checkpointer's
  /// thread) with how long it took. For metrics.
  std::function<void(std::chrono::nanoseconds took)> on_checkpoint{};
  /// Called on the writer thread after a batch in which upkeep (a move of seq index entries)
  /// failed and was undone while the batch's changes committed, with what went wrong. For
  /// the log and metrics: nothing is lost, but the file may need a look.
  std::function<void(const std::string& what)> on_upkeep_failed{};
};

/// domain::Writer over SQLite: one thread owns the write connection; while one batch commits
/// (and fsyncs) the next gathers, so the fsync is paid once per batch, not once per change.
class SqliteWriter final : public domain::Writer {
 public:
  /// Opens (creating if needed), locks (WriterLock) and migrates the database, then starts the
  /// writer thread. Throws StorageError if the file cannot be opened, another writer holds
  /// it, or its schema is newer than ours.
  explicit SqliteWriter(WriterOptions options);
  /// Calls stop(). Never destroy the writer from one of its own callbacks.
  ~SqliteWriter() override;
  SqliteWriter(const SqliteWriter&) = delete;
  SqliteWriter& operator=(const SqliteWriter&) = delete;

  /// Thread-safe and never waits for I/O. After stop(), calls back at once (on the caller's
  /// thread) with an `unavailable` error.
  void append(domain::Change change, domain::CommitCallback on_committed) override;
  /// The batch's callbacks for `lane` go over to it as one task, after the batch commits.
  void append_on(domain::Change change, domain::Lane& lane,
                 domain::CommitCallback on_committed) override;

  /// Commits everything appended so far, then ends the writer thread. Idempotent.
  void stop();

  /// A batch waiting out commit_interval starts at once when this many changes wait.
  static constexpr std::size_t kMostGathered = 1000;

 private:
  struct Pending {
    domain::Change change;
    domain::CommitCallback on_committed;
    domain::Lane* lane = nullptr;  // null: call back on the writer thread
  };

  void enqueue(Pending pending);
  void run();
  /// Waits (on `lock`) until the batch after one of `size` changes that started at `start`
  /// may start; see WriterOptions::commit_interval, busy_commit_interval and, for how a
  /// bigger busy batch lengthens it, busy_interval_per_change (a most_busy_commit_interval
  /// below busy_commit_interval counts as equal to it).
  void pace(std::unique_lock<std::mutex>& lock, std::chrono::steady_clock::time_point start,
            std::size_t size);
  void call_back(std::vector<Pending>& batch, std::vector<domain::Committed>& results);
  std::vector<domain::Committed> commit_batch(const std::vector<Pending>& batch);
  /// One attempt at a batch; false when a change without a savepoint failed part-way (the
  /// transaction is rolled back, and the batch must run again with `guarded`).
  bool try_batch(const std::vector<Pending>& batch, bool guarded,
                 std::vector<domain::Committed>& results);
  /// Runs one change, in a savepoint if `in_savepoint` (ChangeApplier::needs_savepoint).
  domain::Committed apply_one(const domain::Change& change, bool in_savepoint);

  WriterOptions options_;
  std::unique_ptr<WriterLock> lock_;  // declared first: released after the connection closes
  std::unique_ptr<Connection> connection_;
  std::unique_ptr<ChangeApplier> applier_;
  std::unique_ptr<Checkpointer> checkpointer_;

  std::mutex mutex_;  // guards queue_, stopping_, pacing_ and last_append_
  std::condition_variable wake_;
  std::vector<Pending> queue_;
  bool stopping_ = false;
  bool pacing_ = false;  // the writer waits out commit_interval: appends need not wake it
  std::chrono::steady_clock::time_point last_append_{};

  std::mutex join_mutex_;  // two threads calling stop() must not both join
  std::thread thread_;
};

}  // namespace staffroom::storage
