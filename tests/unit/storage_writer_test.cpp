// The writer thread: every change type's rules, savepoint isolation, seqs, group commit, stop.
#include <catch2/catch.hpp>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <map>
#include <mutex>
#include <numeric>
#include <thread>
#include <vector>

#include "storage/database.hpp"
#include "storage/sqlite_reader.hpp"
#include "storage/sqlite_writer.hpp"
#include "storage_fixture.hpp"

using namespace staffroom;
using namespace staffroom::storage;
using namespace staffroom::storage::testing;
using domain::ErrorKind;

namespace {

// The channel's event log as catch-up reads it (events rows and post creations, merged).
std::vector<domain::Seq> event_seqs(const std::string& path, domain::ChannelId channel) {
  std::vector<domain::Seq> seqs;
  for (const auto& event : SqliteReader(path).events_after(channel, 0, 100000)) {
    seqs.push_back(event.seq);
  }
  return seqs;
}

// The channel's post bodies in seq order, as history reads them.
std::vector<std::string> bodies(const std::string& path, domain::ChannelId channel) {
  std::vector<std::string> out;
  for (const auto& p : SqliteReader(path).history(channel, std::nullopt, std::nullopt, 100).posts) {
    out.push_back(p.body);
  }
  return out;
}

// The first column of the first row `sql` gives, read on a connection of its own.
std::int64_t count_of(const std::string& path, const std::string& sql) {
  Connection connection(path, Connection::Mode::read_write);
  auto query = connection.query(sql);
  return query->step() ? query->column_int64(0) : -1;
}

std::vector<domain::Seq> one_to(domain::Seq n) {
  std::vector<domain::Seq> seqs(static_cast<std::size_t>(n));
  std::iota(seqs.begin(), seqs.end(), 1);
  return seqs;
}

// Appends `changes` while the writer thread is held inside an earlier change's callback (u2's
// registration), so they gather into one batch; returns their results once all are back.
std::vector<domain::Committed> commit_in_one_batch(SqliteWriter& writer,
                                                   const std::vector<domain::Change>& changes) {
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  std::promise<void> holding;
  writer.append(user("u2"), [&holding, released](domain::Committed) {
    holding.set_value();
    released.wait();
  });
  holding.get_future().wait();
  std::vector<domain::Committed> results(changes.size());
  std::promise<void> all_done;
  for (std::size_t i = 0; i < changes.size(); ++i) {
    writer.append(changes[i], [&results, &all_done, last = i + 1 == changes.size(),
                               i](domain::Committed committed) {
      results[i] = std::move(committed);
      if (last) all_done.set_value();
    });
  }
  release.set_value();
  all_done.get_future().wait();
  return results;
}

}  // namespace

TEST_CASE("NewUser: first account is admin, handles are unique ignoring case",
          "[storage][writer]") {
  TempDir dir;
  SqliteWriter writer({dir.file("db"), true, {}});
  const auto first = commit(writer, user("u1"));
  REQUIRE_FALSE(first.error);
  CHECK(first.id == 1);
  CHECK(first.admin);
  const auto second = commit(writer, user("u2"));
  REQUIRE_FALSE(second.error);
  CHECK(second.id == 2);
  CHECK_FALSE(second.admin);

  const auto taken = commit(writer, user("U1"));
  REQUIRE(taken.error);
  CHECK(taken.error->kind == ErrorKind::conflict);
  CHECK(taken.error->message == "handle 'U1' is already taken");

  SqliteReader reader(dir.file("db"));
  const auto snapshot = reader.load();
  REQUIRE(snapshot.users.size() == 2);
  CHECK(snapshot.users[0].user.handle == "u1");
  CHECK(snapshot.users[0].user.display_name == "Name of u1");
  CHECK(snapshot.users[0].user.admin);
  CHECK(snapshot.users[0].user.created_at == 1000);
  CHECK(snapshot.users[0].password_hash == "$argon2id$fake");
  CHECK_FALSE(snapshot.users[1].user.admin);
}

