// The seq index's sweep: entries wait in post_seqs_recent until there are enough, then move to
// post_seqs a key range per batch, each in exactly one table in every committed state.
#include <catch2/catch.hpp>

#include <memory>
#include <string>
#include <vector>

#include "storage/database.hpp"
#include "storage/post_seq_sweep.hpp"
#include "storage/sqlite_writer.hpp"
#include "storage_fixture.hpp"

using namespace staffroom;
using namespace staffroom::storage;
using namespace staffroom::storage::testing;

namespace {

// Channels 1..10 of user 1 on a bare connection; posts are inserted by hand, batch by batch,
// and their entries written by the sweep's added(), as the writer does.
struct Store : MigratedFile {
  std::size_t sweep_at;
  std::unique_ptr<PostSeqSweep> sweep = std::make_unique<PostSeqSweep>(connection, sweep_at);
  std::vector<domain::Seq> last_seqs = std::vector<domain::Seq>(11, 0);

  // The server stopped and started again: a new sweep on the same file.
  void restart() { sweep = std::make_unique<PostSeqSweep>(connection, sweep_at); }

  explicit Store(std::size_t sweep_at_) : MigratedFile(2), sweep_at(sweep_at_) {
    for (int c = 2; c <= 10; ++c) {
      connection.exec(
          "INSERT INTO channels (id, slug, title, visibility, created_by, created_at) VALUES (" +
          std::to_string(c) + ", 'c" + std::to_string(c) + "', 'C', 'public', 1, 20)");
    }
  }

  // One batch: `posts` new posts, the i-th in channel channel_of(i), then the sweep's share.
  template <typename ChannelOf>
  void batch(int posts, ChannelOf channel_of, bool commit = true) {
    sweep->begin_batch();
    connection.exec("BEGIN IMMEDIATE");
    for (int i = 0; i < posts; ++i) {
      const int c = channel_of(i);
      add_post(c, ++last_seqs[static_cast<std::size_t>(c)]);
    }
    sweep->before_commit();
    if (!commit) {
      connection.exec("ROLLBACK");
      return;
    }
    connection.exec("COMMIT");
    sweep->committed();
  }

  // A post row and, through the sweep, its entry.
  void add_post(int channel, domain::Seq seq) {
    connection.exec(
        "INSERT INTO posts (channel_id, seq, author_id, body, html, created_at) VALUES (" +
        std::to_string(channel) + ", " + std::to_string(seq) + ", 1, 'b', 'p', 30)");
    domain::Post post;
    post.id = connection.last_insert_rowid();
    post.channel_id = channel;
    post.seq = seq;
    post.author.id = 1;
    sweep->added(post);
  }

  std::int64_t count(const std::string& sql) {
    auto query = connection.query(sql);
    return query->step() ? query->column_int64(0) : -1;
  }
  std::int64_t settled() { return count("SELECT COUNT(*) FROM post_seqs"); }
  std::int64_t recent() { return count("SELECT COUNT(*) FROM post_seqs_recent"); }
  // Every post is in exactly one of the two tables, under its own channel and seq.
  bool each_post_once() {
    return count("SELECT COUNT(*) FROM posts") == settled() + recent() &&
           count(
               "SELECT COUNT(*) FROM posts p WHERE (SELECT COUNT(*) FROM post_seqs s "
               "WHERE s.channel_id = p.channel_id AND s.seq = p.seq AND s.post_id = p.id) + "
               "(SELECT COUNT(*) FROM post_seqs_recent r WHERE r.channel_id = p.channel_id "
               "AND r.seq = p.seq AND r.post_id = p.id) <> 1") == 0;
  }
  // The largest key in post_seqs is below the smallest left in post_seqs_recent.
  bool moved_in_key_order() {
    return count(
               "SELECT COUNT(*) FROM post_seqs s, post_seqs_recent r WHERE "
               "(s.channel_id, s.seq) > (r.channel_id, r.seq)") == 0;
  }
};

int spread(int i) { return 1 + i % 10; }

}  // namespace

