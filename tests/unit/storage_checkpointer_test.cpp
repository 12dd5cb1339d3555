// The background checkpointer: commits past the threshold get their pages copied into the
// database file by another thread; the writer copies only a round's last few pages, between
// batches, so the WAL restarts instead of growing.
#include <catch2/catch.hpp>

#include <algorithm>
#include <atomic>
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
using staffroom::storage::testing::eventually;
using staffroom::storage::testing::TempDir;
using staffroom::storage::testing::thread_id_named;

namespace {

// A writer connection, configured as the server's, on a fresh file with one table of blobs.
struct WalFile {
  TempDir dir;
  std::string path = dir.file("db");
  Connection writer{path, Connection::Mode::read_write_create};
  WalFile() {
    configure_writer(writer, true);
    writer.exec("CREATE TABLE t (id INTEGER PRIMARY KEY, v BLOB NOT NULL)");
  }
};

void insert(Connection& connection, int rows, int bytes) {
  Transaction transaction(connection, Transaction::Kind::immediate);
  for (int i = 0; i < rows; ++i) {
    auto statement = connection.query("INSERT INTO t (v) VALUES (zeroblob(?1))");
    statement->bind_int64(1, bytes);
    statement->run();
  }
  transaction.commit();
}

}  // namespace

TEST_CASE("past the threshold the checkpointer copies the WAL into the database file",
          "[storage][checkpoint]") {
  WalFile file;
  const auto& path = file.path;
  auto& writer = file.writer;
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

TEST_CASE("with the checkpointer attached no COMMIT runs SQLite's automatic checkpoint",
          "[storage][checkpoint]") {
  WalFile file;
  const auto& path = file.path;
  auto& writer = file.writer;
  writer.exec("PRAGMA wal_autocheckpoint = 10");  // SQLite's own would fire at 10 pages
  Checkpointer checkpointer(path, 100000);        // far away: only SQLite's hook could copy
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
  WalFile file;
  const auto& path = file.path;
  auto& writer = file.writer;
  constexpr int kThreshold = 64;
  std::atomic<std::size_t> reported{0};
  std::atomic<std::size_t> untimed{0};
  Checkpointer checkpointer(path, kThreshold, [&](std::chrono::nanoseconds took) {
    ++reported;
    if (took <= std::chrono::nanoseconds::zero()) ++untimed;
  });
  checkpointer.attach(writer);
  // ~3 pages per commit, 3,000 commits: ~9,000 WAL pages in all, 140 times the threshold.
  std::uintmax_t largest_wal = 0;
  int waits = 0;
  for (int i = 0; i < 3000; ++i) {
    insert(writer, 1, 10000);
    checkpointer.run_due(writer);  // as SqliteWriter does between batches
    std::error_code ignored;
    const auto wal = std::filesystem::file_size(path + "-wal", ignored);
    largest_wal = std::max(largest_wal, wal);
    // On a loaded machine (tests in parallel, the thread ten nice levels down) the copies may
    // starve until the WAL reaches the fallback; a server's writer is not this far ahead.
    if (wal > 2 * kThreshold * 4096) {
      ++waits;
      REQUIRE(eventually([&] { return !checkpointer.busy(); }));
    }
  }
  checkpointer.detach(writer);
  checkpointer.stop();
  INFO("checkpoints " << checkpointer.completed() << " (" << checkpointer.writer_copies()
                      << " by the writer), largest WAL " << largest_wal << ", waits " << waits);
  // The WAL is reused from its start once everything in it is copied, so it stays within a few
  // thresholds (without the writer's copies it grew to the 8x fallback); about two checkpoints
  // per round of the WAL, not one per commit (2,300 of 3,000 before).
  CHECK(largest_wal < 4 * kThreshold * 4096);
  CHECK(checkpointer.completed() < 3000 / 5);
  // Unhurried, background copies leave the round's last pages to the writer. When the loop had
  // to wait for a starved thread (a loaded CI machine: 0 writer copies in one clean-clone
  // run), that thread copied everything while the writer stood still.
  if (waits == 0) CHECK(checkpointer.writer_copies() > 0);
  CHECK(reported == checkpointer.completed());  // what /metrics counts
  CHECK(untimed == 0);                          // and times: a copy and an fsync take time
}

TEST_CASE("a reader that is always reading does not make the writer copy after every commit",
          "[storage][checkpoint]") {
  WalFile file;
  const auto& path = file.path;
  auto& writer = file.writer;
  constexpr int kThreshold = 256;
  Checkpointer checkpointer(path, kThreshold);
  checkpointer.attach(writer);
  std::atomic<bool> done{false};
  std::atomic<int> reads{0};
  std::thread reader([&] {
    Connection connection(path, Connection::Mode::read_only);
    for (int i = 0; i < 1'000'000 && !done; ++i) {
      auto count = connection.query("SELECT count(*) FROM t");
      count->step();
      ++reads;
    }
  });
  for (int i = 0; i < 3000; ++i) {
    insert(writer, 1, 10000);
    checkpointer.run_due(writer);
  }
  done = true;
  reader.join();
  checkpointer.detach(writer);
  checkpointer.stop();
  INFO("checkpoints " << checkpointer.completed() << " (" << checkpointer.writer_copies()
                      << " by the writer), reads " << reads);
  // Each writer copy costs an fsync inside the writer's loop: at most one per round of the WAL
  // (2,757 of 3,000 commits before, when a snapshot kept the WAL from restarting).
  CHECK(checkpointer.writer_copies() < 3000 / 10);
  // Nor the background thread: a copy that gains nothing is not repeated at the next commit.
  CHECK(checkpointer.completed() < 3000 / 5);
}

TEST_CASE("the checkpointer's thread runs at a low priority", "[storage][checkpoint]") {
  // Field 19 of /proc/.../stat is the nice value; fields are counted after the command name's
  // ')', since the name (field 2) may hold spaces.
  const auto nice_of = [](const std::filesystem::path& stat_file) {
    std::ifstream stat(stat_file);
    std::string text((std::istreambuf_iterator<char>(stat)), std::istreambuf_iterator<char>());
    std::istringstream fields(text.substr(text.rfind(')') + 2));
    std::string field;
    for (int i = 3; i <= 19 && fields >> field; ++i) {
      if (i == 19) return std::stoi(field);
    }
    return 0;
  };
  // Copying pages must not take equal turns with commits and deliveries: ten levels below us.
  const int lower = std::min(nice_of("/proc/thread-self/stat") + 10, 19);
  const auto lowered_threads = [&] {
    int count = 0;
    for (const auto& task : std::filesystem::directory_iterator("/proc/self/task")) {
      if (nice_of(task.path() / "stat") == lower) ++count;
    }
    return count;
  };
  const int before = lowered_threads();
  TempDir dir;
  Checkpointer checkpointer(dir.file("db"), 64);
  CHECK(eventually([&] { return lowered_threads() == before + 1; }));
  // Named, so that an operator's `top -H` says which thread is copying.
  const int id = thread_id_named("db-checkpoint");
  REQUIRE(id > 0);
  CHECK(nice_of("/proc/self/task/" + std::to_string(id) + "/stat") == lower);
  checkpointer.stop();
  CHECK(lowered_threads() == before);
  CHECK(thread_id_named("db-checkpoint") == -1);
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
