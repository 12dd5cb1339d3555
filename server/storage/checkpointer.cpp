#include "storage/checkpointer.hpp"

#include <sqlite3.h>
#include <sys/resource.h>
#include <unistd.h>

#include <memory>

#include "storage/database.hpp"

namespace staffroom::storage {

Checkpointer::Checkpointer(const std::string& path, int wal_pages)
    : path_(path), wal_pages_(wal_pages) {
  thread_ = std::thread([this] { run(); });
}

Checkpointer::~Checkpointer() { stop(); }

void Checkpointer::attach(Connection& writer) {
  sqlite3_wal_hook(writer.handle(), &Checkpointer::on_wal_commit, this);
}

void Checkpointer::detach(Connection& writer) {
  sqlite3_wal_hook(writer.handle(), nullptr, nullptr);
}

int Checkpointer::on_wal_commit(void* self, sqlite3* db, const char* name, int pages) {
  static_cast<Checkpointer*>(self)->after_commit(db, name, pages);
  return SQLITE_OK;
}

void Checkpointer::after_commit(sqlite3* db, const char* name, int pages) {
  bool finish = false;
  bool ask = false;
  {
    std::lock_guard lock(mutex_);
    // A WAL shorter than what was copied has been restarted: the count is from its last round.
    if (pages < backfilled_) backfilled_ = 0;
    if (pages < wal_pages_) return;
    if (!requested_) {
      finish = backfilled_ > 0 && pages - backfilled_ <= kFinishPages;
      ask = !finish;
      requested_ = ask;
    }
  }
  if (ask) wake_.notify_one();
  if (finish) {
    // A few pages and one fsync of the database file; the next write restarts the WAL.
    const int copied = checkpoint(db, name);
    std::lock_guard lock(mutex_);
    backfilled_ = copied < 0 ? 0 : copied;
  } else if (pages >= kFallbackTimes * wal_pages_) {
    // The background checkpoints fall behind (readers pinning old snapshots, a slow disk):
    // bound the WAL the way SQLite's own autocheckpoint would.
    checkpoint(db, name);
  }
}

int Checkpointer::checkpoint(sqlite3* db, const char* name) {
  int log_frames = 0;
  int copied = 0;
  if (sqlite3_wal_checkpoint_v2(db, name, SQLITE_CHECKPOINT_PASSIVE, &log_frames, &copied) !=
      SQLITE_OK) {
    return -1;
  }
  completed_.fetch_add(1, std::memory_order_relaxed);
  return copied;
}

void Checkpointer::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void Checkpointer::run() {
  // Copying pages is never urgent; commits, acks and deliveries are. On a small machine the
  // copy (and the kernel's write-out under its fsync) would otherwise take equal turns with
  // them on the same core. Nice 10 gives it about a tenth of a busy core; SCHED_IDLE starved
  // it under a steady load until the writer's fallback had to copy 128 MiB at once (460 ms).
  setpriority(PRIO_PROCESS, static_cast<id_t>(gettid()), 10);
  std::unique_ptr<Connection> connection;
  for (;;) {
    {
      std::unique_lock lock(mutex_);
      wake_.wait(lock, [this] { return requested_ || stopping_; });
      if (stopping_) return;
    }
    int copied = -1;
    try {
      // Opened on first use: the writer has created and migrated the file by then.
      if (!connection) {
        connection = std::make_unique<Connection>(path_, Connection::Mode::read_write);
        // A connection learns the file is in WAL mode when it first reads it; until then a
        // checkpoint is a silent no-op.
        connection->exec("SELECT count(*) FROM sqlite_master");
      }
      copied = checkpoint(connection->handle(), nullptr);
    } catch (const StorageError&) {
      // The next request tries again; the writer's fallback bounds the WAL meanwhile.
      connection.reset();
    }
    std::lock_guard lock(mutex_);
    backfilled_ = copied < 0 ? 0 : copied;
    requested_ = false;
  }
}

}  // namespace staffroom::storage
