#include "storage/schema.hpp"

#include <algorithm>
#include <string>
#include <vector>

#include "storage/database.hpp"
#include "storage/migrations.hpp"

namespace staffroom::storage {
namespace {

StorageError newer_than_known(int stored, int known) {
  return StorageError("database schema version " + std::to_string(stored) +
                      " is newer than this staffroom understands (" + std::to_string(known) +
                      "); upgrade staffroom or restore a backup");
}

}  // namespace

int schema_version() { return static_cast<int>(migrations().size()); }

int stored_version(Connection& connection) {
  auto pragma = connection.query("PRAGMA user_version");
  if (!pragma->step()) throw StorageError("PRAGMA user_version returned no row");
  return static_cast<int>(pragma->column_int64(0));
}

void configure_writer(Connection& connection, bool synchronous_full) {
  // Wait for other connections (a backup, a second process) instead of failing at once.
  connection.exec("PRAGMA busy_timeout = 5000");
  connection.exec("PRAGMA foreign_keys = ON");
  {
    auto mode = connection.query("PRAGMA journal_mode = WAL");
    if (!mode->step() || mode->column_text(0) != "wal") {
      throw StorageError("cannot switch database '" + connection.path() + "' to WAL mode");
    }
  }
  // FULL: an acknowledged post survives power loss. NORMAL: survives a crash of the process.
  connection.exec(synchronous_full ? "PRAGMA synchronous = FULL" : "PRAGMA synchronous = NORMAL");
  // Each change runs in its own SAVEPOINT, so SQLite copies every page a change touches that
  // the batch has already dirtied into a statement sub-journal. On disk (the default) that is
  // a temp file and two pwrite()s per page, most of the writer's time; in memory it is a copy.
  // The sub-journal only undoes a change inside the open transaction, so durability is the same.
  connection.exec("PRAGMA temp_store = MEMORY");
  // A checkpoint copies each page once however often the WAL holds it; hot pages (the
  // channels row, index interiors) are rewritten by every commit, so a
  // longer WAL between checkpoints (32 MiB, not 4) copies far fewer pages per post.
  // SqliteWriter moves checkpoints to a thread of their own (Checkpointer); this setting
  // holds for a writer connection without one.
  connection.exec("PRAGMA wal_autocheckpoint = 8000");
  // A WAL that grew past that (checkpoints starved by a long busy spell) is cut back to
  // 48 MiB when it next restarts, instead of keeping its peak size on disk.
  connection.exec("PRAGMA journal_size_limit = 50331648");
  // The writer's working set (index leaves of every channel) in memory,
  // instead of re-reading pages from the WAL (64 MiB, not 2).
  connection.exec("PRAGMA cache_size = -65536");
}

void configure_reader(Connection& connection) {
  connection.exec("PRAGMA busy_timeout = 5000");
  connection.exec("PRAGMA foreign_keys = ON");
  connection.exec("PRAGMA query_only = ON");
}

void migrate(Connection& connection) { migrate_to(connection, schema_version()); }

void migrate_to(Connection& connection, int target) {
  const int known = schema_version();
  // A step may rebuild a table (create, copy, drop, rename), which foreign key enforcement
  // would refuse (rows of other tables refer to it); SQLite only lets enforcement be switched
  // off outside a transaction. Each step checks the keys itself before it commits, and the
  // connection gets back the setting it came with.
  bool keys_were_on = false;
  {
    auto keys = connection.query("PRAGMA foreign_keys");
    keys_were_on = keys->step() && keys->column_int64(0) != 0;
  }
  connection.exec("PRAGMA foreign_keys = OFF");
  struct KeysBack {
    Connection& connection;
    bool on;
    ~KeysBack() {
      if (!on) return;
      try {
        connection.exec("PRAGMA foreign_keys = ON");
      } catch (...) {  // NOLINT(bugprone-empty-catch): the connection is being given up on
      }
    }
  } keys_back{connection, keys_were_on};
  for (;;) {
    // IMMEDIATE so two processes starting together cannot both apply the same step.
    Transaction transaction(connection, Transaction::Kind::immediate);
    const int stored = stored_version(connection);
    if (stored > known) {
      throw newer_than_known(stored, known);
    }
    if (stored >= std::min(target, known)) return;
    connection.exec(migrations()[static_cast<std::size_t>(stored)]);
    {
      // The whole file is checked, so a row broken before the step (an edit made with keys
      // off) stops the upgrade too: the message names the row so it can be repaired.
      auto broken = connection.query("PRAGMA foreign_key_check");
      if (broken->step()) {
        throw StorageError("schema step " + std::to_string(stored + 1) + " not applied: row " +
                           std::to_string(broken->column_int64(1)) + " of table " +
                           broken->column_text(0) + " refers to a missing " +
                           broken->column_text(2) + " row; repair it or restore a backup");
      }
    }
    // A pragma takes no bound parameters; the value is our own integer, not outside input.
    connection.exec("PRAGMA user_version = " + std::to_string(stored + 1));
    transaction.commit();
  }
}

void require_current_schema(Connection& connection) {
  const int stored = stored_version(connection);
  const int known = schema_version();
  if (stored > known) {
    throw newer_than_known(stored, known);
  }
  if (stored < known) {
    throw StorageError("database '" + connection.path() + "' has schema version " +
                       std::to_string(stored) + ", expected " + std::to_string(known) +
                       "; start the server once to migrate it");
  }
}

}  // namespace staffroom::storage
