// The database schema: connection pragmas and the migrations keyed by PRAGMA user_version.
#pragma once

namespace staffroom::storage {

class Connection;

/// The schema version this binary writes and understands (the number of migrations).
int schema_version();

/// The user_version stored in the database file.
int stored_version(Connection& connection);

/// WAL, foreign keys, busy timeout and the chosen fsync policy for the one write connection.
void configure_writer(Connection& connection, bool synchronous_full);

/// Foreign keys, busy timeout and query_only for a read connection.
void configure_reader(Connection& connection);

/// Applies every migration newer than the file's user_version, each in its own transaction.
/// Throws StorageError if the file is newer than this binary understands.
void migrate(Connection& connection);

/// Applies the migrations up to `target` only (never downward); for tests that need a file
/// as an older release left it.
void migrate_to(Connection& connection, int target);

/// Throws StorageError unless the file has exactly this binary's schema (readers never migrate).
void require_current_schema(Connection& connection);

}  // namespace staffroom::storage
