#include "storage/backup.hpp"

#include <sqlite3.h>
#include <unistd.h>

#include <cerrno>
#include <filesystem>
#include <system_error>

#include "storage/database.hpp"
#include "storage/schema.hpp"

namespace staffroom::storage {
namespace {

/// Owns a sqlite3_backup so it is finished on every path out.
class BackupHandle {
 public:
  BackupHandle(Connection& dest, Connection& source)
      : dest_(dest), handle_(sqlite3_backup_init(dest.handle(), "main", source.handle(), "main")) {
    if (handle_ == nullptr) dest_.fail("cannot start backup");
  }
  ~BackupHandle() {
    if (handle_ != nullptr) sqlite3_backup_finish(handle_);
  }
  BackupHandle(const BackupHandle&) = delete;
  BackupHandle& operator=(const BackupHandle&) = delete;

  void copy_all() {
    // One step of -1 copies every page under a single read transaction on the source, so the
    // copy is one consistent snapshot; WAL lets the writer go on meanwhile.
    int rc = sqlite3_backup_step(handle_, -1);
    while (rc == SQLITE_BUSY || rc == SQLITE_LOCKED) {
      sqlite3_sleep(50);
      rc = sqlite3_backup_step(handle_, -1);
    }
    if (rc != SQLITE_DONE) {
      throw StorageError(std::string("backup failed: ") + sqlite3_errstr(rc));
    }
    rc = sqlite3_backup_finish(handle_);
    handle_ = nullptr;
    if (rc != SQLITE_OK) dest_.fail("backup failed");
  }

 private:
  Connection& dest_;
  sqlite3_backup* handle_;
};

}  // namespace

void backup_database(const std::string& source_path, const std::string& dest_path) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (fs::exists(dest_path, ec)) {
    throw StorageError("backup destination '" + dest_path +
                       "' already exists; refusing to overwrite it");
  }
  // Write beside the destination, then link it into place: link() never replaces an existing
  // file, and nobody sees a half-written backup under the final name.
  const std::string partial = dest_path + ".partial-" + std::to_string(::getpid());
  fs::remove(partial, ec);
  try {
    {
      Connection source(source_path, Connection::Mode::read_only);
      configure_reader(source);
      Connection dest(partial, Connection::Mode::read_write_create);
      // FULL: the copy is on disk when this returns.
      dest.exec("PRAGMA synchronous = FULL");
      BackupHandle(dest, source).copy_all();
    }
    if (::link(partial.c_str(), dest_path.c_str()) != 0) {
      const std::error_code error(errno, std::generic_category());
      throw StorageError("cannot create backup '" + dest_path + "': " + error.message());
    }
  } catch (...) {
    fs::remove(partial, ec);
    throw;
  }
  fs::remove(partial, ec);
}

std::string integrity_check(const std::string& path) {
  Connection connection(path, Connection::Mode::read_only);
  configure_reader(connection);
  auto check = connection.query("PRAGMA integrity_check");
  std::string result;
  while (check->step()) {
    if (!result.empty()) result += '\n';
    result += check->column_text(0);
  }
  return result;
}

}  // namespace staffroom::storage
