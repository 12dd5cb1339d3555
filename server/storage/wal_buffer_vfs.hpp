// A SQLite VFS that writes each write transaction's WAL frames with one system call.
#pragma once

namespace staffroom::storage {

/// Wraps the default VFS. SQLite appends a transaction's WAL frames with two pwrite()s each
/// (a 24-byte header, then the page); over this VFS they are gathered in memory and written
/// with one pwrite() when the transaction's commit frame is complete, before SQLite syncs the
/// WAL or publishes the commit to readers, so what is synced and when is unchanged. Every
/// other file, and every other operation on the WAL, goes straight to the default VFS (after
/// writing out anything gathered).
class WalBufferVfs {
 public:
  /// The name to open a connection with (sqlite3_open_v2's zVfs); registers the VFS on first
  /// use. Thread-safe. Throws StorageError if SQLite refuses the registration.
  static const char* name();
};

}  // namespace staffroom::storage