TEST_CASE("PostSeqSweep waits for enough entries, then moves them in key order a range a batch",
          "[storage][seq_sweep]") {
  Store s(100);
  s.batch(99, spread);
  CHECK(s.settled() == 0);
  CHECK(s.sweep->recent() == 99);
  CHECK_FALSE(s.sweep->sweeping());

  s.batch(1, spread);  // 100 waiting: the sweep starts and moves the lowest 64 keys
  CHECK(s.settled() == static_cast<std::int64_t>(PostSeqSweep::kLeastMoved));
  CHECK(s.recent() == 100 - 64);
  CHECK(s.moved_in_key_order());
  CHECK(s.sweep->sweeping());
  CHECK(s.sweep->recent() == 36);
  // Channel 1's eleven entries, channels 2-6's ten each and channel 7's first three.
  CHECK(s.count("SELECT COUNT(*) FROM post_seqs WHERE channel_id <= 6") == 61);
  CHECK(s.count("SELECT max(seq) FROM post_seqs WHERE channel_id = 7") == 3);

  s.batch(0, spread);  // the rest, and the sweep reaches the end
  CHECK(s.settled() == 100);
  CHECK(s.recent() == 0);
  CHECK_FALSE(s.sweep->sweeping());
  CHECK(s.sweep->recent() == 0);
  CHECK(s.sweep->moved() == 100);
  CHECK(s.each_post_once());
  // post_seqs holds what the rows say.
  CHECK(s.count("SELECT COUNT(*) FROM post_seqs s JOIN posts p ON p.id = s.post_id AND "
                "p.author_id = s.author_id AND p.deleted = s.deleted") == 100);
}

TEST_CASE("PostSeqSweep ends even when every new entry lands ahead of it", "[storage][seq_sweep]") {
  Store s(100);
  s.batch(99, [](int) { return 1; });
  // Each batch puts 40 new entries in the highest channel; the sweep moves 80 a batch.
  int batches = 0;
  do {
    s.batch(40, [](int) { return 10; });
    ++batches;
    INFO("batch " << batches);
    REQUIRE(s.each_post_once());
  } while (s.sweep->sweeping() && batches < 50);
  CHECK_FALSE(s.sweep->sweeping());
  CHECK(s.sweep->moved() > 99);
  CHECK(batches <= 4);
  CHECK(s.recent() == 0);
  CHECK(s.sweep->recent() == s.recent());
}

TEST_CASE("PostSeqSweep: a batch that does not commit leaves no trace", "[storage][seq_sweep]") {
  Store s(100);
  s.batch(100, spread, false);  // would have started a sweep; rolled back
  CHECK(s.recent() == 0);
  CHECK(s.sweep->recent() == 0);
  CHECK_FALSE(s.sweep->sweeping());
  // A batch of 100 on its own would move them all at once (twice its new posts).
  s.batch(99, spread);
  s.batch(1, spread);
  REQUIRE(s.sweep->sweeping());
  s.batch(0, spread, false);  // the sweep's second range, rolled back
  CHECK(s.settled() == 64);
  CHECK(s.sweep->moved() == 64);
  CHECK(s.sweep->sweeping());
  s.batch(0, spread);  // the same range again
  CHECK(s.settled() == 100);
  CHECK(s.each_post_once());
  CHECK_FALSE(s.sweep->sweeping());
}

TEST_CASE("PostSeqSweep's estimate counts a rolled-back post until a count replaces it",
          "[storage][seq_sweep]") {
  Store s(1000);
  s.batch(300, spread);
  // Entries added that a savepoint then took back: counted as added, gone from the table.
  s.sweep->begin_batch();
  s.connection.exec("BEGIN IMMEDIATE");
  s.connection.exec("SAVEPOINT change");
  s.add_post(1, 1000);
  s.connection.exec("ROLLBACK TO change");
  s.connection.exec("RELEASE change");
  s.sweep->before_commit();
  s.connection.exec("COMMIT");
  s.sweep->committed();
  CHECK(s.sweep->recent() == 301);  // an estimate until the sweep's end
  PostSeqSweep restarted(s.connection, 1000);
  CHECK(restarted.recent() == 300);
  // 1,000 by the estimate (999 in the table): the sweep moves up to 2 x 699, so all of them,
  // and at its end counts what is left (0) instead of taking 999 from 1,000.
  s.batch(699, spread);
  CHECK(s.recent() == 0);
  CHECK(s.sweep->recent() == 0);
  CHECK(s.each_post_once());
}

TEST_CASE("PostSeqSweep resumes from the start after a restart mid-sweep", "[storage][seq_sweep]") {
  Store s(100);
  s.batch(99, spread);
  s.batch(1, spread);
  REQUIRE(s.sweep->sweeping());
  s.restart();
  CHECK_FALSE(s.sweep->sweeping());
  CHECK(s.sweep->recent() == 36);
  s.batch(0, spread);
  CHECK(s.recent() == 36);  // below the mark again: no sweep
  s.batch(64, spread);      // 100: moves max(64, 2 x 64) from the lowest key, so all
  CHECK(s.recent() == 0);
  CHECK(s.settled() == 164);
  CHECK(s.each_post_once());
}

