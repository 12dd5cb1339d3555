#include "storage/checkpointer.hpp"

#include <sqlite3.h>

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
  auto* checkpointer = static_cast<Checkpointer*>(self);
  if (pages >= 16 * checkpointer->wal_pages_) {
    // The background checkpoints fall behind (readers pinning old snapshots, a slow disk):
    // bound the WAL the way SQLite's own autocheckpoint would.
    sqlite3_wal_checkpoint_v2(db, name, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
  } else if (pages >= checkpointer->wal_pages_) {
    checkpointer->request();
  }
  return SQLITE_OK;
}

void Checkpointer::request() {
  {
    std::lock_guard lock(mutex_);
    if (requested_) return;
    requested_ = true;
  }
  wake_.notify_one();
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
  std::unique_ptr<Connection> connection;
  for (;;) {
    {
      std::unique_lock lock(mutex_);
      wake_.wait(lock, [this] { return requested_ || stopping_; });
      if (stopping_) return;
      requested_ = false;
    }
    try {
      // Opened on first use: the writer has created and migrated the file by then.
      if (!connection) {
        connection = std::make_unique<Connection>(path_, Connection::Mode::read_write);
        // A connection learns the file is in WAL mode when it first reads it; until then a
        // checkpoint is a silent no-op.
        connection->exec("SELECT count(*) FROM sqlite_master");
      }
      const int rc = sqlite3_wal_checkpoint_v2(connection->handle(), nullptr,
                                               SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
      if (rc == SQLITE_OK) completed_.fetch_add(1, std::memory_order_relaxed);
    } catch (const StorageError&) {
      // The next request tries again; the writer's fallback bounds the WAL meanwhile.
      connection.reset();
    }
  }
}

}  // namespace staffroom::storage
