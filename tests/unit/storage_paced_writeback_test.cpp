// Paced write-back: the checkpointer's database file goes to disk while a checkpoint writes
// it, PacedWriteback::kPacedBytes at a time, not all at the checkpoint's fsync.
#include <fcntl.h>
#include <sqlite3.h>
#include <sys/syscall.h>
#include <sys/vfs.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cerrno>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "storage/database.hpp"
#include "storage/paced_writeback.hpp"
#include "storage/schema.hpp"
#include "storage/wal_buffer_vfs.hpp"
#include "storage_fixture.hpp"

using namespace staffroom::storage;
using staffroom::storage::testing::TempDir;

namespace {

constexpr int kPage = 4096;
constexpr long kCachestat = 451;  // the same on every architecture; absent before Linux 6.5
constexpr long kTmpfsMagic = 0x01021994;

// The file's dirty pages in the page cache (cachestat(2)), where the kernel can tell: not on
// kernels older than 6.5, and not on tmpfs, whose pages are never written back.
std::optional<std::uint64_t> dirty_pages(const std::string& path) {
  struct statfs fs {};
  if (statfs(path.c_str(), &fs) != 0 || static_cast<long>(fs.f_type) == kTmpfsMagic) {
    return std::nullopt;
  }
  struct Range {
    std::uint64_t offset, length;
  } range{0, 0};
  struct Stat {
    std::uint64_t cache, dirty, writeback, evicted, recently_evicted;
  } stat{};
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return std::nullopt;
  const long rc = syscall(kCachestat, fd, &range, &stat, 0);
  ::close(fd);
  if (rc != 0) return std::nullopt;
  return stat.dirty;
}

struct Written {
  std::uint64_t write_backs = 0;
  std::optional<std::uint64_t> dirty;
};

// Opens `path` as a main database file through the named VFS, writes `pages` pages, and says
// how many write-backs that started and how many pages were left dirty.
Written write_pages(const char* vfs_name, const std::string& path, int pages) {
  sqlite3_vfs* vfs = sqlite3_vfs_find(vfs_name);
  REQUIRE(vfs != nullptr);
  std::vector<std::max_align_t> memory(
      (static_cast<std::size_t>(vfs->szOsFile) + sizeof(std::max_align_t) - 1) /
      sizeof(std::max_align_t));
  auto* file = reinterpret_cast<sqlite3_file*>(memory.data());
  // SQLite hands a VFS names followed by their URI parameters, ended by two NULs.
  std::string name = path;
  name.append(2, '\0');
  int out_flags = 0;
  REQUIRE(vfs->xOpen(vfs, name.c_str(), file,
                     SQLITE_OPEN_MAIN_DB | SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE,
                     &out_flags) == SQLITE_OK);
  const std::vector<char> page(kPage, 'p');
  const auto before = PacedWriteback::write_backs();
  for (int i = 0; i < pages; ++i) {
    REQUIRE(file->pMethods->xWrite(file, page.data(), kPage,
                                   static_cast<sqlite3_int64>(i) * kPage) == SQLITE_OK);
  }
  Written written{PacedWriteback::write_backs() - before, dirty_pages(path)};
  CHECK(file->pMethods->xClose(file) == SQLITE_OK);
  return written;
}

}  // namespace

TEST_CASE("the paced VFS writes a database file back every 64 KiB written", "[storage][vfs]") {
  TempDir dir;
  constexpr int kPages = 40;  // two write-backs (after pages 16 and 32), 8 pages left over
  constexpr auto kPerWriteBack = PacedWriteback::kPacedBytes / kPage;
  static_assert(kPerWriteBack == 16);

  const auto paced = write_pages(WalBufferVfs::paced_name(), dir.file("paced.db"), kPages);
  CHECK(paced.write_backs == kPages / kPerWriteBack);
  // The plain variant leaves a main database file as the default VFS does.
  const auto plain = write_pages(WalBufferVfs::name(), dir.file("plain.db"), kPages);
  CHECK(plain.write_backs == 0);

  if (paced.dirty && plain.dirty) {
    // What was written back is clean: only the pages since the last write-back are dirty.
    CHECK(*paced.dirty <= kPages % kPerWriteBack);
    // Unpaced, the kernel leaves them dirty for seconds (the test would be blind without it).
    CHECK(*plain.dirty > kPerWriteBack);
  } else {
    WARN("cachestat(2) cannot see this file system's dirty pages: write-backs counted only");
  }
}

TEST_CASE("a checkpoint through the paced VFS copies every page and writes back as it goes",
          "[storage][vfs][checkpoint]") {
  TempDir dir;
  const auto path = dir.file("db");
  Connection writer(path, Connection::Mode::read_write_create, WalBufferVfs::name());
  configure_writer(writer, true);
  writer.exec("PRAGMA wal_autocheckpoint = 0");  // everything stays in the WAL until we copy
  writer.exec("CREATE TABLE t (id INTEGER PRIMARY KEY, v BLOB NOT NULL)");
  {
    Transaction transaction(writer, Transaction::Kind::immediate);
    for (int i = 0; i < 500; ++i) {
      auto insert = writer.query("INSERT INTO t (v) VALUES (zeroblob(4000))");
      insert->run();
    }
    transaction.commit();
  }

  // As the checkpointer opens its connection.
  Connection copier(path, Connection::Mode::read_write, WalBufferVfs::paced_name());
  copier.exec("SELECT count(*) FROM sqlite_master");
  const auto before = PacedWriteback::write_backs();
  int log_frames = 0;
  int copied = 0;
  REQUIRE(sqlite3_wal_checkpoint_v2(copier.handle(), nullptr, SQLITE_CHECKPOINT_PASSIVE,
                                    &log_frames, &copied) == SQLITE_OK);
  CHECK(copied == log_frames);
  // About 2 MiB of pages: a write-back per 16 of them.
  CHECK(PacedWriteback::write_backs() - before >= static_cast<std::uint64_t>(copied) / 16 - 1);

  // The copy is whole: a reader of the file alone (the WAL restarted and emptied) sees it all.
  writer.exec("PRAGMA wal_checkpoint(TRUNCATE)");
  Connection reader(path, Connection::Mode::read_only);
  auto count = reader.query("SELECT count(*), sum(length(v)) FROM t");
  REQUIRE(count->step());
  CHECK(count->column_int64(0) == 500);
  CHECK(count->column_int64(1) == 500 * 4000);
  auto check = reader.query("PRAGMA integrity_check");
  REQUIRE(check->step());
  CHECK(check->column_text(0) == "ok");
}
