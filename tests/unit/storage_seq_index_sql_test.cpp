// The seq index's reads: each half sought by key and merged in order, never a scan of a
// channel's whole history or of the posts; and, after the writer's sweeps, every post once.
#include <catch2/catch.hpp>

#include <algorithm>
#include <optional>
#include <string>
#include <vector>

#include "storage/database.hpp"
#include "storage/post_seq_sweep.hpp"
#include "storage/seq_index_sql.hpp"
#include "storage/sqlite_reader.hpp"
#include "storage/sqlite_writer.hpp"
#include "storage_fixture.hpp"

using namespace staffroom;
using namespace staffroom::storage;
using namespace staffroom::storage::testing;

namespace {

std::vector<std::string> plan(Connection& connection, const std::string& sql) {
  auto query = connection.query("EXPLAIN QUERY PLAN " + sql);
  std::vector<std::string> details;
  while (query->step()) details.push_back(query->column_text(3));
  return details;
}

std::size_t count(const std::vector<std::string>& details, const std::string& line) {
  return static_cast<std::size_t>(std::count(details.begin(), details.end(), line));
}

bool mentions(const std::vector<std::string>& details, const std::string& part) {
  return std::any_of(details.begin(), details.end(),
                     [&](const std::string& d) { return d.find(part) != std::string::npos; });
}

}  // namespace

TEST_CASE("seq index reads seek both tables by key and merge them", "[storage][seq_index]") {
  MigratedFile file(1);
  SECTION("a history page, either way") {
    for (const bool forward : {true, false}) {
      const auto details = plan(file.connection, seq_index_sql::history_page(forward));
      INFO(Catch::Detail::stringify(details));
      CHECK(count(details, "SEARCH s USING PRIMARY KEY (channel_id=? AND seq>? AND seq<?)") == 2);
      CHECK(count(details, "MERGE (UNION ALL)") == 1);
      CHECK(count(details, "SEARCH p USING INTEGER PRIMARY KEY (rowid=?)") == 1);
      CHECK_FALSE(mentions(details, "SCAN s"));
      CHECK_FALSE(mentions(details, "SCAN p"));
    }
  }
  SECTION("the unread count, without reading posts") {
    const auto details = plan(file.connection, seq_index_sql::unread_count());
    INFO(Catch::Detail::stringify(details));
    CHECK(count(details, "SEARCH s USING PRIMARY KEY (channel_id=? AND seq>?)") == 2);
    CHECK_FALSE(mentions(details, " p "));
    CHECK_FALSE(mentions(details, "posts"));
  }
  SECTION("the event log, with posts' creations from the index") {
    const auto details = plan(file.connection, seq_index_sql::events_after());
    INFO(Catch::Detail::stringify(details));
    CHECK(count(details, "SEARCH events USING PRIMARY KEY (channel_id=? AND seq>?)") == 1);
    CHECK(count(details, "SEARCH s USING PRIMARY KEY (channel_id=? AND seq>?)") == 2);
    CHECK(count(details, "MERGE (UNION ALL)") == 2);
    // In key order as they come: no sort of a channel's whole log.
    CHECK_FALSE(mentions(details, "TEMP B-TREE"));
    CHECK_FALSE(mentions(details, "SCAN"));
  }
}

TEST_CASE("the writer sweeps the seq index and reads see every post once", "[storage][seq_sweep]") {
  TempDir dir;
  const std::string path = dir.file("db");
  constexpr int kChannels = 7;
  constexpr int kPosts = 2600;  // over twice PostSeqSweep::kSweepAt
  {
    SqliteWriter writer({path, false, {}});
    commit(writer, user("u1"));
    commit(writer, user("u2"));
    for (int c = 1; c <= kChannels; ++c) commit(writer, channel("c" + std::to_string(c), 1));
    for (int i = 0; i < kPosts; ++i) {
      REQUIRE_FALSE(commit(writer, post(1 + i % kChannels, 1 + i % 2, "p")).error);
    }
  }
  Connection connection(path, Connection::Mode::read_only);
  auto count = [&](const std::string& sql) {
    auto query = connection.query(sql);
    return query->step() ? query->column_int64(0) : -1;
  };
  const auto settled = count("SELECT COUNT(*) FROM post_seqs");
  const auto recent = count("SELECT COUNT(*) FROM post_seqs_recent");
  CHECK(settled + recent == kPosts);
  // One post a batch: a sweep starts at kSweepAt waiting and moves them all before more come.
  CHECK(recent < static_cast<std::int64_t>(PostSeqSweep::kSweepAt));
  CHECK(settled > 0);

  SqliteReader reader(path);
  for (domain::ChannelId c = 1; c <= kChannels; ++c) {
    INFO("channel " << c);
    // Seq 1 is the owner's join; posts follow from seq 2, in both directions and pages.
    const auto last = reader.load().channels[static_cast<std::size_t>(c - 1)].last_seq;
    std::vector<domain::Seq> forward;
    std::optional<domain::Seq> after = 1;
    for (int pages = 0; pages < 100; ++pages) {
      const auto page = reader.history(c, after, std::nullopt, 50);
      for (const auto& p : page.posts) forward.push_back(p.seq);
      if (!page.has_more) break;
      after = page.posts.back().seq;
    }
    std::vector<domain::Seq> expected;
    for (domain::Seq seq = 2; seq <= last; ++seq) expected.push_back(seq);
    CHECK(forward == expected);
    std::vector<domain::Seq> backward;
    std::optional<domain::Seq> before;
    for (int pages = 0; pages < 100; ++pages) {
      const auto page = reader.history(c, std::nullopt, before, 37);
      for (auto p = page.posts.rbegin(); p != page.posts.rend(); ++p) backward.push_back(p->seq);
      if (!page.has_more) break;
      before = page.posts.front().seq;
    }
    CHECK(std::vector<domain::Seq>(backward.rbegin(), backward.rend()) == expected);
    std::vector<domain::Seq> logged;
    for (const auto& event : reader.events_after(c, 1, 100000)) logged.push_back(event.seq);
    CHECK(logged == expected);
    // u2 wrote every other post; u1 counts u2's posts as unread.
    const auto by_u2 = count("SELECT COUNT(*) FROM posts WHERE author_id = 2 AND channel_id = " +
                             std::to_string(c));
    CHECK(reader.unread(c, 1, 0) == by_u2);
  }
}