TEST_CASE("PostSeqSweep: a deleted flag moves with its entry and reaches either table",
          "[storage][seq_sweep]") {
  Store s(100);
  s.batch(99, spread);
  auto deleted = [&](int channel, int seq) {
    const std::string key =
        " WHERE channel_id = " + std::to_string(channel) + " AND seq = " + std::to_string(seq);
    return s.count("SELECT deleted FROM post_seqs" + key +
                   " UNION ALL "
                   "SELECT deleted FROM post_seqs_recent" +
                   key);
  };
  s.connection.exec("UPDATE posts SET deleted = 1 WHERE channel_id = 1 AND seq = 1");
  CHECK(deleted(1, 1) == 1);
  s.batch(1, spread);  // the sweep moves channel 1's entries, the deleted one with them
  REQUIRE(s.count("SELECT deleted FROM post_seqs WHERE channel_id = 1 AND seq = 1") == 1);
  s.connection.exec("UPDATE posts SET deleted = 1 WHERE channel_id = 1 AND seq = 2");
  CHECK(s.count("SELECT deleted FROM post_seqs WHERE channel_id = 1 AND seq = 2") == 1);
  CHECK(deleted(1, 3) == 0);
  CHECK(deleted(9, 10) == 0);  // still in post_seqs_recent
  s.connection.exec("UPDATE posts SET deleted = 1 WHERE channel_id = 9 AND seq = 10");
  CHECK(s.count("SELECT deleted FROM post_seqs_recent WHERE channel_id = 9 AND seq = 10") == 1);

  // A row removed outright takes its entry with it, from either table.
  s.connection.exec("DELETE FROM posts WHERE channel_id = 1 AND seq = 3");
  s.connection.exec("DELETE FROM posts WHERE channel_id = 9 AND seq = 9");
  CHECK(s.each_post_once());
  CHECK(s.settled() + s.recent() == 98);
  // An entry's key and author never change; a change that tried is refused.
  CHECK_THROWS_AS(s.connection.exec("UPDATE posts SET author_id = 2 WHERE id = 1"), StorageError);
  CHECK_THROWS_AS(s.connection.exec("UPDATE posts SET seq = 99 WHERE id = 1"), StorageError);
  CHECK_NOTHROW(s.connection.exec("UPDATE posts SET author_id = 1, seq = seq WHERE id = 1"));
}

TEST_CASE("PostSeqSweep: a move that fails is undone alone, and sweeps pause",
          "[storage][seq_sweep]") {
  Store s(100);
  s.batch(99, spread);
  // A file mended by hand: channel 1's first entry is in both tables.
  s.connection.exec(
      "INSERT INTO post_seqs SELECT * FROM post_seqs_recent "
      "WHERE channel_id = 1 AND seq = 1");
  s.batch(1, spread);  // a sweep is due; its INSERT meets the key
  CHECK(s.sweep->failures() == 1);
  const auto failure = s.sweep->take_failure();
  REQUIRE(failure);
  CHECK_THAT(*failure, Catch::Contains("post_seqs") && Catch::Contains("UNIQUE"));
  CHECK_FALSE(s.sweep->take_failure());                 // reported once
  CHECK(s.count("SELECT COUNT(*) FROM posts") == 100);  // the batch's post committed
  CHECK(s.recent() == 100);
  CHECK(s.settled() == 1);
  CHECK_FALSE(s.sweep->sweeping());
  s.batch(0, spread);  // paused: not tried again at once
  CHECK(s.sweep->failures() == 1);
  CHECK(s.recent() == 100);
}

TEST_CASE("the writer reports a failed sweep move after the batch, which commits",
          "[storage][seq_sweep]") {
  TempDir dir;
  const std::string path = dir.file("db");
  const int before = static_cast<int>(PostSeqSweep::kSweepAt) - 10;
  {
    SqliteWriter writer({path, false, {}});
    commit(writer, user("u1"));
    commit(writer, channel("a", 1));
    for (int i = 0; i < before; ++i) commit(writer, post(1, 1, "p"));
  }
  // A file mended by hand: the channel's lowest entry is in both tables.
  settle_seq_index(path, "seq = 2");
  {
    Connection connection(path, Connection::Mode::read_write);
    connection.exec("INSERT INTO post_seqs_recent SELECT * FROM post_seqs");
  }
  std::vector<std::string> failures;
  WriterOptions options{path, false, {}};
  options.on_upkeep_failed = [&failures](const std::string& what) { failures.push_back(what); };
  {
    SqliteWriter writer(options);
    for (int i = 0; i < 20; ++i) REQUIRE_FALSE(commit(writer, post(1, 1, "more")).error);
  }
  REQUIRE(failures.size() == 1);  // then sweeps pause
  CHECK_THAT(failures[0], Catch::Contains("post_seqs"));
  Connection connection(path, Connection::Mode::read_only);
  auto count = connection.query("SELECT COUNT(*) FROM posts");
  REQUIRE(count->step());
  CHECK(count->column_int64(0) == before + 20);
}