TEST_CASE("NewSession and EndSession", "[storage][writer]") {
  TempDir dir;
  SqliteWriter writer({dir.file("db"), true, {}});
  commit(writer, user("u1"));

  CHECK_FALSE(commit(writer, domain::NewSession{1, "aa11", 10}).error);
  const auto missing = commit(writer, domain::NewSession{42, "bb22", 10});
  REQUIRE(missing.error);
  CHECK(missing.error->kind == ErrorKind::not_found);
  {
    SqliteReader reader(dir.file("db"));
    const auto sessions = reader.load().sessions;
    REQUIRE(sessions.size() == 1);
    CHECK(sessions[0].token_hash == "aa11");
    CHECK(sessions[0].user_id == 1);
  }
  const auto ended = commit(writer, domain::EndSession{"aa11"});
  CHECK_FALSE(ended.error);
  CHECK(ended.changed);
  const auto again = commit(writer, domain::EndSession{"aa11"});
  CHECK_FALSE(again.error);
  CHECK_FALSE(again.changed);
  CHECK(SqliteReader(dir.file("db")).load().sessions.empty());
}

TEST_CASE("NewChannel: owner joins at seq 1, slugs unique ignoring case", "[storage][writer]") {
  TempDir dir;
  const std::string path = dir.file("db");
  SqliteWriter writer({path, true, {}});
  commit(writer, user("u1"));

  auto change = channel("grade-3", 1);
  change.visibility = domain::Visibility::private_;
  const auto created = commit(writer, change);
  REQUIRE_FALSE(created.error);
  CHECK(created.id == 1);
  CHECK(created.seq == 1);
  CHECK(created.read_seq == 1);

  const auto taken = commit(writer, channel("GRADE-3", 1));
  REQUIRE(taken.error);
  CHECK(taken.error->kind == ErrorKind::conflict);
  CHECK(taken.error->message == "channel slug 'GRADE-3' is already taken");

  const auto no_owner = commit(writer, channel("other", 99));
  REQUIRE(no_owner.error);
  CHECK(no_owner.error->kind == ErrorKind::not_found);

  const auto snapshot = SqliteReader(path).load();
  REQUIRE(snapshot.channels.size() == 1);
  const auto& stored = snapshot.channels[0];
  CHECK(stored.slug == "grade-3");
  CHECK(stored.title == "Title grade-3");
  CHECK(stored.description == "About grade-3");
  CHECK(stored.visibility == domain::Visibility::private_);
  CHECK(stored.created_by == 1);
  CHECK(stored.created_at == 2000);
  CHECK(stored.last_seq == 1);
  REQUIRE(snapshot.memberships.size() == 1);
  CHECK(snapshot.memberships[0].role == domain::Role::owner);
  CHECK(snapshot.memberships[0].read_seq == 1);
  CHECK(event_seqs(path, 1) == one_to(1));
}

TEST_CASE("JoinChannel and LeaveChannel take seqs and log events", "[storage][writer]") {
  TempDir dir;
  const std::string path = dir.file("db");
  SqliteWriter writer({path, true, {}});
  commit(writer, user("u1"));
  commit(writer, user("u2"));
  commit(writer, channel("math", 1));

  const auto no_channel =
      commit(writer, domain::JoinChannel{7, 2, domain::Role::member, 5, std::nullopt});
  REQUIRE(no_channel.error);
  CHECK(no_channel.error->kind == ErrorKind::not_found);
  CHECK(no_channel.error->message == "channel 7 not found");

  const auto joined =
      commit(writer, domain::JoinChannel{1, 2, domain::Role::moderator, 5, std::nullopt});
  REQUIRE_FALSE(joined.error);
  CHECK(joined.changed);
  CHECK(joined.seq == 2);
  CHECK(joined.read_seq == 2);

  const auto again =
      commit(writer, domain::JoinChannel{1, 2, domain::Role::member, 6, std::nullopt});
  REQUIRE_FALSE(again.error);
  CHECK_FALSE(again.changed);
  CHECK(again.seq == 0);
  CHECK(again.read_seq == 2);
  {
    const auto snapshot = SqliteReader(path).load();
    REQUIRE(snapshot.memberships.size() == 2);
    CHECK(snapshot.memberships[1].user_id == 2);
    CHECK(snapshot.memberships[1].role == domain::Role::moderator);
    CHECK(snapshot.channels[0].last_seq == 2);
  }

  const auto left = commit(writer, domain::LeaveChannel{1, 2, 7, std::nullopt});
  REQUIRE_FALSE(left.error);
  CHECK(left.changed);
  CHECK(left.seq == 3);
  const auto not_member = commit(writer, domain::LeaveChannel{1, 2, 8, std::nullopt});
  REQUIRE_FALSE(not_member.error);
  CHECK_FALSE(not_member.changed);
  CHECK(not_member.seq == 0);

  const auto snapshot = SqliteReader(path).load();
  CHECK(snapshot.memberships.size() == 1);
  CHECK(snapshot.channels[0].last_seq == 3);
  CHECK(event_seqs(path, 1) == one_to(3));
  Connection connection(path, Connection::Mode::read_only);
  auto kinds = connection.query("SELECT kind, user_id FROM events ORDER BY seq");
  std::vector<std::pair<std::string, std::int64_t>> logged;
  while (kinds->step()) logged.emplace_back(kinds->column_text(0), kinds->column_int64(1));
  CHECK(logged == std::vector<std::pair<std::string, std::int64_t>>{
                      {"member.joined", 1}, {"member.joined", 2}, {"member.left", 2}});
}

