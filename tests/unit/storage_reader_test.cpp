// Reads: snapshot, history paging, threads, unread counts, and the online backup.
#include <catch2/catch.hpp>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <thread>
#include <vector>

#include "storage/backup.hpp"
#include "storage/database.hpp"
#include "storage/sqlite_reader.hpp"
#include "storage/sqlite_writer.hpp"
#include "storage_fixture.hpp"

using namespace staffroom;
using namespace staffroom::storage;
using namespace staffroom::storage::testing;

namespace {

// Channel 1: u1 joins (seq 1), u2 joins (seq 2), ten root posts at seqs 3..12 (u1 wrote the
// ones with odd seq, u2 the even), then u2's reply to the seq-3 post at seq 13.
// Channel 2 holds one post of its own, to prove channels do not leak into each other.
// `settled_through`: the seq index entries of channel 1 up to that seq, and channel 2's, are
// moved into post_seqs as a sweep would (the rest stay in post_seqs_recent), so every read is
// tested with the index all recent (0), split, and all settled.
struct Fixture {
  TempDir dir;
  std::string path = dir.file("db");
  std::vector<domain::PostId> roots;
  domain::PostId reply = 0;

  explicit Fixture(domain::Seq settled_through = 0) {
    write();
    if (settled_through == 0) return;
    settle_seq_index(path, "channel_id = 2 OR (channel_id = 1 AND seq <= " +
                               std::to_string(settled_through) + ")");
  }

  void write() {
    SqliteWriter writer({path, true, {}});
    commit(writer, user("u1"));
    commit(writer, user("u2"));
    commit(writer, channel("a", 1));
    commit(writer, domain::JoinChannel{1, 2, domain::Role::member, 1, std::nullopt});
    for (int i = 0; i < 10; ++i) {
      roots.push_back(commit(writer, post(1, i % 2 == 0 ? 1 : 2, "root " + std::to_string(i))).id);
    }
    reply = commit(writer, post(1, 2, "reply", roots[0])).id;
    commit(writer, channel("b", 1));
    commit(writer, post(2, 2, "elsewhere"));
  }
};

std::vector<domain::Seq> seqs_of(const domain::HistoryPage& page) {
  std::vector<domain::Seq> seqs;
  for (const auto& p : page.posts) seqs.push_back(p.seq);
  return seqs;
}

std::vector<domain::Seq> range(domain::Seq first, domain::Seq last) {
  std::vector<domain::Seq> seqs;
  for (domain::Seq s = first; s <= last; ++s) seqs.push_back(s);
  return seqs;
}

}  // namespace

TEST_CASE("history pages in both directions", "[storage][reader]") {
  const domain::Seq settled = GENERATE(0, 7, 100);
  INFO("seq index settled through " << settled);
  Fixture fixture(settled);
  SqliteReader reader(fixture.path);
  struct Case {
    const char* name;
    std::optional<domain::Seq> after;
    std::optional<domain::Seq> before;
    int limit;
    std::vector<domain::Seq> seqs;
    bool has_more;
  };
  const std::vector<Case> cases = {
      {"newest page", std::nullopt, std::nullopt, 4, range(10, 13), true},
      {"everything", std::nullopt, std::nullopt, 100, range(3, 13), false},
      {"older than 10", std::nullopt, 10, 4, range(6, 9), true},
      {"the oldest page exactly", std::nullopt, 7, 4, range(3, 6), false},
      {"newer than 2", 2, std::nullopt, 4, range(3, 6), true},
      {"the newest page exactly", 9, std::nullopt, 4, range(10, 13), false},
      {"newer than 9, short", 9, std::nullopt, 3, range(10, 12), true},
      {"between, all fit", 3, 8, 10, range(4, 7), false},
      {"between, forward", 3, 8, 2, range(4, 5), true},
      {"between, backward", std::nullopt, 8, 2, range(6, 7), true},
      {"limit 0 still tells has_more", std::nullopt, std::nullopt, 0, {}, true},
      {"nothing above the end", 13, std::nullopt, 5, {}, false},
  };
  for (const auto& c : cases) {
    INFO(c.name);
    const auto page = reader.history(1, c.after, c.before, c.limit);
    CHECK(seqs_of(page) == c.seqs);
    CHECK(page.has_more == c.has_more);
  }
  const auto unknown = reader.history(42, std::nullopt, std::nullopt, 10);
  CHECK(unknown.posts.empty());
  CHECK_FALSE(unknown.has_more);

  const auto page = reader.history(1, 2, 5, 10);
  REQUIRE(page.posts.size() == 2);
  const auto& first = page.posts[0];
  CHECK(first.id == fixture.roots[0]);
  CHECK(first.channel_id == 1);
  CHECK(first.author.id == 1);
  CHECK(first.author.handle == "u1");
  CHECK(first.author.display_name == "Name of u1");
  CHECK(first.body == "root 0");
  CHECK(first.html == "<p>root 0</p>\n");
  CHECK(first.reply_count == 1);
  CHECK(first.created_at == 3000);
  CHECK(page.posts[1].author.handle == "u2");
  const auto with_reply = reader.history(1, 12, std::nullopt, 10);
  REQUIRE(with_reply.posts.size() == 1);
  CHECK(with_reply.posts[0].thread_id == fixture.roots[0]);
}

