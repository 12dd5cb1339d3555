// Schema steps 4 and 5 on a file the version 3 release wrote: posts rebuilt without its
// (channel_id, seq) constraint, post creations read from posts instead of events, and the
// search index's merging handed from FTS5's automerge to the writer.
#include <catch2/catch.hpp>

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

// A version 3 file as that release's writer left it: channel 1 with two members, a root post
// with a reply, an edited post with a reaction and a mention, a deleted post, one post with a
// client_id; its events log every change, post creations included.
void write_version_3(const std::string& path) {
  Connection connection(path, Connection::Mode::read_write_create);
  configure_writer(connection, true);
  migrate_to(connection, 3);
  REQUIRE(stored_version(connection) == 3);
  connection.exec(R"sql(
INSERT INTO users (id, handle, display_name, password_hash, admin, created_at)
  VALUES (1, 'ana', 'Ana', 'h', 1, 10), (2, 'ben', 'Ben', 'h', 0, 11);
INSERT INTO channels (id, slug, title, description, visibility, created_by, created_at, last_seq)
  VALUES (1, 'math', 'Math', '', 'public', 1, 20, 9);
INSERT INTO memberships (channel_id, user_id, role, read_seq, joined_at)
  VALUES (1, 1, 'owner', 3, 20), (1, 2, 'member', 0, 21);
INSERT INTO posts (id, channel_id, seq, thread_id, author_id, body, html, created_at, edited_at,
                   deleted, reply_count, client_id)
  VALUES (1, 1, 3, NULL, 1, 'Number talks for grade four', '<p>Number talks</p>', 30, NULL, 0, 1,
          'c-1'),
         (2, 1, 4, 1, 2, 'Try dot cards', '<p>Try dot cards</p>', 31, NULL, 0, 0, NULL),
         (3, 1, 5, NULL, 2, 'Decimals with money', '<p>Decimals</p>', 32, 40, 0, 0, NULL),
         (4, 1, 6, NULL, 2, '', '', 33, NULL, 1, 0, NULL);
INSERT INTO post_versions (post_id, body, html, written_at, replaced_at)
  VALUES (3, 'Fractions with strips', '<p>Fractions</p>', 32, 40);
INSERT INTO reaction_emojis (post_id, emoji) VALUES (3, 'star');
INSERT INTO reactions (post_id, emoji, user_id, at) VALUES (3, 'star', 1, 41);
INSERT INTO mentions (user_id, post_id, channel_id, seq, created_at) VALUES (1, 3, 1, 5, 32);
INSERT INTO events (channel_id, seq, kind, post_id, user_id, at, actor_id, role, emoji, on_flag)
  VALUES (1, 1, 'member.joined', NULL, 1, 20, NULL, 'owner', NULL, NULL),
         (1, 2, 'member.joined', NULL, 2, 21, NULL, 'member', NULL, NULL),
         (1, 3, 'post.created', 1, 1, 30, NULL, NULL, NULL, NULL),
         (1, 4, 'post.created', 2, 2, 31, NULL, NULL, NULL, NULL),
         (1, 5, 'post.created', 3, 2, 32, NULL, NULL, NULL, NULL),
         (1, 6, 'post.created', 4, 2, 33, NULL, NULL, NULL, NULL),
         (1, 7, 'post.edited', 3, 2, 40, NULL, NULL, NULL, NULL),
         (1, 8, 'post.reacted', 3, 1, 41, NULL, NULL, 'star', 1),
         (1, 9, 'post.deleted', 4, 2, 42, NULL, NULL, NULL, NULL);
INSERT INTO posts_fts (posts_fts) VALUES ('rebuild');
)sql");
}

std::vector<std::string> strings(Connection& connection, const std::string& sql) {
  auto query = connection.query(sql);
  std::vector<std::string> out;
  while (query->step()) out.push_back(query->column_text(0));
  return out;
}

}  // namespace