TEST_CASE("NewPost: roots, replies and their failures", "[storage][writer]") {
  TempDir dir;
  const std::string path = dir.file("db");
  SqliteWriter writer({path, true, {}});
  commit(writer, user("u1"));
  commit(writer, user("u2"));
  commit(writer, channel("math", 1));
  commit(writer, channel("art", 1));

  const auto root = commit(writer, post(1, 2, "hello"));
  REQUIRE_FALSE(root.error);
  REQUIRE(root.post);
  CHECK(root.seq == 2);
  CHECK(root.id == root.post->id);
  CHECK(root.post->seq == 2);
  CHECK(root.post->channel_id == 1);
  CHECK(root.post->author.handle == "u2");
  CHECK(root.post->body == "hello");
  CHECK(root.post->html == "<p>hello</p>\n");
  CHECK(root.post->created_at == 3000);
  CHECK(root.post->reply_count == 0);
  CHECK_FALSE(root.post->edited_at);
  CHECK_FALSE(root.post->deleted);
  CHECK_FALSE(root.post->thread_id);

  const auto reply = commit(writer, post(1, 1, "hi back", root.id));
  REQUIRE_FALSE(reply.error);
  CHECK(reply.seq == 3);
  CHECK(reply.post->thread_id == root.id);

  struct Case {
    const char* name;
    domain::NewPost change;
    ErrorKind kind;
    std::string message;
  };
  const std::vector<Case> failures = {
      {"reply to a reply", post(1, 1, "x", reply.id), ErrorKind::bad_request,
       "cannot reply to a reply"},
      {"missing thread", post(1, 1, "x", 999), ErrorKind::not_found, "thread 999 not found"},
      {"thread in another channel", post(2, 1, "x", root.id), ErrorKind::not_found,
       "thread " + std::to_string(root.id) + " not found"},
      {"missing channel", post(9, 1, "x"), ErrorKind::not_found, "channel 9 not found"},
      {"missing author", post(1, 77, "x"), ErrorKind::not_found, "user 77 not found"},
  };
  for (const auto& c : failures) {
    INFO(c.name);
    const auto result = commit(writer, c.change);
    REQUIRE(result.error);
    CHECK(result.error->kind == c.kind);
    CHECK(result.error->message == c.message);
    CHECK_FALSE(result.post);
  }

  // The failures took no seq: the next post is gap-free after the reply.
  const auto next = commit(writer, post(1, 1, "after"));
  CHECK(next.seq == 4);
  CHECK(event_seqs(path, 1) == one_to(4));
  CHECK(event_seqs(path, 2) == one_to(1));

  SqliteReader reader(path);
  const auto thread = reader.thread(root.id);
  REQUIRE(thread);
  CHECK(thread->root.reply_count == 1);
}

