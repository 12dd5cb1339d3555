// The WAL-buffering VFS: what it writes is exactly what SQLite would have written, when it
// would have been visible.
#include <catch2/catch.hpp>

#include <filesystem>
#include <string>

#include "storage/database.hpp"
#include "storage/schema.hpp"
#include "storage/wal_buffer_vfs.hpp"
#include "storage_fixture.hpp"

using namespace staffroom::storage;
using staffroom::storage::testing::TempDir;

namespace {

// A writer connection over the VFS, as SqliteWriter opens it.
struct Buffered {
  Connection connection;
  explicit Buffered(const std::string& path, bool synchronous_full)
      : connection(path, Connection::Mode::read_write_create, WalBufferVfs::name()) {
    configure_writer(connection, synchronous_full);
    connection.exec("PRAGMA wal_autocheckpoint = 0");  // keep every frame in the WAL
    connection.exec("CREATE TABLE IF NOT EXISTS t (id INTEGER PRIMARY KEY, v BLOB NOT NULL)");
  }

  // One transaction writing `rows` rows of `bytes` bytes each.
  void insert(int rows, int bytes) {
    Transaction transaction(connection, Transaction::Kind::immediate);
    for (int i = 0; i < rows; ++i) {
      auto insert = connection.query("INSERT INTO t (v) VALUES (zeroblob(?1))");
      insert->bind_int64(1, bytes);
      insert->run();
    }
    transaction.commit();
  }
};

std::int64_t count_rows(Connection& connection) {
  auto count = connection.query("SELECT count(*), coalesce(sum(length(v)), 0) FROM t");
  REQUIRE(count->step());
  return count->column_int64(0);
}

void check_integrity(Connection& connection) {
  auto check = connection.query("PRAGMA integrity_check");
  REQUIRE(check->step());
  CHECK(check->column_text(0) == "ok");
}

}  // namespace

TEST_CASE("transactions far larger than one write reach the WAL whole", "[storage][vfs]") {
  TempDir dir;
  const auto path = dir.file("db");
  Buffered writer(path, true);
  // About 2 MiB in one transaction: many times the 128 KiB the unix VFS writes per call.
  writer.insert(500, 4000);
  writer.insert(1, 10);
  Connection reader(path, Connection::Mode::read_only);
  CHECK(count_rows(reader) == 501);
  check_integrity(reader);
}

TEST_CASE("a commit is in the WAL file when it returns, without a sync", "[storage][vfs]") {
  TempDir dir;
  const auto path = dir.file("db");
  // synchronous = NORMAL never syncs the WAL on commit: only the commit frame writes it out.
  Buffered writer(path, false);
  Connection reader(path, Connection::Mode::read_only);
  for (int round = 1; round <= 20; ++round) {
    writer.insert(round, 300 * round);
    // The page size is 4096: a 32-byte header, then frames of 24 + 4096 bytes.
    const auto wal_bytes = std::filesystem::file_size(path + "-wal");
    CHECK((wal_bytes - 32) % (24 + 4096) == 0);
    CHECK(count_rows(reader) == round * (round + 1) / 2);
  }
  check_integrity(reader);
}

TEST_CASE("a rolled-back transaction leaves no trace and the next one commits", "[storage][vfs]") {
  TempDir dir;
  const auto path = dir.file("db");
  Buffered writer(path, true);
  writer.insert(10, 100);
  {
    // Small cache: the big transaction spills frames into the WAL before it rolls back.
    writer.connection.exec("PRAGMA cache_size = 10");
    Transaction transaction(writer.connection, Transaction::Kind::immediate);
    for (int i = 0; i < 300; ++i) {
      auto insert = writer.connection.query("INSERT INTO t (v) VALUES (zeroblob(5000))");
      insert->run();
    }
  }  // rolled back
  writer.insert(5, 100);
  Connection reader(path, Connection::Mode::read_only);
  CHECK(count_rows(reader) == 15);
  check_integrity(reader);
}

TEST_CASE("a database written over the VFS reopens with every commit", "[storage][vfs]") {
  TempDir dir;
  const auto path = dir.file("db");
  {
    Buffered writer(path, true);
    for (int i = 0; i < 30; ++i) writer.insert(7, 1000 + i);
    writer.connection.exec("PRAGMA wal_checkpoint(TRUNCATE)");
    writer.insert(3, 50);
  }
  Connection reopened(path, Connection::Mode::read_write);
  CHECK(count_rows(reopened) == 213);
  check_integrity(reopened);
}
