// The background checkpointer: commits past the threshold get their pages copied into the
// database file by another thread, and the writer's own commits never run a checkpoint.
#include <catch2/catch.hpp>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>
#include <string>
#include <thread>

#include "storage/checkpointer.hpp"
#include "storage/database.hpp"
#include "storage/schema.hpp"
#include "storage_fixture.hpp"

using namespace staffroom::storage;
using staffroom::storage::testing::TempDir;

namespace {

void insert(Connection& connection, int rows, int bytes) {
  Transaction transaction(connection, Transaction::Kind::immediate);
  for (int i = 0; i < rows; ++i) {
    auto statement = connection.query("INSERT INTO t (v) VALUES (zeroblob(?1))");
    statement->bind_int64(1, bytes);
    statement->run();
  }
  transaction.commit();
}

// Waits (bounded) until `done()` holds.
template <typename Check>
bool eventually(Check done) {
  for (int i = 0; i < 200 && !done(); ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  return done();
}

}  // namespace

TEST_CASE("past the threshold the checkpointer copies the WAL into the database file",
          "[storage][checkpoint]") {
  TempDir dir;
  const auto path = dir.file("db");
  Connection writer(path, Connection::Mode::read_write_create);
  configure_writer(writer, true);
  writer.exec("CREATE TABLE t (id INTEGER PRIMARY KEY, v BLOB NOT NULL)");
  Checkpointer checkpointer(path, 64);  // 64 pages = 256 KiB of WAL
  checkpointer.attach(writer);

  // Under the threshold nothing is copied: the rows live in the WAL only.
  insert(writer, 10, 4000);
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  CHECK(checkpointer.completed() == 0);
  const auto small = std::filesystem::file_size(path);
  CHECK(small < 64 * 1024);

  // 1 MiB more: the commit only asks; the other thread copies the pages into the file.
  insert(writer, 256, 4000);
  REQUIRE(eventually([&] { return checkpointer.completed() > 0; }));
  REQUIRE(eventually([&] { return std::filesystem::file_size(path) > 1024 * 1024; }));

  // A fresh reader sees every row, whether it reads them from the file or the WAL.
  Connection reader(path, Connection::Mode::read_only);
  auto count = reader.query("SELECT count(*) FROM t");
  REQUIRE(count->step());
  CHECK(count->column_int64(0) == 266);

  checkpointer.detach(writer);
  checkpointer.stop();
  checkpointer.stop();  // idempotent
}

TEST_CASE("with the checkpointer attached the writer does no checkpoint of its own",
          "[storage][checkpoint]") {
  TempDir dir;
  const auto path = dir.file("db");
  Connection writer(path, Connection::Mode::read_write_create);
  configure_writer(writer, true);
  writer.exec("PRAGMA wal_autocheckpoint = 10");  // SQLite's own would fire at 10 pages
  writer.exec("CREATE TABLE t (id INTEGER PRIMARY KEY, v BLOB NOT NULL)");
  Checkpointer checkpointer(path, 100000);  // far away: only SQLite's hook could copy
  checkpointer.attach(writer);
  insert(writer, 100, 4000);
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  // The hook replaced the automatic checkpoint: the main file has not grown.
  CHECK(std::filesystem::file_size(path) < 64 * 1024);
  CHECK(checkpointer.completed() == 0);
  checkpointer.detach(writer);
}

TEST_CASE("under a steady stream of commits the WAL restarts instead of growing",
          "[storage][checkpoint]") {
  TempDir dir;
  const auto path = dir.file("db");
  Connection writer(path, Connection::Mode::read_write_create);
  configure_writer(writer, true);
  writer.exec("CREATE TABLE t (id INTEGER PRIMARY KEY, v BLOB NOT NULL)");
  constexpr int kThreshold = 64;
  Checkpointer checkpointer(path, kThreshold);
  checkpointer.attach(writer);
  // ~3 pages per commit, 3,000 commits: ~9,000 WAL pages in all, 140 times the threshold.
  std::uintmax_t largest_wal = 0;
  for (int i = 0; i < 3000; ++i) {
    insert(writer, 1, 10000);
    std::error_code ignored;
    largest_wal = std::max(largest_wal, std::filesystem::file_size(path + "-wal", ignored));
  }
  checkpointer.detach(writer);
  checkpointer.stop();
  INFO("checkpoints " << checkpointer.completed() << ", largest WAL " << largest_wal);
  // The WAL is reused from its start once everything in it is copied, so it stays within a few
  // thresholds (it grew to 16 before); about two checkpoints per round of the WAL (the
  // background copy and the writer's finish), not one per commit (2,300 of 3,000 before).
  CHECK(largest_wal < 8 * kThreshold * 4096);
  CHECK(checkpointer.completed() < 3000 / 5);
}

TEST_CASE("the checkpointer's thread runs at a low priority", "[storage][checkpoint]") {
  // Counts this process's threads whose nice value (field 19 of /proc/.../stat) is 10:
  // copying pages must not take equal turns with commits and deliveries.
  const auto nice_threads = [] {
    int count = 0;
    for (const auto& task : std::filesystem::directory_iterator("/proc/self/task")) {
      std::ifstream stat(task.path() / "stat");
      std::string text((std::istreambuf_iterator<char>(stat)), std::istreambuf_iterator<char>());
      // The command name (field 2) may hold spaces; fields are counted after its ')'.
      std::istringstream fields(text.substr(text.rfind(')') + 2));
      std::string field;
      for (int i = 3; i <= 19 && fields >> field; ++i) {
        if (i == 19 && field == "10") ++count;
      }
    }
    return count;
  };
  const int before = nice_threads();
  TempDir dir;
  Checkpointer checkpointer(dir.file("db"), 64);
  CHECK(eventually([&] { return nice_threads() == before + 1; }));
  checkpointer.stop();
  CHECK(nice_threads() == before);
}

TEST_CASE("the writer keeps a WAL that outgrew its limit from staying that size",
          "[storage][checkpoint]") {
  TempDir dir;
  Connection writer(dir.file("db"), Connection::Mode::read_write_create);
  configure_writer(writer, true);
  auto limit = writer.query("PRAGMA journal_size_limit");
  REQUIRE(limit->step());
  CHECK(limit->column_int64(0) == 48 * 1024 * 1024);
}
