// Schema migrations, the refusal of newer files, and the low-level database wrappers.
#include <catch2/catch.hpp>

#include "storage/database.hpp"
#include "storage/schema.hpp"
#include "storage/sqlite_reader.hpp"
#include "storage/sqlite_writer.hpp"
#include "storage_fixture.hpp"

using namespace staffroom;
using namespace staffroom::storage;
using storage::testing::TempDir;

TEST_CASE("migrate sets user_version on a fresh file and is idempotent", "[storage][schema]") {
  TempDir dir;
  const std::string path = dir.file("fresh.db");
  {
    Connection connection(path, Connection::Mode::read_write_create);
    configure_writer(connection, true);
    REQUIRE(stored_version(connection) == 0);
    migrate(connection);
    CHECK(stored_version(connection) == schema_version());
    CHECK(schema_version() >= 1);
    migrate(connection);  // nothing left to do
    CHECK(stored_version(connection) == schema_version());

    auto tables =
        connection.query("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name");
    std::vector<std::string> names;
    while (tables->step()) names.push_back(tables->column_text(0));
    // The search index lives in a file of its own (search_index_file.hpp).
    CHECK(names == std::vector<std::string>{"channels", "database_identity", "events",
                                            "memberships", "mentions", "post_client_id_mark",
                                            "post_client_ids", "post_seqs", "post_seqs_recent",
                                            "post_versions", "posts", "reaction_emojis",
                                            "reactions", "search_stale", "sessions", "users"});
  }
  Connection again(path, Connection::Mode::read_only);
  CHECK_NOTHROW(require_current_schema(again));
  auto mode = again.query("PRAGMA journal_mode");
  REQUIRE(mode->step());
  CHECK(mode->column_text(0) == "wal");
}

TEST_CASE("a version 1 database upgrades in place and its posts become searchable",
          "[storage][schema]") {
  TempDir dir;
  const std::string path = dir.file("v1.db");
  {
    // The file as the previous release left it: schema 1 and rows written by its SQL.
    Connection connection(path, Connection::Mode::read_write_create);
    configure_writer(connection, true);
    migrate_to(connection, 1);
    REQUIRE(stored_version(connection) == 1);
    connection.exec(R"sql(
INSERT INTO users (id, handle, display_name, password_hash, admin, created_at)
  VALUES (1, 'ana', 'Ana', 'h', 1, 10), (2, 'ben', 'Ben', 'h', 0, 11);
INSERT INTO channels (id, slug, title, description, visibility, created_by, created_at, last_seq)
  VALUES (1, 'math', 'Math', '', 'public', 1, 20, 4);
INSERT INTO memberships (channel_id, user_id, role, read_seq, joined_at)
  VALUES (1, 1, 'owner', 1, 20), (1, 2, 'member', 2, 21);
INSERT INTO posts (id, channel_id, seq, author_id, body, html, created_at)
  VALUES (1, 1, 3, 1, 'Number talks for grade four', '<p>Number talks</p>', 30),
         (2, 1, 4, 2, 'Fractions with paper strips', '<p>Fractions</p>', 31);
INSERT INTO events (channel_id, seq, kind, post_id, user_id, at) VALUES
  (1, 1, 'member.joined', NULL, 1, 20), (1, 2, 'member.joined', NULL, 2, 21),
  (1, 3, 'post.created', 1, 1, 30), (1, 4, 'post.created', 2, 2, 31);
)sql");
  }
  {
    SqliteWriter writer({path, true, {}});  // migrates on open
    const auto edited =
        storage::testing::commit(writer, storage::testing::edit(2, "Decimals with money"));
    REQUIRE_FALSE(edited.error);
    CHECK(edited.seq == 5);
  }
  Connection connection(path, Connection::Mode::read_only);
  CHECK(stored_version(connection) == schema_version());
  storage::testing::check_search_index(path);

  SqliteReader reader(path);
  const auto snapshot = reader.load();
  REQUIRE(snapshot.channels.size() == 1);
  CHECK_FALSE(snapshot.channels[0].archived);
  CHECK(snapshot.channels[0].last_seq == 5);
  const auto talks = reader.search({"talks"}, {1}, 10);
  REQUIRE(talks.size() == 1);
  CHECK(talks[0].post.id == 1);
  CHECK(talks[0].snippet == "Number <mark>talks</mark> for grade four");
  CHECK(reader.search({"fractions"}, {1}, 10).empty());
  CHECK(reader.search({"decimals"}, {1}, 10).size() == 1);
  const auto versions = reader.versions(2);
  REQUIRE(versions.size() == 1);
  CHECK(versions[0].body == "Fractions with paper strips");
  CHECK(versions[0].written_at == 31);

  const auto events = reader.events_after(1, 0, 10);
  REQUIRE(events.size() == 5);
  CHECK(events[1].user_id == 2);
  CHECK_FALSE(events[1].actor_id);
  CHECK_FALSE(events[1].role);  // the previous release did not log roles
  REQUIRE(events[2].post);
  CHECK(events[2].post->body == "Number talks for grade four");
  CHECK(events[4].kind == "post.edited");
  CHECK(events[4].post->body == "Decimals with money");
}

