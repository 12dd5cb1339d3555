// The page cache guard: commits that rebalance b-trees skip the default cache's drop of pages
// past the end; a rolled-back transaction that grew the file still has its pages dropped.
#include <sqlite3.h>
#include <catch2/catch.hpp>

#include <random>
#include <string>

#include "storage/backup.hpp"
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
  std::string path = dir.file("db");
  Connection connection{path, Connection::Mode::read_write_create};
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
  CHECK(integrity_check(db.path) == "ok");
  CHECK(single_int(db.connection, "SELECT count(*) FROM t") == 20000);
}

TEST_CASE("a rolled-back transaction that grew the file has its pages dropped",
          "[storage][page-cache]") {
  Database db;
  std::mt19937 random(11);
  insert_random(db.connection, 2000, 500, random);
  // A small cache spills the transaction's pages to the WAL as it goes.
  db.connection.exec("PRAGMA cache_size = 50");
  const auto pages = single_int(db.connection, "PRAGMA page_count");
  const auto before = PageCacheGuard::counts();
  {
    Transaction transaction(db.connection, Transaction::Kind::immediate);
    db.connection.exec("INSERT INTO t (k, v) SELECT 'gone-' || id, replace(v, 'a', 'X') FROM t");
    CHECK(single_int(db.connection, "PRAGMA page_count") > pages);
  }  // rolled back
  CHECK(PageCacheGuard::counts().drops_passed > before.drops_passed);
  // The page numbers past the old end are used again and read back as written.
  insert_random(db.connection, 3000, 3000, random);
  CHECK(integrity_check(db.path) == "ok");
  CHECK(single_int(db.connection, "SELECT count(*) FROM t WHERE k GLOB 'gone-*'") == 0);
  CHECK(single_int(db.connection, "SELECT count(*) FROM t WHERE v GLOB '*X*'") == 0);
  CHECK(single_int(db.connection, "SELECT count(*) FROM t") == 5000);
}

TEST_CASE("the guard drops exactly what SQLite's cache must drop", "[storage][page-cache]") {
  configure_sqlite_once();
  REQUIRE(sqlite3_initialize() == SQLITE_OK);
  const sqlite3_pcache_methods2* methods = PageCacheGuard::methods();
  REQUIRE(methods != nullptr);
  constexpr unsigned kParking = 0x40000000 / 4096 + 1;
  sqlite3_pcache* cache = methods->xCreate(4096, 64, 1);
  REQUIRE(cache != nullptr);
  methods->xCachesize(cache, 100);
  auto cached = [&](unsigned key) {
    sqlite3_pcache_page* page = methods->xFetch(cache, key, 0);
    if (page != nullptr) methods->xUnpin(cache, page, 0);
    return page != nullptr;
  };
  for (unsigned key = 1; key <= 10; ++key) {
    sqlite3_pcache_page* page = methods->xFetch(cache, key, 1);
    REQUIRE(page != nullptr);
    methods->xUnpin(cache, page, 0);
  }
  // A balance swaps pages 3 and 7 through the parking number.
  sqlite3_pcache_page* three = methods->xFetch(cache, 3, 0);
  sqlite3_pcache_page* seven = methods->xFetch(cache, 7, 0);
  REQUIRE(three != nullptr);
  REQUIRE(seven != nullptr);
  methods->xRekey(cache, three, 3, kParking);
  methods->xRekey(cache, seven, 7, 3);
  methods->xRekey(cache, three, kParking, 7);
  methods->xUnpin(cache, three, 0);
  methods->xUnpin(cache, seven, 0);

  auto before = PageCacheGuard::counts();
  methods->xTruncate(cache, 11);  // nothing is past page 10
  CHECK(PageCacheGuard::counts().drops_skipped == before.drops_skipped + 1);
  for (unsigned key = 1; key <= 10; ++key) CHECK(cached(key));

  before = PageCacheGuard::counts();
  methods->xTruncate(cache, 8);
  CHECK(PageCacheGuard::counts().drops_passed == before.drops_passed + 1);
  for (unsigned key = 1; key <= 7; ++key) CHECK(cached(key));
  for (unsigned key = 8; key <= 10; ++key) CHECK_FALSE(cached(key));

  // A page left at the parking number (no SQLite release does that) still has the drop
  // passed on, and goes with it.
  sqlite3_pcache_page* five = methods->xFetch(cache, 5, 0);
  REQUIRE(five != nullptr);
  methods->xRekey(cache, five, 5, kParking);
  methods->xUnpin(cache, five, 0);
  before = PageCacheGuard::counts();
  methods->xTruncate(cache, 8);
  CHECK(PageCacheGuard::counts().drops_passed == before.drops_passed + 1);
  CHECK_FALSE(cached(kParking));
  CHECK(cached(7));
  methods->xDestroy(cache);
}
