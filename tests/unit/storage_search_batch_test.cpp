// The search index when posts are created, edited, deleted or rolled back within one batch.
#include <catch2/catch.hpp>

#include <future>
#include <string>
#include <vector>

#include "storage/database.hpp"
#include "storage/schema.hpp"
#include "storage/sqlite_reader.hpp"
#include "storage/sqlite_writer.hpp"
#include "storage_fixture.hpp"

using namespace staffroom;
using namespace staffroom::storage;
using namespace staffroom::storage::testing;

namespace {

std::vector<domain::PostId> ids_of(const std::vector<domain::SearchHit>& hits) {
  std::vector<domain::PostId> ids;
  for (const auto& hit : hits) ids.push_back(hit.post.id);
  return ids;
}

// Commits `changes` as one batch: the writer thread is held inside a callback while they are
// appended, so they gather behind it. Returns their results in order.
std::vector<domain::Committed> one_batch(SqliteWriter& writer, std::vector<domain::Change> changes,
                                         std::vector<std::size_t>& batch_sizes) {
  std::vector<domain::Committed> results(changes.size());
  std::promise<void> all_done;
  std::size_t before = 0;
  while_writer_held(writer, [&] {
    before = batch_sizes.size();  // read while the writer thread is held: no race
    for (std::size_t i = 0; i < changes.size(); ++i) {
      const bool last = i + 1 == changes.size();
      writer.append(std::move(changes[i]),
                    [&results, &all_done, i, last](domain::Committed committed) {
                      results[i] = std::move(committed);
                      if (last) all_done.set_value();
                    });
    }
  });
  all_done.get_future().wait();
  writer.stop();  // the batch-size hook has run for the batch by now
  REQUIRE(batch_sizes.size() == before + 2);
  CHECK(batch_sizes.back() == results.size());
  return results;
}

using Fixture = OneChannel;

}  // namespace

TEST_CASE("posts of one batch are all searchable after its commit", "[storage][search]") {
  Fixture f;
  std::vector<domain::Change> changes;
  for (int i = 0; i < 50; ++i) changes.push_back(post(1, 1, "tulips number " + std::to_string(i)));
  const auto results = one_batch(f.writer, std::move(changes), f.batch_sizes);
  SqliteReader reader(f.path);
  CHECK(reader.search({"tulips"}, {1}, 100).size() == 50);
  CHECK(ids_of(reader.search({"tulips", "17"}, {1}, 10)) ==
        std::vector<domain::PostId>{results[17].id});
  check_search_index(f.path);
}

TEST_CASE("a post edited or deleted in the batch that created it", "[storage][search]") {
  Fixture f;
  // Post 1 is edited, post 2 deleted, post 3 edited twice, post 4 left alone; a reaction and
  // a failing change sit in between.
  const auto results =
      one_batch(f.writer,
                {post(1, 1, "apples and oranges"), post(1, 1, "bananas"),
                 edit(1, "pears and plums"), react(1, 1, "👍"), domain::DeletePost{2, 5000},
                 post(1, 1, "cherries"), post(1, 1, "missing thread", 999), edit(3, "grapes"),
                 edit(3, "figs"), post(1, 1, "apples again")},
                f.batch_sizes);
  for (std::size_t i = 0; i < results.size(); ++i) {
    INFO("change " << i);
    CHECK(results[i].error.has_value() == (i == 6));
  }
  SqliteReader reader(f.path);
  CHECK(ids_of(reader.search({"apples"}, {1}, 10)) == std::vector<domain::PostId>{results[9].id});
  CHECK(ids_of(reader.search({"pears"}, {1}, 10)) == std::vector<domain::PostId>{results[0].id});
  CHECK(reader.search({"bananas"}, {1}, 10).empty());
  CHECK(reader.search({"cherries"}, {1}, 10).empty());
  CHECK(reader.search({"grapes"}, {1}, 10).empty());
  CHECK(ids_of(reader.search({"figs"}, {1}, 10)) == std::vector<domain::PostId>{results[5].id});
  CHECK(reader.search({"missing"}, {1}, 10).empty());
  check_search_index(f.path);
}