TEST_CASE("NewPost with client_id is idempotent per author", "[storage][writer]") {
  TempDir dir;
  const std::string path = dir.file("db");
  SqliteWriter writer({path, true, {}});
  commit(writer, user("u1"));
  commit(writer, user("u2"));
  commit(writer, channel("math", 1));

  const auto first = commit(writer, post(1, 1, "once", std::nullopt, "c-1"));
  REQUIRE_FALSE(first.error);
  CHECK_FALSE(first.duplicate);
  CHECK(first.post->client_id == "c-1");

  auto retry_change = post(1, 1, "once (retried)", std::nullopt, "c-1");
  const auto retry = commit(writer, retry_change);
  REQUIRE_FALSE(retry.error);
  CHECK(retry.duplicate);
  CHECK(retry.id == first.id);
  CHECK(retry.seq == first.seq);
  REQUIRE(retry.post);
  CHECK(retry.post->body == "once");  // the first post, not the retry's text
  CHECK(retry.post->author.handle == "u1");

  const auto other_author = commit(writer, post(1, 2, "mine", std::nullopt, "c-1"));
  REQUIRE_FALSE(other_author.error);
  CHECK_FALSE(other_author.duplicate);
  CHECK(other_author.id != first.id);

  SqliteReader reader(path);
  const auto page = reader.history(1, std::nullopt, std::nullopt, 100);
  CHECK(page.posts.size() == 2);
  CHECK(event_seqs(path, 1) == one_to(3));  // join, first post, other author's post
}

TEST_CASE("a retried post is found in its own batch and after the writer restarts",
          "[storage][writer]") {
  TempDir dir;
  const std::string path = dir.file("db");
  domain::PostId first_id = 0;
  {
    SqliteWriter writer({path, true, {}});
    commit(writer, user("u1"));
    commit(writer, channel("math", 1));
    std::vector<std::future<domain::Committed>> results;
    std::vector<std::promise<domain::Committed>> promises(2);
    for (auto& promise : promises) results.push_back(promise.get_future());
    while_writer_held(writer, [&] {
      for (auto& promise : promises) {
        writer.append(post(1, 1, "sent twice at once", std::nullopt, "c-same"),
                      [&promise](domain::Committed c) { promise.set_value(std::move(c)); });
      }
    });
    const auto first = results[0].get();
    const auto second = results[1].get();
    REQUIRE_FALSE(first.error);
    CHECK_FALSE(first.duplicate);
    CHECK(second.duplicate);
    CHECK(second.id == first.id);
    first_id = first.id;
  }
  SqliteWriter reopened({path, true, {}});
  const auto retry = commit(reopened, post(1, 1, "after a restart", std::nullopt, "c-same"));
  REQUIRE_FALSE(retry.error);
  CHECK(retry.duplicate);
  CHECK(retry.id == first_id);
  SqliteReader reader(path);
  CHECK(reader.history(1, std::nullopt, std::nullopt, 100).posts.size() == 1);
}

TEST_CASE("a post that failed part-way leaves no client_id behind", "[storage][writer]") {
  TempDir dir;
  const std::string path = dir.file("db");
  SqliteWriter writer({path, true, {}});
  commit(writer, user("u1"));
  commit(writer, channel("math", 1));
  // Its row is written before the mention of a missing user fails; the batch runs again with a
  // savepoint per change, which takes the row back. The next post reuses the row's id.
  auto failing = post(1, 1, "mentions nobody", std::nullopt, "c-failed");
  failing.mentions = {404};
  REQUIRE(commit(writer, failing).error);
  const auto other = commit(writer, post(1, 1, "next", std::nullopt, "c-next"));
  REQUIRE_FALSE(other.error);
  const auto again = commit(writer, post(1, 1, "sent again", std::nullopt, "c-failed"));
  REQUIRE_FALSE(again.error);
  CHECK_FALSE(again.duplicate);  // not the other post that took the failed one's id
  CHECK(again.id != other.id);
  CHECK(again.post->body == "sent again");
}

TEST_CASE("a second writer on the same file is refused until the first closes",
          "[storage][writer]") {
  TempDir dir;
  const std::string path = dir.file("db");
  {
    SqliteWriter first({path, true, {}});
    commit(first, user("u1"));
    try {
      SqliteWriter second({path, true, {}});
      FAIL("a second writer opened the file");
    } catch (const StorageError& error) {
      CHECK_THAT(error.what(), Catch::Contains("in use by another staffroom server"));
    }
    CHECK_FALSE(commit(first, channel("math", 1)).error);  // the first goes on
  }
  SqliteWriter reopened({path, true, {}});
  CHECK_FALSE(commit(reopened, channel("science", 1)).error);
}