TEST_CASE("deleted posts stay in history and leave the unread count", "[storage][reader]") {
  const domain::Seq settled = GENERATE(0, 3, 4, 100);
  INFO("seq index settled through " << settled);
  Fixture fixture(settled);
  {
    // Deletion is a later change type; set the flag directly to test the read side now.
    Connection connection(fixture.path, Connection::Mode::read_write);
    connection.query("UPDATE posts SET deleted = 1 WHERE channel_id = 1 AND seq = 4")->run();
  }
  SqliteReader reader(fixture.path);
  const auto page = reader.history(1, 3, 5, 10);
  REQUIRE(page.posts.size() == 1);
  CHECK(page.posts[0].deleted);
  // u1's view after seq 2: u2 wrote seqs 4, 6, 8, 10, 12 and the reply at 13; 4 is deleted.
  CHECK(reader.unread(1, 1, 2) == 5);
}

TEST_CASE("unread counts other members' undeleted posts after a seq", "[storage][reader]") {
  const domain::Seq settled = GENERATE(0, 8, 100);
  INFO("seq index settled through " << settled);
  Fixture fixture(settled);
  SqliteReader reader(fixture.path);
  struct Case {
    domain::UserId user;
    domain::Seq after;
    std::int64_t count;
  };
  // u1 wrote the odd seqs 3..11; u2 the even seqs 4..12 and the reply at 13.
  const std::vector<Case> cases = {
      {1, 0, 6}, {1, 2, 6}, {1, 11, 2}, {1, 13, 0}, {2, 2, 5}, {2, 10, 1}, {3, 0, 11},
  };
  for (const auto& c : cases) {
    INFO("user " << c.user << " after " << c.after);
    CHECK(reader.unread(1, c.user, c.after) == c.count);
  }
  CHECK(reader.unread(2, 1, 0) == 1);
  CHECK(reader.unread(99, 1, 0) == 0);
}

TEST_CASE("thread finds the root from either end", "[storage][reader]") {
  Fixture fixture;
  SqliteReader reader(fixture.path);
  for (const domain::PostId start : {fixture.roots[0], fixture.reply}) {
    INFO("from post " << start);
    const auto thread = reader.thread(start);
    REQUIRE(thread);
    CHECK(thread->root.id == fixture.roots[0]);
    CHECK(thread->root.reply_count == 1);
    REQUIRE(thread->replies.size() == 1);
    CHECK(thread->replies[0].id == fixture.reply);
    CHECK(thread->replies[0].author.handle == "u2");
  }
  const auto lonely = reader.thread(fixture.roots[1]);
  REQUIRE(lonely);
  CHECK(lonely->replies.empty());
  CHECK_FALSE(reader.thread(9999));
}