TEST_CASE("a database newer than the binary is refused with a clear message", "[storage][schema]") {
  TempDir dir;
  const std::string path = dir.file("newer.db");
  const int newer = schema_version() + 2;
  {
    Connection connection(path, Connection::Mode::read_write_create);
    connection.exec("PRAGMA user_version = " + std::to_string(newer));
  }
  const std::string expected = "database schema version " + std::to_string(newer) +
                               " is newer than this staffroom understands (" +
                               std::to_string(schema_version()) +
                               "); upgrade staffroom or restore a backup";
  CHECK_THROWS_MATCHES(SqliteWriter(WriterOptions{path, true, {}}), StorageError,
                       Catch::Matchers::Message(expected));
  CHECK_THROWS_MATCHES(SqliteReader(path), StorageError, Catch::Matchers::Message(expected));
  // Refusing must not have touched the file.
  Connection connection(path, Connection::Mode::read_only);
  CHECK(stored_version(connection) == newer);
}

TEST_CASE("a reader refuses a file that was never migrated", "[storage][schema]") {
  TempDir dir;
  const std::string path = dir.file("old.db");
  {
    Connection connection(path, Connection::Mode::read_write_create);
    connection.exec("CREATE TABLE t (x)");
  }
  CHECK_THROWS_WITH(SqliteReader(path), Catch::Contains("has schema version 0, expected"));
}

TEST_CASE("opening a missing file read-only fails with the file name", "[storage][schema]") {
  TempDir dir;
  const std::string path = dir.file("missing.db");
  CHECK_THROWS_WITH(SqliteReader(path), Catch::Contains("missing.db"));
}

TEST_CASE("statement binds, reads columns and reports errors", "[storage][schema]") {
  TempDir dir;
  Connection connection(dir.file("plain.db"), Connection::Mode::read_write_create);
  connection.exec("CREATE TABLE t (a INTEGER, b TEXT, c INTEGER UNIQUE)");
  {
    auto insert = connection.query("INSERT INTO t (a, b, c) VALUES (?1, ?2, ?3)");
    insert->bind_int64(1, -5)
        .bind_text(2, std::string_view("h\0i", 3))
        .bind_optional(3, std::optional<std::int64_t>{});
    insert->run();
  }
  {
    auto insert = connection.query("INSERT INTO t (a, b, c) VALUES (?1, ?2, ?3)");
    insert->bind_optional(1, std::optional<std::int64_t>{9})
        .bind_optional(2, std::optional<std::string>{})
        .bind_int64(3, 1);
    insert->run();
  }
  {
    auto select = connection.query("SELECT a, b, c FROM t ORDER BY rowid");
    REQUIRE(select->step());
    CHECK(select->column_int64(0) == -5);
    CHECK(select->column_text(1) == std::string("h\0i", 3));
    CHECK(select->column_optional_int64(2) == std::nullopt);
    REQUIRE(select->step());
    CHECK(select->column_optional_int64(0) == 9);
    CHECK(select->column_optional_text(1) == std::nullopt);
    CHECK_FALSE(select->step());
  }
  SECTION("a constraint failure throws StorageError naming the cause") {
    auto insert = connection.query("INSERT INTO t (c) VALUES (?1)");
    insert->bind_int64(1, 1);
    CHECK_THROWS_WITH(insert->run(), Catch::Contains("UNIQUE constraint failed"));
  }
  SECTION("bad SQL throws when prepared") {
    CHECK_THROWS_AS(connection.query("SELEKT 1"), StorageError);
  }
  SECTION("a statement cannot be leased twice at once") {
    auto first = connection.query("SELECT 1");
    CHECK_THROWS_AS(connection.query("SELECT 1"), StorageError);
  }
}

TEST_CASE("transaction and savepoint roll back unless committed", "[storage][schema]") {
  TempDir dir;
  Connection connection(dir.file("tx.db"), Connection::Mode::read_write_create);
  connection.exec("CREATE TABLE t (x INTEGER)");
  const auto count = [&connection] {
    auto q = connection.query("SELECT COUNT(*) FROM t");
    q->step();
    return q->column_int64(0);
  };
  const auto insert = [&connection](std::int64_t x) {
    connection.query("INSERT INTO t (x) VALUES (?1)")->bind_int64(1, x).run();
  };
  {
    Transaction transaction(connection, Transaction::Kind::immediate);
    insert(1);
    CHECK(connection.in_transaction());
  }
  CHECK_FALSE(connection.in_transaction());
  CHECK(count() == 0);
  {
    Transaction transaction(connection, Transaction::Kind::immediate);
    insert(1);
    {
      Savepoint kept(connection, "kept");
      insert(2);
      kept.release();
    }
    {
      Savepoint dropped(connection, "dropped");
      insert(3);
    }
    {
      Savepoint explicit_rollback(connection, "explicit");
      insert(4);
      explicit_rollback.rollback();
    }
    transaction.commit();
  }
  CHECK(count() == 2);
}
