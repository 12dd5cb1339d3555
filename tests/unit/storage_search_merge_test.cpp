// The search index's segments are merged a little every batch, never in one large lump.
#include <catch2/catch.hpp>

#include <algorithm>
#include <string>

#include "storage/database.hpp"
#include "storage/schema.hpp"
#include "storage/search_index_queue.hpp"
#include "storage/sqlite_reader.hpp"
#include "storage_fixture.hpp"

using namespace staffroom;
using namespace staffroom::storage;
using namespace staffroom::storage::testing;

namespace {

struct RunFigures {
  std::int64_t largest_commit = 0;  // WAL pages
  std::int64_t total_pages = 0;
  FtsStructure index;
};

// Commits `batches` batches of 20 new posts the way the writer does (rows, then the queue's
// before_commit) and measures each commit's WAL pages: after each commit a checkpoint copies
// the WAL and the next write restarts it, so the WAL's length is that one commit's pages.
// `automerge` > 0 puts back FTS5's own merging (the setting before schema step 5).
RunFigures run_batches(const std::string& path, int batches, int automerge) {
  Connection connection(path, Connection::Mode::read_write_create);
  configure_writer(connection, false);
  connection.exec("PRAGMA synchronous = OFF");  // the page counts do not depend on syncing
  migrate(connection);
  connection.exec(
      "INSERT INTO users (id, handle, display_name, password_hash, admin, created_at) "
      "VALUES (1, 'u1', 'U1', 'h', 1, 10);"
      "INSERT INTO channels (id, slug, title, visibility, created_by, created_at, last_seq) "
      "VALUES (1, 'a', 'A', 'public', 1, 20, 0);");
  if (automerge > 0) {
    connection.exec("INSERT INTO posts_fts (posts_fts, rank) VALUES ('automerge', " +
                    std::to_string(automerge) + ")");
  }
  SearchIndexQueue queue(connection);
  RunFigures figures;
  std::int64_t id = 0;
  for (int batch = 0; batch < batches; ++batch) {
    Transaction transaction(connection, Transaction::Kind::immediate);
    queue.clear();
    for (int i = 0; i < 20; ++i) {
      ++id;
      // Common words in every post (their lists grow with the index) and a few rare ones.
      const std::string body = "our class read chapter " + std::to_string(id % 40) +
                               " and students wrote note" + std::to_string(id);
      auto insert = connection.query(
          "INSERT INTO posts (id, channel_id, seq, author_id, body, html, created_at) "
          "VALUES (?1, 1, ?1, 1, ?2, '', 30)");
      insert->bind_int64(1, id);
      insert->bind_text(2, body);
      insert->run();
      queue.add(id);
    }
    queue.before_commit();
    transaction.commit();
    auto checkpoint = connection.query("PRAGMA wal_checkpoint(PASSIVE)");
    REQUIRE(checkpoint->step());
    const auto pages = checkpoint->column_int64(1);
    figures.largest_commit = std::max(figures.largest_commit, pages);
    figures.total_pages += pages;
  }
  figures.index = fts_structure(path);
  return figures;
}

}  // namespace

TEST_CASE("no batch rewrites a large part of the search index", "[storage][search]") {
  // 2,100 batches pass FTS5's level boundaries at 1,024 and 2,048 batches, where its own
  // automerge did 64 leaves' worth of merging inside one commit.
  constexpr int kBatches = 2100;
  TempDir dir;
  const auto merged = run_batches(dir.file("merged.db"), kBatches, 0);
  const auto automerged = run_batches(dir.file("automerged.db"), kBatches, 4);
  INFO("largest commit: " << merged.largest_commit << " pages (FTS5 automerge "
                          << automerged.largest_commit << "); pages in all: " << merged.total_pages
                          << " (" << automerged.total_pages << "); segments "
                          << merged.index.segments << " (" << automerged.index.segments << ")");
  // The bounded merge: a commit holds its posts, a few leaves and kMergePages merged pages.
  CHECK(merged.largest_commit <= 4 * SearchIndexQueue::kMergePages);
  CHECK(automerged.largest_commit > 2 * merged.largest_commit);
  // Merging keeps up: the segments stay few, and no more pages are written in all.
  CHECK(merged.index.segments <= 24);
  CHECK(merged.total_pages <= automerged.total_pages * 11 / 10);

  check_search_index(dir.file("merged.db"));
  SqliteReader reader(dir.file("merged.db"));
  CHECK(reader.search({"note777"}, {1}, 10).size() == 1);
  CHECK(reader.search({"chapter", "7"}, {1}, 100).size() == 100);  // capped at the limit
}
