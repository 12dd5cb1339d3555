// Keeps a second writer (another server on the same data directory) off a database file.
#pragma once

#include <string>

namespace staffroom::storage {

/// An exclusive flock(2) on the database file for as long as this lives. SQLite's own locks let
/// two processes take turns writing, but a writer keeps state in memory that another process
/// cannot see (ClientIdIndex's recent client ids, the server's channel directory), so a second
/// server on the same file would break what each promises. flock locks are apart from the
/// POSIX locks SQLite uses, and end when the process does, however it ends.
class WriterLock {
 public:
  /// Throws StorageError if another WriterLock (in any process) holds `path`, or it cannot be
  /// opened.
  explicit WriterLock(const std::string& path);
  ~WriterLock();
  WriterLock(const WriterLock&) = delete;
  WriterLock& operator=(const WriterLock&) = delete;

 private:
  int fd_ = -1;
};

}  // namespace staffroom::storage