TEST_CASE("MarkRead moves forward only and never past last_seq", "[storage][writer]") {
  TempDir dir;
  SqliteWriter writer({dir.file("db"), true, {}});
  commit(writer, user("u1"));
  commit(writer, user("u2"));
  commit(writer, channel("math", 1));
  for (int i = 0; i < 4; ++i) commit(writer, post(1, 1, "p"));  // seqs 2..5

  struct Case {
    const char* name;
    domain::MarkRead change;
    bool changed;
    domain::Seq read_seq;
  };
  const std::vector<Case> cases = {
      {"forward", {1, 1, 3}, true, 3},     {"same", {1, 1, 3}, false, 3},
      {"backward", {1, 1, 2}, false, 3},   {"past the end clamps", {1, 1, 50}, true, 5},
      {"at the end", {1, 1, 5}, false, 5},
  };
  for (const auto& c : cases) {
    INFO(c.name);
    const auto result = commit(writer, c.change);
    REQUIRE_FALSE(result.error);
    CHECK(result.changed == c.changed);
    CHECK(result.read_seq == c.read_seq);
    CHECK(result.seq == 0);
  }
  const auto stranger = commit(writer, domain::MarkRead{1, 2, 3});
  REQUIRE(stranger.error);
  CHECK(stranger.error->kind == ErrorKind::not_found);
  CHECK(SqliteReader(dir.file("db")).load().memberships[0].read_seq == 5);
}

TEST_CASE("seqs new posts take are in channels.last_seq before a savepoint and at commit",
          "[storage][writer]") {
  // New posts leave channels.last_seq to be written once per batch. A change in a savepoint
  // (here a read marker, which reads the row in SQL) must find it written, and so must a
  // writer that opens the file next.
  TempDir dir;
  const std::string path = dir.file("db");
  std::vector<domain::Committed> results;
  {
    SqliteWriter writer({path, true, {}});
    commit(writer, user("u1"));
    commit(writer, channel("a", 1));
    results = commit_in_one_batch(
        writer, {post(1, 1, "a"), post(1, 1, "b"), domain::MarkRead{1, 1, 100}, post(1, 1, "c")});
  }
  REQUIRE_FALSE(results[2].error);
  CHECK(results[1].seq == 3);
  CHECK(results[2].changed);
  CHECK(results[2].read_seq == 3);  // clamped to the row's last seq: b's
  CHECK(results[3].seq == 4);
  CHECK(count_of(path, "SELECT last_seq FROM channels WHERE id = 1") == 4);
  CHECK(count_of(path, "SELECT read_seq FROM memberships WHERE channel_id = 1") == 3);

  SqliteWriter next({path, false, {}});
  CHECK(commit(next, post(1, 1, "d")).seq == 5);
  CHECK(event_seqs(path, 1) == one_to(5));
}

TEST_CASE("a failing change does not sink the rest of its batch", "[storage][writer]") {
  TempDir dir;
  const std::string path = dir.file("db");
  BatchLog batches;
  SqliteWriter writer({path, true, batches.hook()});
  commit(writer, user("u1"));
  commit(writer, channel("math", 1));

  const auto results =
      commit_in_one_batch(writer, {post(1, 1, "a"), user("U1") /* conflict */,
                                   post(1, 1, "b", 12345) /* missing thread */, post(1, 1, "c")});

  CHECK_FALSE(results[0].error);
  REQUIRE(results[1].error);
  CHECK(results[1].error->kind == ErrorKind::conflict);
  REQUIRE(results[2].error);
  CHECK(results[2].error->kind == ErrorKind::not_found);
  CHECK_FALSE(results[3].error);
  CHECK(results[0].seq == 2);
  CHECK(results[3].seq == 3);
  writer.stop();
  CHECK(batches.sizes.back() == 4);
  CHECK(bodies(path, 1) == std::vector<std::string>{"a", "c"});
  CHECK(event_seqs(path, 1) == one_to(3));
}