TEST_CASE("step 4 keeps every post and the whole event log of a version 3 file",
          "[storage][schema]") {
  TempDir dir;
  const std::string path = dir.file("v3.db");
  write_version_3(path);
  {
    SqliteWriter writer({path, true, {}});  // migrates on open
    // The rebuilt table still finds a retried post by its client_id, and seqs go on.
    const auto retried = commit(writer, post(1, 1, "again", std::nullopt, "c-1"));
    CHECK(retried.duplicate);
    CHECK(retried.id == 1);
    const auto next = commit(writer, post(1, 2, "Ten frames", 1));
    REQUIRE_FALSE(next.error);
    CHECK(next.seq == 10);
  }
  Connection connection(path, Connection::Mode::read_write);
  CHECK(stored_version(connection) == schema_version());
  CHECK(strings(connection, "SELECT kind FROM events WHERE kind = 'post.created'").empty());
  CHECK(strings(connection,
                "SELECT name FROM sqlite_schema WHERE type = 'index' AND "
                "tbl_name = 'posts' ORDER BY name") == std::vector<std::string>{"posts_by_thread"});
  // Step 6: the old posts' client ids moved to post_client_ids, and the mark is past them.
  CHECK(strings(connection,
                "SELECT author_id || ':' || client_id || '=' || post_id "
                "FROM post_client_ids") == std::vector<std::string>{"1:c-1=1"});
  CHECK(strings(connection, "SELECT through_post_id FROM post_client_id_mark") ==
        std::vector<std::string>{"4"});
  // Step 7: the old posts' seq index entries are all in post_seqs, matching their rows; the
  // post written since is in post_seqs_recent.
  CHECK(strings(connection, "SELECT COUNT(*) FROM post_seqs") == std::vector<std::string>{"4"});
  CHECK(strings(connection,
                "SELECT COUNT(*) FROM post_seqs s JOIN posts p ON p.id = s.post_id AND "
                "p.channel_id = s.channel_id AND p.seq = s.seq AND p.author_id = s.author_id "
                "AND p.deleted = s.deleted") == std::vector<std::string>{"4"});
  CHECK(strings(connection,
                "SELECT channel_id || ':' || seq || '=' || post_id "
                "FROM post_seqs_recent") == std::vector<std::string>{"1:10=5"});
  CHECK(strings(connection,
                "SELECT name FROM sqlite_schema WHERE type = 'trigger' AND "
                "name LIKE 'post_seqs%' ORDER BY name") ==
        std::vector<std::string>{"post_seqs_after_delete", "post_seqs_after_deleted",
                                 "post_seqs_keys_fixed"});  // step 9 dropped the insert trigger
  CHECK(strings(connection, "PRAGMA foreign_key_check").empty());
  // Step 10: the search index left the file; body changes are logged for the indexer, and the
  // file has an identity of its own.
  CHECK(strings(connection, "SELECT name FROM sqlite_schema WHERE name LIKE 'posts_fts%'").empty());
  CHECK(strings(connection,
                "SELECT name FROM sqlite_schema WHERE type = 'trigger' AND "
                "name LIKE 'search%'") == std::vector<std::string>{"search_stale_after_body"});
  CHECK(strings(connection, "SELECT length(id) FROM database_identity") ==
        std::vector<std::string>{"32"});
  check_search_index(path);

  SqliteReader reader(path);
  const auto events = reader.events_after(1, 0, 100);
  std::vector<std::string> kinds;
  for (const auto& event : events) kinds.push_back(std::to_string(event.seq) + " " + event.kind);
  CHECK(kinds == std::vector<std::string>{"1 member.joined", "2 member.joined", "3 post.created",
                                          "4 post.created", "5 post.created", "6 post.created",
                                          "7 post.edited", "8 post.reacted", "9 post.deleted",
                                          "10 post.created"});
  REQUIRE(events[2].post);
  CHECK(events[2].post->id == 1);
  CHECK(events[2].at == 30);
  CHECK(events[2].post->reply_count == 2);
  CHECK(events[2].post->client_id == "c-1");
  REQUIRE(events[4].post);
  CHECK(events[4].post->body == "Decimals with money");
  CHECK(events[4].post->edited_at == 40);
  REQUIRE(events[4].post->reactions.size() == 1);
  CHECK(events[4].post->reactions[0].user_ids == std::vector<domain::UserId>{1});
  CHECK(events[7].emoji == "star");
  REQUIRE(events[5].post);
  CHECK(events[5].post->deleted);
  // A post.created row in events (a previous release still writing to the file) is not
  // replayed twice: the post's own row is its creation event.
  connection.exec(
      "INSERT INTO events (channel_id, seq, kind, post_id, user_id, at) "
      "SELECT channel_id, seq, 'post.created', id, author_id, created_at FROM posts WHERE id = 5");
  CHECK(reader.events_after(1, 9, 100).size() == 1);
  // A page that starts inside the log and stops at its limit.
  const auto page = reader.events_after(1, 4, 3);
  REQUIRE(page.size() == 3);
  CHECK(page[0].seq == 5);
  CHECK(page[2].seq == 7);

  CHECK(reader.unread(1, 1, 3) == 3);  // ben's two replies and his edited post, not the deleted one
  CHECK(reader.unread_mentions(1, 1, 0) == 1);
  CHECK(reader.versions(3).size() == 1);
  const auto thread = reader.thread(1);
  REQUIRE(thread);
  CHECK(thread->replies.size() == 2);
  CHECK(reader.search({"decimals"}, {1}, 10).size() == 1);
  CHECK(reader.search({"fractions"}, {1}, 10).empty());
}

TEST_CASE("a step that would leave a broken foreign key is not committed", "[storage][schema]") {
  TempDir dir;
  const std::string path = dir.file("broken.db");
  write_version_3(path);
  {
    // A reaction to a post that is not there, written past the keys (an edited file).
    Connection connection(path, Connection::Mode::read_write);
    connection.exec("PRAGMA foreign_keys = OFF");
    connection.exec("INSERT INTO reactions (post_id, emoji, user_id, at) VALUES (99, 'x', 1, 1)");
  }
  {
    Connection connection(path, Connection::Mode::read_write);
    configure_writer(connection, true);
    CHECK_THROWS_WITH(migrate(connection),
                      Catch::Contains("schema step 4 not applied: row ") &&
                          Catch::Contains(" of table reactions refers to a missing posts row"));
    CHECK(stored_version(connection) == 3);
    // The step rolled back whole: the old constraint and the logged creations are still there.
    CHECK(strings(connection, "SELECT name FROM sqlite_schema WHERE name = 'posts_unread'") ==
          std::vector<std::string>{"posts_unread"});
    CHECK(strings(connection, "SELECT kind FROM events WHERE kind = 'post.created'").size() == 4);
    // Keys are enforced again on the connection the failed step ran on.
    CHECK(strings(connection, "PRAGMA foreign_keys") == std::vector<std::string>{"1"});
  }
}
