// Thin RAII wrappers over the SQLite C API: connection, prepared statement, transactions.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

// Forward declarations keep <sqlite3.h> out of every header: only storage/*.cpp include it.
struct sqlite3;
struct sqlite3_stmt;

namespace staffroom::storage {

/// Any failure of the database itself (open, prepare, step, I/O, a schema it cannot use).
class StorageError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class Connection;

/// Process-wide SQLite settings; call before anything else touches SQLite (Connection does).
void configure_sqlite_once();

/// One prepared statement; bind by 1-based index, step, read columns by 0-based index.
class Statement {
 public:
  Statement(Connection& connection, std::string_view sql);
  ~Statement();
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  Statement& bind_int64(int index, std::int64_t value);
  Statement& bind_text(int index, std::string_view value);
  Statement& bind_null(int index);
  Statement& bind_optional(int index, const std::optional<std::int64_t>& value);
  Statement& bind_optional(int index, const std::optional<std::string>& value);

  /// True when a row is ready to read, false when the statement is done. Throws on error.
  bool step();
  /// Steps until done, for statements whose rows (if any) are not needed.
  void run();

  bool column_is_null(int index) const;
  std::int64_t column_int64(int index) const;
  std::string column_text(int index) const;
  std::optional<std::int64_t> column_optional_int64(int index) const;
  std::optional<std::string> column_optional_text(int index) const;

  /// Ends the current execution and clears bindings so the statement can run again.
  void reset() noexcept;

  const std::string& sql() const { return sql_; }

 private:
  friend class StatementLease;
  [[noreturn]] void fail(const char* what, int code) const;

  sqlite3* db_;
  sqlite3_stmt* stmt_ = nullptr;
  std::string sql_;
  bool leased_ = false;
};

/// Exclusive use of a cached statement for one query; resets it on scope exit so no cached
/// statement keeps a read snapshot (which would stop WAL checkpoints) or a stale binding.
class StatementLease {
 public:
  explicit StatementLease(Statement& statement);
  ~StatementLease();
  StatementLease(const StatementLease&) = delete;
  StatementLease& operator=(const StatementLease&) = delete;

  Statement* operator->() const { return statement_; }
  Statement& operator*() const { return *statement_; }

 private:
  Statement* statement_;
};

/// An open database handle plus its cache of prepared statements (prepare once, run often).
class Connection {
 public:
  enum class Mode { read_write_create, read_write, read_only };

  /// `vfs` names a registered SQLite VFS; null is the default one.
  Connection(const std::string& path, Mode mode, const char* vfs = nullptr);
  ~Connection();
  // Statements point back at the handle, so a connection never moves.
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  /// Runs constant SQL without parameters (pragmas, DDL, transaction control).
  void exec(const std::string& sql);
  /// The cached statement for `sql`, prepared on first use, leased until the lease ends.
  StatementLease query(std::string_view sql);

  std::int64_t last_insert_rowid() const;
  /// Rows changed by the most recent INSERT, UPDATE or DELETE.
  std::int64_t changes() const;
  /// False when SQLite is in autocommit mode, e.g. after it rolled a transaction back itself.
  bool in_transaction() const;
  const std::string& path() const { return path_; }
  sqlite3* handle() const { return db_; }

  /// Throws StorageError with `what`, the SQLite message and the file name.
  [[noreturn]] void fail(const std::string& what) const;

 private:
  std::string path_;
  sqlite3* db_ = nullptr;
  // Declared after db_ so the statements are finalized before the handle closes.
  std::map<std::string, std::unique_ptr<Statement>, std::less<>> cache_;
};

/// BEGIN ... COMMIT; rolls back in the destructor unless committed.
class Transaction {
 public:
  enum class Kind { deferred, immediate };

  Transaction(Connection& connection, Kind kind);
  ~Transaction();
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;

  void commit();

 private:
  Connection& connection_;
  bool done_ = false;
};

/// SAVEPOINT ... RELEASE; rolls back to the savepoint in the destructor unless released.
class Savepoint {
 public:
  Savepoint(Connection& connection, std::string name);
  ~Savepoint();
  Savepoint(const Savepoint&) = delete;
  Savepoint& operator=(const Savepoint&) = delete;

  void release();
  /// Undoes everything since the savepoint and ends it.
  void rollback();

 private:
  Connection& connection_;
  std::string name_;
  bool done_ = false;
};

}  // namespace staffroom::storage
