// The database file of a checkpointing connection, written back to disk while it is written.
#pragma once

#include <cstddef>
#include <cstdint>

// As in database.hpp: <sqlite3.h> stays out of headers.
struct sqlite3_vfs;
struct sqlite3_file;

namespace staffroom::storage {

/// A checkpoint copies thousands of pages into the database file, then fsyncs it. On one disk
/// the burst that fsync sends to the device queues ahead of the writer's next WAL fdatasync:
/// in S4 at 30,000 posts/s, commits took up to twice as long while a checkpoint ran, and 3 in 4
/// of the acks over 12 ms fell in those windows. A database file opened through this wrapper
/// starts and waits for its write-back every kPacedBytes the checkpoint writes, so no more than
/// that is ever ahead of a commit, and the final fsync finds little left to write. What reaches
/// the disk, and when the checkpoint is durable (its fsync), is unchanged; only when the kernel
/// writes the pages back moves earlier.
class PacedWriteback {
 public:
  /// 16 pages: on the test VM, 4,000 scattered pages written back 16 at a time kept a
  /// concurrent 512 KiB fdatasync's p99 at 1.5 ms, against 7.3 ms after one fsync and 6.3 ms
  /// 256 pages at a time.
  static constexpr std::size_t kPacedBytes = std::size_t{64} << 10;

  /// Bytes in front of the wrapped file in the sqlite3_file memory SQLite allocates
  /// (sqlite3_vfs::szOsFile is this plus the wrapped VFS's).
  static std::size_t file_bytes();
  /// Opens `name` through `root` into the memory at `file`, wrapped. Where the wrapped file's
  /// descriptor cannot be found (a root VFS other than unix), writes are passed on unpaced.
  static int open(sqlite3_vfs* root, const char* name, sqlite3_file* file, int flags,
                  int* out_flags);
  /// How many write-backs all wrapped files have started and waited for (tests, diagnosis).
  static std::uint64_t write_backs();
};

}  // namespace staffroom::storage
