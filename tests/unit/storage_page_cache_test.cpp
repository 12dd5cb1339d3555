// The page cache guard: commits that rebalance b-trees skip the default cache's drop of pages
// past the end; a rolled-back transaction that grew the file still has its pages dropped.
#include <catch2/catch.hpp>

#include <random>
#include <string>

#include "storage/database.hpp"
#include "storage/page_cache_guard.hpp"
#include "storage/schema.hpp"
#include "storage_fixture.hpp"

using namespace staffroom::storage;
using namespace staffroom::storage::testing;

namespace {

std::int64_t single_int(Connection& connection, const std::string& sql) {
  auto query = connection.query(sql);
  REQUIRE(query->step());
  return query->column_int64(0);
}

std::string single_text(Connection& connection, const std::string& sql) {
  auto query = connection.query(sql);
  REQUIRE(query->step());
  return query->column_text(0);
}

// Inserts `rows` rows with random keys into t (an index on them splits and rebalances pages
// all over), in transactions of `per_commit`.
void insert_random(Connection& connection, int rows, int per_commit, std::mt19937& random) {
  for (int done = 0; done < rows; done += per_commit) {
    Transaction transaction(connection, Transaction::Kind::immediate);
    for (int i = 0; i < per_commit; ++i) {
      auto insert = connection.query("INSERT INTO t (k, v) VALUES (?1, ?2)");
      insert->bind_text(1, std::to_string(random()) + "-" + std::to_string(done + i));
      insert->bind_text(2, std::string(200, static_cast<char>('a' + (done + i) % 26)));
      insert->run();
    }
    transaction.commit();
  }
}

struct Database {
  TempDir dir;
  Connection connection{dir.file("db"), Connection::Mode::read_write_create};
  Database() {
    configure_writer(connection, false);
    connection.exec("CREATE TABLE t (id INTEGER PRIMARY KEY, k TEXT NOT NULL, v TEXT NOT NULL)");
    connection.exec("CREATE INDEX t_by_k ON t (k)");
  }
};

}  // namespace

TEST_CASE("commits that rebalance b-trees leave the page cache nothing to drop",
          "[storage][page-cache]") {
  Database db;
  std::mt19937 random(7);
  const auto before = PageCacheGuard::counts();
  insert_random(db.connection, 20000, 100, random);
  const auto after = PageCacheGuard::counts();
  // Balances parked pages at the lock-byte page's number: SQLite's default cache would have
  // walked all its pages at the end of those commits.
  CHECK(after.parkings > before.parkings);
  CHECK(after.drops_skipped - before.drops_skipped >= 200);
  CHECK(after.drops_passed == before.drops_passed);
  CHECK(single_text(db.connection, "PRAGMA integrity_check") == "ok");
  CHECK(single_int(db.connection, "SELECT count(*) FROM t") == 20000);
}

TEST_CASE("a rolled-back transaction that grew the file has its pages dropped",
          "[storage][page-cache]") {
  Database db;
  std::mt19937 random(11);
  insert_random(db.connection, 2000, 500, random);
  // A small cache spills the transaction's pages to the WAL as it goes, so the rollback also
  // has clean pages past the old end in the cache.
  db.connection.exec("PRAGMA cache_size = 50");
  const auto pages = single_int(db.connection, "PRAGMA page_count");
  const auto before = PageCacheGuard::counts();
  {
    Transaction transaction(db.connection, Transaction::Kind::immediate);
    db.connection.exec("INSERT INTO t (k, v) SELECT 'gone-' || id, replace(v, 'a', 'X') FROM t");
    CHECK(single_int(db.connection, "PRAGMA page_count") > pages);
  }  // rolled back
  CHECK(PageCacheGuard::counts().drops_passed > before.drops_passed);
  // The page numbers past the old end are used again: a page left in the cache from the
  // rolled-back transaction would be read back instead of the new one.
  insert_random(db.connection, 3000, 3000, random);
  CHECK(single_text(db.connection, "PRAGMA integrity_check") == "ok");
  CHECK(single_int(db.connection, "SELECT count(*) FROM t WHERE k GLOB 'gone-*'") == 0);
  CHECK(single_int(db.connection, "SELECT count(*) FROM t WHERE v GLOB '*X*'") == 0);
  CHECK(single_int(db.connection, "SELECT count(*) FROM t") == 5000);
}
