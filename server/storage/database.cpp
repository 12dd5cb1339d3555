#include "storage/database.hpp"

#include <sqlite3.h>

#include <climits>
#include <mutex>
#include <utility>

#include "storage/page_cache_guard.hpp"

namespace staffroom::storage {

// ---- Statement ----

Statement::Statement(Connection& connection, std::string_view sql)
    : db_(connection.handle()), sql_(sql) {
  if (sql.size() > static_cast<std::size_t>(INT_MAX)) connection.fail("statement too long");
  const int rc = sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()),
                                    SQLITE_PREPARE_PERSISTENT, &stmt_, nullptr);
  if (rc != SQLITE_OK) connection.fail("cannot prepare '" + sql_ + "'");
}

Statement::~Statement() { sqlite3_finalize(stmt_); }

void Statement::fail(const char* what, int code) const {
  throw StorageError(std::string(what) + " failed (" + sqlite3_errstr(code) +
                     "): " + sqlite3_errmsg(db_) + " [" + sql_ + "]");
}

Statement& Statement::bind_int64(int index, std::int64_t value) {
  const int rc = sqlite3_bind_int64(stmt_, index, value);
  if (rc != SQLITE_OK) fail("bind", rc);
  return *this;
}

Statement& Statement::bind_text(int index, std::string_view value) {
  // SQLITE_TRANSIENT: SQLite copies the text, so temporaries are safe to bind.
  const int rc =
      sqlite3_bind_text64(stmt_, index, value.data(), value.size(), SQLITE_TRANSIENT, SQLITE_UTF8);
  if (rc != SQLITE_OK) fail("bind", rc);
  return *this;
}

Statement& Statement::bind_null(int index) {
  const int rc = sqlite3_bind_null(stmt_, index);
  if (rc != SQLITE_OK) fail("bind", rc);
  return *this;
}

Statement& Statement::bind_optional(int index, const std::optional<std::int64_t>& value) {
  return value ? bind_int64(index, *value) : bind_null(index);
}

Statement& Statement::bind_optional(int index, const std::optional<std::string>& value) {
  return value ? bind_text(index, *value) : bind_null(index);
}

bool Statement::step() {
  const int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  fail("step", rc);
}

void Statement::run() {
  while (step()) {
  }
}

bool Statement::column_is_null(int index) const {
  return sqlite3_column_type(stmt_, index) == SQLITE_NULL;
}

std::int64_t Statement::column_int64(int index) const { return sqlite3_column_int64(stmt_, index); }

std::string Statement::column_text(int index) const {
  const unsigned char* text = sqlite3_column_text(stmt_, index);
  if (text == nullptr) return {};
  const int size = sqlite3_column_bytes(stmt_, index);
  return std::string(reinterpret_cast<const char*>(text), static_cast<std::size_t>(size));
}

std::optional<std::int64_t> Statement::column_optional_int64(int index) const {
  if (column_is_null(index)) return std::nullopt;
  return column_int64(index);
}

std::optional<std::string> Statement::column_optional_text(int index) const {
  if (column_is_null(index)) return std::nullopt;
  return column_text(index);
}

void Statement::reset() noexcept {
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
}

// ---- StatementLease ----

StatementLease::StatementLease(Statement& statement) : statement_(&statement) {
  // A second lease would rebind a statement whose rows someone is still reading.
  if (statement.leased_) throw StorageError("statement already in use: " + statement.sql());
  statement.leased_ = true;
}

StatementLease::~StatementLease() {
  statement_->reset();
  statement_->leased_ = false;
}

// ---- Connection ----

void configure_sqlite_once() {
  // Before SQLite initialises (the first open or VFS lookup of the process); later it refuses,
  // harmlessly. Memory statistics cost a global mutex per allocation and nothing reads them.
  static std::once_flag once;
  std::call_once(once, [] {
    sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
    PageCacheGuard::install();
  });
}

Connection::Connection(const std::string& path, Mode mode, const char* vfs) : path_(path) {
  // Each connection is used by one thread at a time, so SQLite's own mutex is not needed.
  configure_sqlite_once();
  int flags = SQLITE_OPEN_NOMUTEX;
  switch (mode) {
    case Mode::read_write_create:
      flags |= SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
      break;
    case Mode::read_write:
      flags |= SQLITE_OPEN_READWRITE;
      break;
    case Mode::read_only:
      flags |= SQLITE_OPEN_READONLY;
      break;
  }
  const int rc = sqlite3_open_v2(path.c_str(), &db_, flags, vfs);
  if (rc != SQLITE_OK) {
    std::string message = "cannot open database '" + path + "': ";
    message += db_ != nullptr ? sqlite3_errmsg(db_) : sqlite3_errstr(rc);
    sqlite3_close_v2(db_);
    db_ = nullptr;
    throw StorageError(message);
  }
  sqlite3_extended_result_codes(db_, 1);
}

Connection::~Connection() {
  cache_.clear();
  sqlite3_close_v2(db_);
}

void Connection::fail(const std::string& what) const {
  throw StorageError(what + ": " + sqlite3_errmsg(db_) + " (database '" + path_ + "')");
}

void Connection::exec(const std::string& sql) {
  char* error = nullptr;
  const int rc = sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &error);
  if (rc != SQLITE_OK) {
    std::string message =
        "'" + sql + "' failed: " + (error != nullptr ? error : sqlite3_errstr(rc));
    sqlite3_free(error);
    throw StorageError(message + " (database '" + path_ + "')");
  }
}

StatementLease Connection::query(std::string_view sql) {
  auto found = cache_.find(sql);
  if (found == cache_.end()) {
    found = cache_.emplace(std::string(sql), std::make_unique<Statement>(*this, sql)).first;
  }
  return StatementLease(*found->second);
}

std::int64_t Connection::last_insert_rowid() const { return sqlite3_last_insert_rowid(db_); }

std::int64_t Connection::changes() const { return sqlite3_changes64(db_); }

bool Connection::in_transaction() const { return sqlite3_get_autocommit(db_) == 0; }

// ---- Transaction ----

Transaction::Transaction(Connection& connection, Kind kind) : connection_(connection) {
  connection_.query(kind == Kind::immediate ? "BEGIN IMMEDIATE" : "BEGIN")->run();
}

Transaction::~Transaction() {
  if (done_ || !connection_.in_transaction()) return;
  try {
    connection_.query("ROLLBACK")->run();
  } catch (...) {
    // A destructor must not throw; SQLite rolls back on close if this failed.
  }
}

void Transaction::commit() {
  connection_.query("COMMIT")->run();
  done_ = true;
}

// ---- Savepoint ----

Savepoint::Savepoint(Connection& connection, std::string name)
    : connection_(connection), name_(std::move(name)) {
  connection_.query("SAVEPOINT " + name_)->run();
}

Savepoint::~Savepoint() {
  if (done_) return;
  try {
    rollback();
  } catch (...) {
    // A destructor must not throw; the enclosing transaction notices the damage.
  }
}

void Savepoint::release() {
  connection_.query("RELEASE " + name_)->run();
  done_ = true;
}

void Savepoint::rollback() {
  done_ = true;
  // SQLite may already have rolled the whole transaction back (I/O error, SQLITE_FULL).
  if (!connection_.in_transaction()) return;
  connection_.query("ROLLBACK TO " + name_)->run();
  connection_.query("RELEASE " + name_)->run();
}

}  // namespace staffroom::storage