TEST_CASE("a post whose change rolls back leaves nothing in the search index",
          "[storage][search]") {
  Fixture f;
  // The first post fails after its row was written (a mention of a user who does not exist
  // breaks a foreign key), so its savepoint rolls back; the next post takes the same row id.
  const auto results = one_batch(
      f.writer, {mentioning(post(1, 1, "kiwis"), {999}), post(1, 1, "limes")}, f.batch_sizes);
  REQUIRE(results[0].error);
  REQUIRE_FALSE(results[1].error);
  SqliteReader reader(f.path);
  CHECK(reader.search({"kiwis"}, {1}, 10).empty());
  CHECK(ids_of(reader.search({"limes"}, {1}, 10)) == std::vector<domain::PostId>{results[1].id});
  check_search_index(f.path);
}

TEST_CASE("a schema 2 database drops the per-post index trigger and stays searchable",
          "[storage][search][schema]") {
  TempDir dir;
  const std::string path = dir.file("v2.db");
  domain::PostId old_post = 0;
  {
    Connection connection(path, Connection::Mode::read_write_create);
    configure_writer(connection, true);
    migrate_to(connection, 2);
    connection.exec(
        "INSERT INTO users (id, handle, display_name, password_hash, admin, created_at) "
        "VALUES (1, 'u1', 'U1', 'h', 1, 10);"
        "INSERT INTO channels (id, slug, title, visibility, created_by, created_at, last_seq) "
        "VALUES (1, 'a', 'A', 'public', 1, 20, 1);"
        "INSERT INTO posts (id, channel_id, seq, author_id, body, html, created_at) "
        "VALUES (1, 1, 1, 1, 'walnuts', '<p>walnuts</p>', 30);");
    old_post = 1;
  }
  SqliteWriter writer({path, true, {}});
  const auto added = commit(writer, post(1, 1, "hazelnuts"));
  REQUIRE_FALSE(added.error);
  writer.stop();
  SqliteReader reader(path);
  CHECK(ids_of(reader.search({"walnuts"}, {1}, 10)) == std::vector<domain::PostId>{old_post});
  CHECK(ids_of(reader.search({"hazelnuts"}, {1}, 10)) == std::vector<domain::PostId>{added.id});
  Connection connection(path, Connection::Mode::read_only);
  auto triggers = connection.query(
      "SELECT name FROM sqlite_schema WHERE type = 'trigger' AND name LIKE 'posts_fts%'");
  std::vector<std::string> names;
  while (triggers->step()) names.push_back(triggers->column_text(0));
  CHECK(names == std::vector<std::string>{"posts_fts_after_update", "posts_fts_after_delete"});
  check_search_index(path);
}

TEST_CASE("a batch of new posts joins the search index as one segment", "[storage][search]") {
  Fixture f;
  {
    // FTS5 merges a level's segments at once when it holds crisismerge (16) of them, which
    // would hide 40 new segments; at 64 they stay to be counted.
    Connection connection(f.path, Connection::Mode::read_write);
    connection.exec("INSERT INTO posts_fts (posts_fts, rank) VALUES ('crisismerge', 64)");
  }
  const auto before = fts_structure(f.path).segments;
  std::vector<domain::Change> changes;
  for (int i = 0; i < 40; ++i) changes.push_back(post(1, 1, "batched word" + std::to_string(i)));
  const auto results = one_batch(f.writer, std::move(changes), f.batch_sizes);
  for (const auto& result : results) CHECK_FALSE(result.error);
  // One INSERT per post made FTS5 write a segment per post: 40 here.
  CHECK(fts_structure(f.path).segments <= before + 1);
  SqliteReader reader(f.path);
  CHECK(reader.search({"batched"}, {1}, 100).size() == 40);
  CHECK(reader.search({"word39"}, {1}, 10).size() == 1);
  check_search_index(f.path);
}