TEST_CASE("a new post that fails part-way fails alone; its batch commits the rest",
          "[storage][writer]") {
  // New posts run without a savepoint. One that throws after taking its seq (here a trigger
  // refuses its row) cannot be undone alone: the writer must run the batch again with a
  // savepoint per change, so the others commit and no seq is lost.
  OneChannel f;
  const auto& path = f.path;
  Connection(path, Connection::Mode::read_write)
      .exec(
          "CREATE TRIGGER refuse_boom BEFORE INSERT ON posts WHEN NEW.body = 'boom' "
          "BEGIN SELECT RAISE(ABORT, 'boom refused'); END");

  const auto results = commit_in_one_batch(
      f.writer, {post(1, 1, "a"), post(1, 1, "boom"), post(1, 1, "c"), user("u3")});
  f.writer.stop();

  CHECK(f.batch_sizes.back() == 4);  // one batch, tried twice, reported once
  CHECK_FALSE(results[0].error);
  REQUIRE(results[1].error);
  CHECK(results[1].error->kind == ErrorKind::internal);
  CHECK(results[1].error->message.find("boom refused") != std::string::npos);
  CHECK_FALSE(results[2].error);
  CHECK_FALSE(results[3].error);
  CHECK(results[0].seq == 2);
  CHECK(results[2].seq == 3);  // the refused post's seq went back
  CHECK(bodies(path, 1) == std::vector<std::string>{"a", "c"});
  CHECK(event_seqs(path, 1) == one_to(3));
  CHECK(count_of(path, "SELECT count(*) FROM users WHERE handle = 'u3'") == 1);
  check_search_index(path);
}

TEST_CASE("a new post whose seq index entry fails after its row fails alone", "[storage][writer]") {
  // The row and its entry in post_seqs_recent are two statements (schema step 9). Here a stray
  // entry already holds seq 3, so the second post's row is written and its entry refused: the
  // batch runs again with a savepoint per change, and that post leaves no row behind.
  OneChannel f;
  const auto& path = f.path;
  {
    Connection stray(path, Connection::Mode::read_write);
    stray.exec("INSERT INTO post_seqs_recent VALUES (1, 3, 999, 1, 0)");
  }

  const auto results =
      commit_in_one_batch(f.writer, {post(1, 1, "a"), post(1, 1, "b"), user("u3")});
  f.writer.stop();

  CHECK(f.batch_sizes.back() == 3);  // one batch, tried twice, reported once
  CHECK_FALSE(results[0].error);
  CHECK(results[0].seq == 2);
  REQUIRE(results[1].error);
  CHECK(results[1].error->kind == ErrorKind::internal);
  CHECK(results[1].error->message.find("post_seqs_recent") != std::string::npos);
  CHECK_FALSE(results[2].error);
  CHECK(bodies(path, 1) == std::vector<std::string>{"a"});
  CHECK(count_of(path, "SELECT count(*) FROM posts WHERE body = 'b'") == 0);
  CHECK(count_of(path, "SELECT count(*) FROM users WHERE handle = 'u3'") == 1);
  Connection check(path, Connection::Mode::read_write);
  auto entries = check.query(
      "SELECT group_concat(seq || '=' || post_id, ' ') FROM "
      "(SELECT seq, post_id FROM post_seqs_recent WHERE channel_id = 1 ORDER BY seq)");
  REQUIRE(entries->step());
  CHECK(entries->column_text(0) == "2=" + std::to_string(results[0].id) + " 3=999");
  check_search_index(path);
}

TEST_CASE("concurrent posters get gap-free, unique seqs per channel", "[storage][writer]") {
  TempDir dir;
  const std::string path = dir.file("db");
  constexpr int threads = 4;
  constexpr int per_thread = 250;
  std::atomic<int> failures{0};
  {
    SqliteWriter writer({path, false, {}});
    commit(writer, user("u1"));
    commit(writer, channel("a", 1));
    commit(writer, channel("b", 1));
    std::vector<std::thread> posters;
    for (int t = 0; t < threads; ++t) {
      posters.emplace_back([&writer, &failures, t] {
        for (int i = 0; i < per_thread; ++i) {
          writer.append(post(1 + (i + t) % 2, 1, std::to_string(t) + ":" + std::to_string(i)),
                        [&failures](domain::Committed committed) {
                          if (committed.error) ++failures;
                        });
        }
      });
    }
    for (auto& poster : posters) poster.join();
  }  // the destructor commits everything appended

  CHECK(failures == 0);
  SqliteReader reader(path);
  std::size_t total = 0;
  for (domain::ChannelId channel = 1; channel <= 2; ++channel) {
    const auto page = reader.history(channel, std::nullopt, std::nullopt, 10000);
    CHECK_FALSE(page.has_more);
    std::vector<domain::Seq> seqs;
    for (const auto& p : page.posts) seqs.push_back(p.seq);
    std::vector<domain::Seq> expected(page.posts.size());
    std::iota(expected.begin(), expected.end(), 2);  // seq 1 is the owner's join
    CHECK(seqs == expected);
    CHECK(event_seqs(path, channel) == one_to(static_cast<domain::Seq>(page.posts.size()) + 1));
    total += page.posts.size();
  }
  CHECK(total == threads * per_thread);
}

