// The search index file and its indexer: rounds, marks across restarts, rebuilds, waiting.
#include <catch2/catch.hpp>

#include <sched.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <future>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "storage/backup.hpp"
#include "storage/search_index_file.hpp"
#include "storage/search_indexer.hpp"
#include "storage/search_progress.hpp"
#include "storage_fixture.hpp"

using namespace staffroom;
using namespace staffroom::storage;
using namespace staffroom::storage::testing;
using namespace std::chrono_literals;

namespace {

using Ids = std::vector<std::int64_t>;

// u1 and their channel 1, in a file of its own.
struct IndexedFile {
  TempDir dir;
  std::string path = dir.file("db");
  SqliteWriter writer{{path, false, {}}};
  IndexedFile() {
    commit(writer, user("u1"));
    commit(writer, channel("a", 1));
  }
  domain::PostId add(const std::string& body) { return commit(writer, post(1, 1, body)).id; }
};

// Appends `count` posts and waits for the last: they commit in a few large batches.
Ids post_many(SqliteWriter& writer, int count) {
  Ids ids(static_cast<std::size_t>(count));
  std::promise<void> done;
  for (int i = 0; i < count; ++i) {
    writer.append(post(1, 1, "many w" + std::to_string(i)),
                  [&ids, &done, i, count](domain::Committed committed) {
                    ids[static_cast<std::size_t>(i)] = committed.id;
                    if (i == count - 1) done.set_value();
                  });
  }
  done.get_future().wait();
  return ids;
}

// The posts the index file says contain `word`.
Ids indexed_with(const std::string& path, const std::string& word) {
  Connection index(search_index_path(path), Connection::Mode::read_only);
  auto query = index.query("SELECT rowid FROM posts_fts WHERE posts_fts MATCH ?1 ORDER BY rowid");
  query->bind_text(1, '"' + word + '"');
  Ids ids;
  while (query->step()) ids.push_back(query->column_int64(0));
  return ids;
}

std::int64_t scalar(const std::string& path, const char* sql) {
  Connection connection(path, Connection::Mode::read_only);
  auto query = connection.query(sql);
  query->step();
  return query->column_int64(0);
}

}  // namespace

TEST_CASE("the index file sits beside the database", "[storage][search]") {
  CHECK(search_index_path("/data/staffroom.db") == "/data/staffroom-search.db");
  CHECK(search_index_path("/tmp/x/db") == "/tmp/x/db-search");
}

TEST_CASE("a new index file takes every post; a reopened one goes on from its marks",
          "[storage][search]") {
  IndexedFile c;
  const Ids ids{c.add("alpha one"), c.add("alpha two"), c.add("beta three")};
  {
    SearchProgress progress;
    SearchIndexer indexer(c.path, progress);
    CHECK(indexer.started_fresh());
    CHECK(indexer.mark() == SearchMark{0, 0});
    CHECK_FALSE(indexer.index_round());  // all three in one round
    CHECK(indexer.mark() == SearchMark{ids[2], 0});
    CHECK(progress.indexed() == indexer.mark());
    CHECK_FALSE(indexer.index_round());  // nothing new
    CHECK(indexer.mark() == SearchMark{ids[2], 0});
  }
  CHECK(indexed_with(c.path, "alpha") == Ids{ids[0], ids[1]});
  const auto fourth = c.add("alpha four");
  SearchProgress progress;
  SearchIndexer reopened(c.path, progress);
  CHECK_FALSE(reopened.started_fresh());
  CHECK(reopened.mark() == SearchMark{ids[2], 0});
  CHECK(progress.indexed() == reopened.mark());
  reopened.catch_up();
  CHECK(reopened.mark() == SearchMark{fourth, 0});
  CHECK(indexed_with(c.path, "alpha") == Ids{ids[0], ids[1], fourth});
  check_search_index(c.path);
}

TEST_CASE("a thread that opened an empty file says when it has caught up", "[storage][search]") {
  IndexedFile c;
  post_many(c.writer, 2100);  // two rounds
  std::mutex mutex;
  std::vector<std::size_t> built;
  SearchIndexer::Hooks hooks;
  hooks.on_built = [&](std::size_t posts, std::chrono::nanoseconds) {
    std::lock_guard lock(mutex);
    built.push_back(posts);
  };
  SearchProgress progress;
  SearchIndexer indexer(c.path, progress, hooks);
  REQUIRE(indexer.started_fresh());
  indexer.start();
  // It runs under SCHED_IDLE, named for `top -H`.
  CHECK(eventually([] {
    const int id = thread_id_named("search-index");
    return id > 0 && sched_getscheduler(id) == SCHED_IDLE;
  }));
  CHECK(eventually([&] {
    std::lock_guard lock(mutex);
    return !built.empty();
  }));
  const auto later = c.add("later");  // a later round is no rebuild
  progress.wake();
  CHECK(progress.wait_for({later, 0}, 10s));
  indexer.stop();
  std::lock_guard lock(mutex);
  CHECK(built == std::vector<std::size_t>{2100});
}

TEST_CASE("a round takes at most kMostPosts posts", "[storage][search]") {
  IndexedFile c;
  const Ids ids = post_many(c.writer, static_cast<int>(SearchIndexer::kMostPosts) + 300);
  SearchProgress progress;
  SearchIndexer indexer(c.path, progress);
  CHECK(indexer.index_round());  // more to come
  CHECK(indexer.mark().post == ids[SearchIndexer::kMostPosts - 1]);
  CHECK(indexed_with(c.path, "many").size() == SearchIndexer::kMostPosts);
  CHECK_FALSE(indexer.index_round());
  CHECK(indexer.mark().post == ids.back());
  check_search_index(c.path);
}

