#include "storage/checkpointer.hpp"

#include <pthread.h>
#include <sqlite3.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <memory>
#include <utility>

#include "storage/database.hpp"

namespace staffroom::storage {

Checkpointer::Checkpointer(const std::string& path, int wal_pages,
                           std::function<void(std::chrono::nanoseconds took)> on_checkpoint)
    : path_(path),
      wal_pages_(wal_pages),
      on_checkpoint_(std::move(on_checkpoint)),
      finish_pages_(std::min(kFinishPages, wal_pages / 4)) {
  thread_ = std::thread([this] { run(); });
}

Checkpointer::~Checkpointer() { stop(); }

void Checkpointer::attach(Connection& writer) {
  sqlite3_wal_hook(writer.handle(), &Checkpointer::on_wal_commit, this);
}

void Checkpointer::detach(Connection& writer) {
  sqlite3_wal_hook(writer.handle(), nullptr, nullptr);
}

int Checkpointer::on_wal_commit(void* self, sqlite3*, const char*, int pages) {
  static_cast<Checkpointer*>(self)->after_commit(pages);
  return SQLITE_OK;
}

void Checkpointer::after_commit(int pages) {
  {
    std::lock_guard lock(mutex_);
    pages_ = pages;
    if (pages < backfilled_) {
      // The WAL has been restarted: what was copied counted frames of its last round.
      backfilled_ = 0;
      finished_ = false;
      not_before_ = 0;
    }
    if (pages < wal_pages_) return;
    const int remainder = pages - backfilled_;
    if (requested_) {
      // The background thread is behind (starved of CPU): bound the uncopied part of the WAL
      // as SQLite would have. (A reader on an old snapshot keeps the WAL from restarting, but
      // then the copies keep up and this does not fire.)
      writer_due_ = remainder >= kFallbackTimes * wal_pages_;
      return;
    }
    if (!finished_ && backfilled_ > 0 && remainder <= finish_pages_) {
      writer_due_ = true;
      return;
    }
    // The last copy left too much for the writer: copy again at once (each copy is shorter, so
    // fewer pages arrive meanwhile), unless copies stopped gaining (a reader still reads an
    // older snapshot, so the WAL cannot restart): then wait for a quarter round, as copying
    // after every commit would cost an fsync each.
    if (remainder <= finish_pages_ || pages < not_before_) return;
    requested_ = true;
  }
  wake_.notify_one();
}

bool Checkpointer::busy() {
  std::lock_guard lock(mutex_);
  return requested_;
}

void Checkpointer::run_due(Connection& writer) {
  if (!writer_due_) return;
  writer_due_ = false;
  // A few pages and one fsync of the database file; the next write restarts the WAL.
  const int copied = checkpoint(writer.handle());
  writer_copies_.fetch_add(1, std::memory_order_relaxed);
  std::lock_guard lock(mutex_);
  if (copied >= 0) backfilled_ = copied;
  finished_ = true;
  not_before_ = pages_ + wal_pages_ / 4;  // if the WAL does not restart after all
}

int Checkpointer::checkpoint(sqlite3* db) {
  int log_frames = 0;
  int copied = 0;
  const auto start = std::chrono::steady_clock::now();
  if (sqlite3_wal_checkpoint_v2(db, nullptr, SQLITE_CHECKPOINT_PASSIVE, &log_frames, &copied) !=
      SQLITE_OK) {
    return -1;
  }
  completed_.fetch_add(1, std::memory_order_relaxed);
  if (on_checkpoint_) on_checkpoint_(std::chrono::steady_clock::now() - start);
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
  // them on the same core. Ten nice levels below the server give it about a tenth of a busy
  // core; SCHED_IDLE starved it under a steady load until the writer's fallback had to copy
  // 128 MiB at once (460 ms).
  pthread_setname_np(pthread_self(), "db-checkpoint");
  errno = 0;
  const int nice = getpriority(PRIO_PROCESS, 0);
  if (errno == 0) setpriority(PRIO_PROCESS, static_cast<id_t>(gettid()), std::min(nice + 10, 19));
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
      copied = checkpoint(connection->handle());
    } catch (const StorageError&) {
      // The next request tries again; the writer's fallback bounds the WAL meanwhile.
      connection.reset();
    }
    std::lock_guard lock(mutex_);
    // No gain since the last copy: a reader pins the WAL, so another copy soon would not help.
    not_before_ = copied > backfilled_ ? 0 : pages_ + wal_pages_ / 4;
    if (copied >= 0) backfilled_ = copied;
    finished_ = false;  // a new round: the writer may finish it
    requested_ = false;
  }
}

}  // namespace staffroom::storage