TEST_CASE("replies come back oldest first", "[storage][reader]") {
  TempDir dir;
  const std::string path = dir.file("db");
  domain::PostId root = 0;
  {
    SqliteWriter writer({path, true, {}});
    commit(writer, user("u1"));
    commit(writer, channel("a", 1));
    root = commit(writer, post(1, 1, "root")).id;
    for (int i = 0; i < 5; ++i) commit(writer, post(1, 1, "r" + std::to_string(i), root));
  }
  const auto thread = SqliteReaderFactory(path).open_reader()->thread(root);
  REQUIRE(thread);
  CHECK(thread->root.reply_count == 5);
  REQUIRE(thread->replies.size() == 5);
  for (std::size_t i = 0; i < 5; ++i) {
    CHECK(thread->replies[i].body == "r" + std::to_string(i));
    CHECK(thread->replies[i].seq == static_cast<domain::Seq>(3 + i));
  }
}

TEST_CASE("readers see commits while the writer runs", "[storage][reader]") {
  TempDir dir;
  const std::string path = dir.file("db");
  SqliteWriter writer({path, true, {}});
  commit(writer, user("u1"));
  commit(writer, channel("a", 1));
  SqliteReaderFactory factory(path);
  auto reader = factory.open_reader();
  CHECK(reader->history(1, std::nullopt, std::nullopt, 10).posts.empty());
  commit(writer, post(1, 1, "now"));
  CHECK(reader->history(1, std::nullopt, std::nullopt, 10).posts.size() == 1);
  CHECK(reader->load().channels.at(0).last_seq == 2);
}

TEST_CASE("backup copies a database that is being written", "[storage][backup]") {
  TempDir dir;
  const std::string path = dir.file("live.db");
  const std::string copy = dir.file("copy.db");
  std::atomic<bool> writing{true};
  std::atomic<int> appended{0};
  {
    SqliteWriter writer({path, true, {}});
    commit(writer, user("u1"));
    commit(writer, channel("a", 1));
    std::thread poster([&] {
      while (writing) {
        commit(writer, post(1, 1, std::string(200, 'x')));
        ++appended;
      }
    });
    while (appended < 200) std::this_thread::yield();
    backup_database(path, copy);
    const int at_backup = appended;
    while (appended < at_backup + 50) std::this_thread::yield();  // keep writing after it
    writing = false;
    poster.join();
  }
  CHECK(integrity_check(copy) == "ok");
  SqliteReader reader(copy);
  const auto snapshot = reader.load();
  REQUIRE(snapshot.channels.size() == 1);
  const auto last_seq = snapshot.channels[0].last_seq;
  const auto page = reader.history(1, std::nullopt, std::nullopt, 100000);
  // A consistent snapshot: the channel's counter matches exactly the posts it holds.
  CHECK(last_seq >= 201);
  CHECK(static_cast<domain::Seq>(page.posts.size()) == last_seq - 1);
  CHECK(static_cast<int>(page.posts.size()) < appended);
  CHECK(SqliteReader(path).history(1, std::nullopt, std::nullopt, 100000).posts.size() ==
        static_cast<std::size_t>(appended));

  // The partial file the copy was written to is gone.
  for (const auto& entry :
       std::filesystem::directory_iterator(std::filesystem::path(copy).parent_path())) {
    INFO(entry.path().filename().string());
    CHECK(entry.path().filename().string().find(".partial") == std::string::npos);
  }
}

TEST_CASE("backup refuses to overwrite and fails cleanly", "[storage][backup]") {
  TempDir dir;
  const std::string path = dir.file("live.db");
  {
    SqliteWriter writer({path, true, {}});
    commit(writer, user("u1"));
  }
  const std::string existing = dir.file("existing.db");
  { std::ofstream(existing) << "precious"; }
  CHECK_THROWS_WITH(backup_database(path, existing), Catch::Contains("already exists"));
  std::ifstream kept(existing);
  std::string content;
  kept >> content;
  CHECK(content == "precious");

  const std::string target = dir.file("never.db");
  CHECK_THROWS_AS(backup_database(dir.file("missing.db"), target), StorageError);
  CHECK_FALSE(std::filesystem::exists(target));
}