TEST_CASE("edits and deletions reach the index in the next round", "[storage][search]") {
  IndexedFile c;
  const auto apples = c.add("apples");
  const auto bananas = c.add("bananas");
  const auto cherries = c.add("cherries");
  SearchProgress progress;
  SearchIndexer indexer(c.path, progress);
  indexer.catch_up();
  commit(c.writer, edit(apples, "apricots"));
  commit(c.writer, edit(apples, "avocados"));
  commit(c.writer, domain::DeletePost{bananas, 5000});
  commit(c.writer, edit(cherries, "cherries"));  // the same body: nothing to log
  REQUIRE(scalar(c.path, "SELECT count(*) FROM search_stale") == 3);
  CHECK(indexed_with(c.path, "apples") == Ids{apples});  // not before the round
  CHECK_FALSE(indexer.index_round());
  CHECK(indexer.mark().stale == scalar(c.path, "SELECT max(id) FROM search_stale"));
  CHECK(indexed_with(c.path, "apples").empty());
  CHECK(indexed_with(c.path, "apricots").empty());
  CHECK(indexed_with(c.path, "avocados") == Ids{apples});
  CHECK(indexed_with(c.path, "bananas").empty());
  CHECK(indexed_with(c.path, "cherries") == Ids{cherries});
  check_search_index(c.path);
}

TEST_CASE("a post changed before its first round is indexed as it is then", "[storage][search]") {
  IndexedFile c;
  SearchProgress progress;
  SearchIndexer indexer(c.path, progress);
  const auto draft = c.add("first draft");
  commit(c.writer, edit(draft, "second draft"));
  const auto gone = c.add("gone soon");
  commit(c.writer, domain::DeletePost{gone, 5000});
  CHECK_FALSE(indexer.index_round());
  CHECK(indexer.mark() == SearchMark{gone, 2});
  CHECK(indexed_with(c.path, "second") == Ids{draft});
  CHECK(indexed_with(c.path, "first").empty());
  CHECK(indexed_with(c.path, "gone").empty());
  check_search_index(c.path);
}

TEST_CASE("an index file that is not of this database is built again", "[storage][search]") {
  TempDir other_dir;
  const std::string other = other_dir.file("db");
  {
    SqliteWriter writer({other, false, {}});
    commit(writer, user("u1"));
    commit(writer, channel("a", 1));
    commit(writer, post(1, 1, "elsewhere"));
  }
  IndexedFile c;
  const auto here = c.add("here");
  SearchProgress progress;
  SECTION("another database's") {
    check_search_index(other);
    std::filesystem::copy_file(search_index_path(other), search_index_path(c.path));
  }
  SECTION("not a database at all") {
    std::ofstream(search_index_path(c.path)) << std::string(8192, 'x');
  }
  SECTION("its table gone") {
    check_search_index(c.path);
    Connection index(search_index_path(c.path), Connection::Mode::read_write);
    index.exec("DROP TABLE posts_fts");
  }
  SearchIndexer indexer(c.path, progress);
  CHECK(indexer.started_fresh());
  indexer.catch_up();
  CHECK(indexer.mark().post == here);
  CHECK(indexed_with(c.path, "here") == Ids{here});
  CHECK(indexed_with(c.path, "elsewhere").empty());
  check_search_index(c.path);
}

TEST_CASE("an index ahead of its database (a backup restored over it) is built again",
          "[storage][search]") {
  TempDir dir;
  const std::string path = dir.file("db");
  const std::string backup = dir.file("backup");
  domain::PostId here = 0;
  {
    SqliteWriter writer({path, false, {}});
    commit(writer, user("u1"));
    commit(writer, channel("a", 1));
    here = commit(writer, post(1, 1, "here")).id;
    backup_database(path, backup);
    commit(writer, post(1, 1, "after the backup"));
  }
  check_search_index(path);
  {
    SearchProgress progress;
    SearchIndexer current(path, progress);
    CHECK_FALSE(current.started_fresh());
    CHECK(current.mark().post == here + 1);
  }
  // The operator's restore: the server stopped, the backup copied over the database.
  for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path + suffix);
  std::filesystem::copy_file(backup, path);
  SearchProgress progress;
  SearchIndexer indexer(path, progress);
  CHECK(indexer.started_fresh());
  indexer.catch_up();
  CHECK(indexer.mark().post == here);
  CHECK(indexed_with(path, "here") == Ids{here});
  CHECK(indexed_with(path, "after").empty());
  check_search_index(path);
}

TEST_CASE("a failed round keeps nothing and is reported; the thread goes on trying",
          "[storage][search]") {
  IndexedFile c;
  const auto first = c.add("first");
  std::mutex mutex;
  std::vector<std::string> failures;
  SearchProgress progress;
  SearchIndexer::Hooks hooks;
  hooks.on_failure = [&](const std::string& what) {
    std::lock_guard lock(mutex);
    failures.push_back(what);
  };
  SearchIndexer indexer(c.path, progress, hooks);
  indexer.catch_up();
  c.add("second");
  {
    Connection index(search_index_path(c.path), Connection::Mode::read_write);
    index.exec("DROP TABLE posts_fts");
  }
  CHECK_THROWS_AS(indexer.index_round(), StorageError);
  CHECK(indexer.mark() == SearchMark{first, 0});
  CHECK(scalar(search_index_path(c.path), "SELECT through_post_id FROM search_marks") == first);
  indexer.start();
  progress.wake();
  CHECK(eventually([&] {
    std::lock_guard lock(mutex);
    return !failures.empty();
  }));
  indexer.stop();
  std::lock_guard lock(mutex);
  REQUIRE_FALSE(failures.empty());
  CHECK(failures[0].rfind("search index: ", 0) == 0);
  CHECK(failures[0].find("posts_fts") != std::string::npos);
}
