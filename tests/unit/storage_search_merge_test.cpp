// The search index's segments are merged a little every batch, never in one large lump.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdint>
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

enum class Merging {
  writer,     // this release: SearchIndexQueue::before_commit merges a bounded step per batch
  automerge,  // before schema step 5: FTS5's automerge 4, usermerge 4, no step of the writer's
  none,       // no step of the writer's and automerge off: only FTS5's crisis merges
};

struct RunFigures {
  std::int64_t largest_commit = 0;  // WAL pages
  std::int64_t total_pages = 0;
  std::uint64_t most_segments_on_a_level = 0;  // after any batch
  FtsStructure index;                          // after the last batch
};

// Commits `batches` batches of `posts` new posts the way the writer does (rows, then the
// queue) and measures each commit's WAL pages: after each commit a checkpoint copies the WAL
// and the next write restarts it, so the WAL's length is that one commit's pages.
RunFigures run_batches(const std::string& path, int batches, int posts, Merging merging) {
  Connection connection(path, Connection::Mode::read_write_create);
  configure_writer(connection, false);
  connection.exec("PRAGMA synchronous = OFF");  // the page counts do not depend on syncing
  migrate(connection);
  connection.exec(
      "INSERT INTO users (id, handle, display_name, password_hash, admin, created_at) "
      "VALUES (1, 'u1', 'U1', 'h', 1, 10);"
      "INSERT INTO channels (id, slug, title, visibility, created_by, created_at, last_seq) "
      "VALUES (1, 'a', 'A', 'public', 1, 20, 0);");
  if (merging == Merging::automerge) {
    connection.exec(
        "INSERT INTO posts_fts (posts_fts, rank) VALUES ('automerge', 4);"
        "INSERT INTO posts_fts (posts_fts, rank) VALUES ('usermerge', 4);");
  }
  SearchIndexQueue queue(connection);
  RunFigures figures;
  std::int64_t id = 0;
  for (int batch = 0; batch < batches; ++batch) {
    Transaction transaction(connection, Transaction::Kind::immediate);
    queue.clear();
    for (int i = 0; i < posts; ++i) {
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
    if (merging == Merging::writer) {
      queue.before_commit();
    } else {
      queue.before_trigger_write();  // indexes the queued posts, no merge step
    }
    transaction.commit();
    auto checkpoint = connection.query("PRAGMA wal_checkpoint(PASSIVE)");
    REQUIRE(checkpoint->step());
    const auto pages = checkpoint->column_int64(1);
    figures.largest_commit = std::max(figures.largest_commit, pages);
    figures.total_pages += pages;
    for (const auto count : fts_structure(connection).level_segments) {
      figures.most_segments_on_a_level = std::max(figures.most_segments_on_a_level, count);
    }
  }
  figures.index = fts_structure(connection);
  return figures;
}

std::string describe(const char* name, const RunFigures& figures) {
  return std::string(name) + ": largest commit " + std::to_string(figures.largest_commit) +
         " pages, " + std::to_string(figures.total_pages) + " in all, most segments on a level " +
         std::to_string(figures.most_segments_on_a_level) + ", segments at the end " +
         std::to_string(figures.index.segments);
}

}  // namespace

TEST_CASE("no batch rewrites a large part of the search index", "[storage][search]") {
  // 2,100 batches of 20 pass FTS5's level boundaries at 1,024 and 2,048 batches, where its
  // automerge did the merging for 64 written leaves (times the levels) inside one commit.
  constexpr int kBatches = 2100;
  TempDir dir;
  const auto merged = run_batches(dir.file("merged.db"), kBatches, 20, Merging::writer);
  const auto automerged = run_batches(dir.file("automerged.db"), kBatches, 20, Merging::automerge);
  const auto unmerged = run_batches(dir.file("unmerged.db"), kBatches, 20, Merging::none);
  INFO(describe("writer's steps", merged));
  INFO(describe("FTS5 automerge", automerged));
  INFO(describe("crisis merges only", unmerged));
  // A commit holds its posts, a few leaves and one bounded merge step.
  CHECK(merged.largest_commit <= 4 * static_cast<std::int64_t>(SearchIndexQueue::kMergePages));
  CHECK(automerged.largest_commit > 2 * merged.largest_commit);
  // The writer's steps do the merging: a level never fills up to FTS5's crisis merge (16).
  CHECK(merged.most_segments_on_a_level <= 11);
  CHECK(unmerged.most_segments_on_a_level >= 15);
  // And cost no more pages in all than FTS5's own merging.
  CHECK(merged.total_pages <= automerged.total_pages * 11 / 10);

  check_search_index(dir.file("merged.db"));
  SqliteReader reader(dir.file("merged.db"));
  CHECK(reader.search({"note777"}, {1}, 10).size() == 1);
  CHECK(reader.search({"chapter", "7"}, {1}, 100).size() == 100);  // capped at the limit
}

TEST_CASE("the merge step keeps up with large batches", "[storage][search]") {
  // The heaviest load commits up to 1,000 changes a batch: many leaves per segment.
  TempDir dir;
  const auto merged = run_batches(dir.file("merged.db"), 150, 1000, Merging::writer);
  INFO(describe("writer's steps", merged));
  CHECK(merged.most_segments_on_a_level <= 11);
  check_search_index(dir.file("merged.db"));
}

TEST_CASE("a batch's merge step grows with the posts it indexed, within bounds",
          "[storage][search]") {
  using Q = SearchIndexQueue;
  CHECK(Q::merge_pages(0) == Q::kLeastMergePages);
  CHECK(Q::merge_pages(1) == Q::kLeastMergePages);
  CHECK(Q::merge_pages(20) == 5);
  CHECK(Q::merge_pages(50) == 12);
  CHECK(Q::merge_pages(128) == Q::kMergePages);
  CHECK(Q::merge_pages(1000) == Q::kMergePages);
}
