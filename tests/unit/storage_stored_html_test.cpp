// posts.html keeps a one-paragraph rendering as a marker, not a second copy of the body, and
// every read gives the rendering back byte for byte.
#include <catch2/catch.hpp>

#include <string>
#include <utility>
#include <vector>

#include "storage/database.hpp"
#include "storage/schema.hpp"
#include "storage/sqlite_reader.hpp"
#include "storage/sqlite_writer.hpp"
#include "storage/stored_html.hpp"
#include "storage_fixture.hpp"

using namespace staffroom;
using namespace staffroom::storage;
using namespace staffroom::storage::testing;

namespace {

std::string stored_html(const std::string& path, domain::PostId id) {
  Connection connection(path, Connection::Mode::read_only);
  auto row = connection.query("SELECT html FROM posts WHERE id = ?1");
  row->bind_int64(1, id);
  REQUIRE(row->step());
  return row->column_text(0);
}

domain::NewPost rendered(domain::NewPost change, std::string html) {
  change.html = std::move(html);
  return change;
}

}  // namespace

TEST_CASE("only the body as one paragraph is kept as the marker", "[storage][posts]") {
  using Case = std::pair<std::string, std::string>;  // body, rendering
  const std::vector<Case> one_paragraph = {
      {"Exit tickets today?", "<p>Exit tickets today?</p>\n"},
      {"x", "<p>x</p>\n"},
      {"two\nlines", "<p>two\nlines</p>\n"},  // a soft break renders as it is
  };
  for (const auto& [body, html] : one_paragraph) {
    CHECK(StoredHtml::store(body, html) == StoredHtml::kOneParagraph);
    CHECK(StoredHtml::load(body, std::string(StoredHtml::store(body, html))) == html);
  }
  const std::vector<Case> others = {
      {"*Q1* ready?", "<p><em>Q1</em> ready?</p>\n"},
      {"a & b", "<p>a &amp; b</p>\n"},
      {"two\n\nparagraphs", "<p>two</p>\n<p>paragraphs</p>\n"},
      {"no newline", "<p>no newline</p>"},
      {"   ", ""},  // cmark renders blank text as nothing: it must stay nothing
      {"", ""},     // a deleted post
      {"ab", "<p>ba</p>\n"},
      {"ab", "<p>ab</p>\n\n"},
  };
  for (const auto& [body, html] : others) {
    INFO(body);
    CHECK(StoredHtml::store(body, html) == html);
    CHECK(StoredHtml::load(body, std::string(StoredHtml::store(body, html))) == html);
  }
  // The marker itself is no rendering; kept, it would read back as "<p>p</p>\n".
  CHECK_THROWS_AS(StoredHtml::store("p", "p"), StorageError);
}

TEST_CASE("a plain post's row holds the marker and reads back whole", "[storage][posts]") {
  Community c;
  const std::string plain = "Q1 What does feedback look like in your room?";
  const auto first = commit(c.writer, rendered(post(1, 2, plain), "<p>" + plain + "</p>\n"));
  const auto second = commit(
      c.writer, rendered(post(1, 3, "A1 *sticky notes*"), "<p>A1 <em>sticky notes</em></p>\n"));
  REQUIRE_FALSE(first.error);
  REQUIRE_FALSE(second.error);
  CHECK(first.post->html == "<p>" + plain + "</p>\n");  // the author's reply and the event
  CHECK(stored_html(c.path, first.id) == StoredHtml::kOneParagraph);
  CHECK(stored_html(c.path, second.id) == "<p>A1 <em>sticky notes</em></p>\n");

  SqliteReader reader(c.path);
  const auto page = reader.history(1, std::nullopt, std::nullopt, 10);
  REQUIRE(page.posts.size() == 2);
  CHECK(page.posts[0].html == "<p>" + plain + "</p>\n");
  CHECK(page.posts[1].html == "<p>A1 <em>sticky notes</em></p>\n");
  CHECK(reader.post(first.id)->html == "<p>" + plain + "</p>\n");

  // An edit stores its own rendering the same way; the version keeps the old one whole.
  domain::EditPost to_markdown{first.id, "Q1 *revised*", "<p>Q1 <em>revised</em></p>\n", 4000};
  REQUIRE_FALSE(commit(c.writer, to_markdown).error);
  CHECK(stored_html(c.path, first.id) == "<p>Q1 <em>revised</em></p>\n");
  domain::EditPost to_plain{first.id, "Q1 revised", "<p>Q1 revised</p>\n", 5000};
  REQUIRE_FALSE(commit(c.writer, to_plain).error);
  CHECK(stored_html(c.path, first.id) == StoredHtml::kOneParagraph);
  CHECK(reader.post(first.id)->html == "<p>Q1 revised</p>\n");
  const auto versions = reader.versions(first.id);
  REQUIRE(versions.size() == 2);
  CHECK(versions[0].html == "<p>" + plain + "</p>\n");
  CHECK(versions[1].html == "<p>Q1 <em>revised</em></p>\n");
}

TEST_CASE("posts written before schema step 8 keep their HTML and read back the same",
          "[storage][posts][migration]") {
  TempDir dir;
  const auto path = dir.file("db");
  {
    Connection connection(path, Connection::Mode::read_write_create);
    configure_writer(connection, true);
    migrate_to(connection, 7);
    connection.exec(R"sql(
INSERT INTO users (id, handle, display_name, password_hash, admin, created_at)
  VALUES (1, 'ana', 'Ana', 'h', 1, 10);
INSERT INTO channels (id, slug, title, description, visibility, created_by, created_at, last_seq)
  VALUES (1, 'math', 'Math', '', 'public', 1, 20, 2);
INSERT INTO memberships (channel_id, user_id, role, read_seq, joined_at)
  VALUES (1, 1, 'owner', 0, 20);
INSERT INTO posts (id, channel_id, seq, author_id, body, html, created_at)
  VALUES (1, 1, 1, 1, 'Number talks', '<p>Number talks</p>' || char(10), 30),
         (2, 1, 2, 1, '*Dot* cards', '<p><em>Dot</em> cards</p>' || char(10), 31);
INSERT INTO posts_fts (posts_fts) VALUES ('rebuild');
)sql");
  }
  SqliteWriter writer(WriterOptions{path, true, {}});      // migrates to the current schema
  CHECK(stored_html(path, 1) == "<p>Number talks</p>\n");  // old rows are not rewritten
  SqliteReader reader(path);
  const auto page = reader.history(1, std::nullopt, std::nullopt, 10);
  REQUIRE(page.posts.size() == 2);
  CHECK(page.posts[0].html == "<p>Number talks</p>\n");
  CHECK(page.posts[1].html == "<p><em>Dot</em> cards</p>\n");

  // Edited after the upgrade, the post is kept the new way.
  domain::EditPost edited{1, "Number talks today", "<p>Number talks today</p>\n", 40};
  const auto committed = commit(writer, edited);
  INFO((committed.error ? committed.error->message : std::string("no error")));
  REQUIRE_FALSE(committed.error);
  CHECK(stored_html(path, 1) == StoredHtml::kOneParagraph);
  CHECK(reader.post(1)->html == "<p>Number talks today</p>\n");
  CHECK(reader.versions(1).at(0).html == "<p>Number talks</p>\n");
}