TEST_CASE("stop commits everything queued; later appends are refused", "[storage][writer]") {
  TempDir dir;
  const std::string path = dir.file("db");
  SqliteWriter writer({path, true, {}});
  commit(writer, user("u1"));
  CHECK(thread_id_named("db-writer") > 0);  // as `top -H` shows it
  commit(writer, channel("a", 1));
  std::atomic<int> ok{0};
  for (int i = 0; i < 300; ++i) {
    writer.append(post(1, 1, "queued"), [&ok](domain::Committed result) {
      if (!result.error) ++ok;
    });
  }
  writer.stop();
  CHECK(ok == 300);
  CHECK(thread_id_named("db-writer") == -1);
  writer.stop();  // idempotent

  std::optional<domain::Committed> late;
  writer.append(post(1, 1, "late"), [&late](domain::Committed result) { late = result; });
  REQUIRE(late);  // called back at once, on this thread
  REQUIRE(late->error);
  CHECK(late->error->kind == ErrorKind::unavailable);
  CHECK(SqliteReader(path).history(1, std::nullopt, std::nullopt, 1000).posts.size() == 300);
}

TEST_CASE("a throwing callback does not stop the writer", "[storage][writer]") {
  TempDir dir;
  SqliteWriter writer({dir.file("db"), true, {}});
  writer.append(user("u1"), [](domain::Committed) { throw std::runtime_error("careless"); });
  const auto next = commit(writer, user("u2"));
  CHECK_FALSE(next.error);
  CHECK(next.id == 2);
}

TEST_CASE("data survives closing and reopening the file", "[storage][writer]") {
  TempDir dir;
  const std::string path = dir.file("db");
  domain::PostId first_post = 0;
  {
    SqliteWriter writer({path, true, {}});
    commit(writer, user("u1"));
    commit(writer, channel("a", 1));
    first_post = commit(writer, post(1, 1, "before restart")).id;
    commit(writer, domain::NewSession{1, "tok", 5});
  }
  SqliteWriter writer({path, false, {}});
  const auto after = commit(writer, post(1, 1, "after restart", first_post));
  REQUIRE_FALSE(after.error);
  CHECK(after.seq == 3);
  CHECK_FALSE(commit(writer, user("u2")).admin);  // u1 is still the first account

  SqliteReader reader(path);
  const auto snapshot = reader.load();
  CHECK(snapshot.users.size() == 2);
  CHECK(snapshot.sessions.size() == 1);
  CHECK(snapshot.channels.at(0).last_seq == 3);
  const auto thread = reader.thread(first_post);
  REQUIRE(thread);
  CHECK(thread->root.body == "before restart");
  REQUIRE(thread->replies.size() == 1);
  CHECK(thread->replies[0].body == "after restart");
}

TEST_CASE("a batch that cannot start fails as a whole and the writer recovers",
          "[storage][writer][slow]") {
  TempDir dir;
  const std::string path = dir.file("db");
  SqliteWriter writer({path, true, {}});
  commit(writer, user("u1"));
  {
    // Another connection holds the write lock past the writer's 5 s busy timeout.
    Connection blocker(path, Connection::Mode::read_write);
    Transaction hold(blocker, Transaction::Kind::immediate);
    const auto blocked = commit(writer, user("u2"));
    REQUIRE(blocked.error);
    CHECK(blocked.error->kind == ErrorKind::internal);
    CHECK_THAT(blocked.error->message, Catch::Contains("locked"));
  }
  const auto retried = commit(writer, user("u2"));
  REQUIRE_FALSE(retried.error);
  CHECK(retried.id == 2);
}
