// Copies the WAL back into the database file on its own thread and connection.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

struct sqlite3;  // as in database.hpp: <sqlite3.h> stays out of headers

namespace staffroom::storage {

class Connection;

/// SQLite's automatic checkpoint runs inside the COMMIT that crosses the threshold, on the
/// writer thread: every acknowledgement behind it waits for thousands of page copies and an
/// fsync of the database file (tens of milliseconds). Here the writer's commit only notes the
/// WAL's size; a PASSIVE checkpoint on another connection copies what is committed while the
/// writer goes on. Durability is unchanged: a commit is durable in the WAL before it is acked.
///
/// SQLite reuses the WAL from its start only when a write begins with every frame copied, which
/// a background copy racing a busy writer almost never leaves: the WAL would grow and every
/// commit would ask for another checkpoint of a few pages (each with two fsyncs). So one
/// background checkpoint runs at a time, and once it has left only a few pages behind, the
/// writer copies those itself after its batch's callbacks (run_due), once per round, which lets
/// its next write restart the WAL.
class Checkpointer {
 public:
  /// `wal_pages`: checkpoint once the WAL holds this many pages. Opens its own connection.
  /// `on_checkpoint` (optional) is called after each completed checkpoint, on either thread,
  /// with how long it took.
  Checkpointer(const std::string& path, int wal_pages,
               std::function<void(std::chrono::nanoseconds took)> on_checkpoint = {});
  ~Checkpointer();
  Checkpointer(const Checkpointer&) = delete;
  Checkpointer& operator=(const Checkpointer&) = delete;

  /// Replaces the writer connection's automatic checkpoint with this scheme: requests to the
  /// background thread, and copies for the writer to make in run_due.
  void attach(Connection& writer);
  /// Removes the hook; call before the writer connection closes.
  void detach(Connection& writer);
  /// On the writer thread, outside any transaction (after a batch's callbacks): copies the last
  /// few pages of a round, or everything if the WAL passed kFallbackTimes the threshold while
  /// the background thread fell behind. Nothing when nothing is due.
  void run_due(Connection& writer);
  /// Finishes a running checkpoint and ends the thread. Idempotent.
  void stop();

  /// Checkpoints completed so far, on either thread (for metrics and tests).
  std::size_t completed() const { return completed_.load(std::memory_order_relaxed); }
  /// Of those, the writer's own (for tests).
  std::size_t writer_copies() const { return writer_copies_.load(std::memory_order_relaxed); }
  /// Whether a background checkpoint is asked for or running (for tests).
  bool busy();

  /// WAL pages past the last background checkpoint that the writer copies itself (at most a
  /// quarter of the threshold).
  static constexpr int kFinishPages = 256;
  /// The thread runs at a low priority, so a server busy for long may starve it; past this
  /// many times the threshold the writer checkpoints itself (holding up its next batch).
  static constexpr int kFallbackTimes = 8;

 private:
  static int on_wal_commit(void* self, ::sqlite3* db, const char* name, int pages);
  void after_commit(int pages);
  /// A PASSIVE checkpoint on `db`; returns the WAL frames copied so far, or -1 on failure.
  int checkpoint(::sqlite3* db);
  void run();

  std::string path_;
  int wal_pages_;
  std::function<void(std::chrono::nanoseconds took)> on_checkpoint_;
  int finish_pages_;
  std::mutex mutex_;  // guards the state below, shared by the writer and the thread
  std::condition_variable wake_;
  bool requested_ = false;  // a background checkpoint is asked for or running
  bool stopping_ = false;
  int pages_ = 0;            // WAL frames after the last commit
  int backfilled_ = 0;       // WAL frames copied by the last checkpoint, in this round of the WAL
  bool finished_ = false;    // the writer has made its copy since the last background one
  int not_before_ = 0;       // no background request before the WAL holds this many frames
  bool writer_due_ = false;  // run_due has a copy to make (set and read on the writer thread)
  std::atomic<std::size_t> completed_{0};
  std::atomic<std::size_t> writer_copies_{0};
  std::thread thread_;
};

}  // namespace staffroom::storage
