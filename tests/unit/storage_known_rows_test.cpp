// The writer's memory of last seqs and users: read once, kept across committed batches, read
// again after any rollback.
#include <catch2/catch.hpp>

#include <string>

#include "storage/database.hpp"
#include "storage/known_rows.hpp"
#include "storage_fixture.hpp"

using namespace staffroom;
using namespace staffroom::storage;
using namespace staffroom::storage::testing;

namespace {

// User 1 and channel 1 at last seq 4. Changing a row behind KnownRows's back shows whether it
// answers from memory or reads the row again.
struct Store : MigratedFile {
  KnownRows known{connection};

  Store() : MigratedFile(1, 4) {}

  void set_last_seq(int seq) {
    connection.exec("UPDATE channels SET last_seq = " + std::to_string(seq) + " WHERE id = 1");
  }
  /// channels.last_seq as the file holds it, not as KnownRows remembers it.
  domain::Seq row_seq() {
    auto read = connection.query("SELECT last_seq FROM channels WHERE id = 1");
    return read->step() ? read->column_int64(0) : -1;
  }
  /// From now on every write to channels.last_seq is logged in `bumps`.
  void log_bumps() {
    connection.exec(
        "CREATE TABLE bumps (channel_id INTEGER, seq INTEGER); "
        "CREATE TRIGGER log_bumps AFTER UPDATE OF last_seq ON channels BEGIN "
        "INSERT INTO bumps VALUES (new.id, new.last_seq); END");
  }
  std::string bumps() {
    auto read = connection.query(
        "SELECT coalesce(group_concat(channel_id || '=' || seq, ' '), '') FROM bumps");
    return read->step() ? std::string(read->column_text(0)) : "?";
  }
};

}  // namespace

TEST_CASE("KnownRows reads a last seq once and keeps what the writer takes",
          "[storage][known_rows]") {
  Store s;
  s.known.begin_batch();
  CHECK(s.known.last_seq(1) == 4);
  CHECK_FALSE(s.known.last_seq(2));  // no such channel
  s.set_last_seq(40);
  CHECK(s.known.last_seq(1) == 4);  // from memory
  s.known.took_seq(1, 5);
  CHECK(s.known.last_seq(1) == 5);
  s.known.committed();
  s.known.begin_batch();  // the last batch committed: memory is kept
  CHECK(s.known.last_seq(1) == 5);
}

TEST_CASE("KnownRows forgets after a rollback or a batch that did not commit",
          "[storage][known_rows]") {
  Store s;
  SECTION("a change's savepoint rolled back") {
    s.known.begin_batch();
    s.known.took_seq(1, 5);
    s.known.forget();
    CHECK(s.known.last_seq(1) == 4);
  }
  SECTION("the batch never committed") {
    s.known.begin_batch();
    s.known.took_seq(1, 5);
    s.known.begin_batch();
    CHECK(s.known.last_seq(1) == 4);
  }
  SECTION("a batch that only read, then failed") {
    s.known.begin_batch();
    CHECK(s.known.last_seq(1) == 4);
    s.set_last_seq(7);  // as if the failed batch had read its own uncommitted write
    s.known.begin_batch();
    CHECK(s.known.last_seq(1) == 7);
  }
}

TEST_CASE("KnownRows remembers users that exist, never those that do not",
          "[storage][known_rows]") {
  Store s;
  s.known.begin_batch();
  CHECK(s.known.user_exists(1));
  CHECK_FALSE(s.known.user_exists(2));
  s.connection.exec(
      "INSERT INTO users (id, handle, display_name, password_hash, admin, created_at) VALUES "
      "(2, 'u2', 'U2', 'h', 0, 10)");
  CHECK(s.known.user_exists(2));  // a miss was not remembered
  s.known.forget();
  s.connection.exec("PRAGMA foreign_keys = OFF; DELETE FROM users WHERE id = 1");
  CHECK_FALSE(s.known.user_exists(1));  // read again after forget()
}

TEST_CASE("KnownRows writes each channel's last seq taken once, when asked",
          "[storage][known_rows]") {
  Store s;
  s.log_bumps();
  s.known.begin_batch();
  s.known.took_seq(1, 5);
  s.known.took_seq(1, 6);
  s.known.took_seq(1, 7);
  CHECK(s.row_seq() == 4);  // taken, not yet written
  CHECK(s.known.last_seq(1) == 7);
  s.known.write_taken();
  CHECK(s.row_seq() == 7);
  CHECK(s.bumps() == "1=7");  // one UPDATE for three seqs
  s.known.write_taken();      // nothing taken since: writes nothing
  CHECK(s.bumps() == "1=7");
  s.known.took_seq(1, 8);
  s.known.write_taken();
  CHECK(s.bumps() == "1=7 1=8");
}

TEST_CASE("KnownRows drops seqs taken and unwritten when it forgets", "[storage][known_rows]") {
  Store s;
  s.log_bumps();
  s.known.begin_batch();
  s.known.took_seq(1, 5);
  s.known.forget();  // the change that took it rolled back
  s.known.write_taken();
  CHECK(s.bumps().empty());
  CHECK(s.known.last_seq(1) == 4);
}

TEST_CASE("KnownRows writes what it took before memory is dropped for room",
          "[storage][known_rows]") {
  Store s;
  Transaction transaction(s.connection, Transaction::Kind::immediate);  // as in the writer
  s.known.begin_batch();
  s.known.took_seq(1, 5);
  // Channels that do not exist fill memory; the one after them finds it full.
  for (domain::ChannelId c = 2; c <= static_cast<domain::ChannelId>(KnownRows::kMostKept) + 1;
       ++c) {
    s.known.took_seq(c, 1);
  }
  CHECK(s.row_seq() == 5);          // written when memory was dropped
  CHECK(s.known.last_seq(1) == 5);  // and read back from the row
}
