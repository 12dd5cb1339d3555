// Copies the WAL back into the database file on its own thread and connection.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstddef>
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
class Checkpointer {
 public:
  /// `wal_pages`: checkpoint once the WAL holds this many pages. Opens its own connection.
  Checkpointer(const std::string& path, int wal_pages);
  ~Checkpointer();
  Checkpointer(const Checkpointer&) = delete;
  Checkpointer& operator=(const Checkpointer&) = delete;

  /// Replaces the writer connection's automatic checkpoint with a request to this thread.
  /// If the WAL ever passes 16 times the threshold (checkpoints cannot keep up), the writer
  /// checkpoints itself, as SQLite would have.
  void attach(Connection& writer);
  /// Removes the hook; call before the writer connection closes.
  void detach(Connection& writer);
  /// Finishes a running checkpoint and ends the thread. Idempotent.
  void stop();

  /// Checkpoints completed so far (for metrics and tests).
  std::size_t completed() const { return completed_.load(std::memory_order_relaxed); }

 private:
  static int on_wal_commit(void* self, ::sqlite3* db, const char* name, int pages);
  void request();
  void run();

  std::string path_;
  int wal_pages_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool requested_ = false;
  bool stopping_ = false;
  std::atomic<std::size_t> completed_{0};
  std::thread thread_;
};

}  // namespace staffroom::storage
