// Reads of what happened: the event log replayed for catch-up, mention counts and mention pages.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "storage/database.hpp"
#include "storage/sqlite_reader.hpp"
#include "storage/sqlite_writer.hpp"
#include "storage_fixture.hpp"

using namespace staffroom;
using namespace staffroom::storage;
using namespace staffroom::storage::testing;

TEST_CASE("events_after replays kinds, actors, roles and reactions with current posts",
          "[storage][activity]") {
  // The post at seq 3 is read from post_seqs_recent, post_seqs, or (3) post_seqs while the
  // one at seq 12 is still in post_seqs_recent.
  const domain::Seq settled = GENERATE(0, 3, 100);
  INFO("seq index settled through " << settled);
  TempDir dir;
  const std::string path = dir.file("db");
  domain::PostId p = 0;
  domain::PostId q = 0;
  {
    SqliteWriter writer({path, false, {}});
    for (const char* handle : {"u1", "u2", "u3"}) commit(writer, user(handle));
    commit(writer, channel("a", 1));                                    // 1 member.joined u1
    commit(writer, join(1, 2, domain::Role::member, 1));                // 2 member.joined u2 by u1
    p = commit(writer, post(1, 1, "plan")).id;                          // 3 post.created
    commit(writer, react(p, 2, "👍"));                                   // 4 post.reacted on
    commit(writer, edit(p, "better plan"));                             // 5 post.edited
    commit(writer, domain::SetRole{1, 2, domain::Role::moderator, 6});  // 6 member.updated
    commit(writer, domain::UpdateChannel{1, "New", std::nullopt, std::nullopt, 7});  // 7
    commit(writer, join(1, 3));                        // 8 member.joined u3
    commit(writer, domain::LeaveChannel{1, 3, 9, 1});  // 9 member.left by u1
    commit(writer, react(p, 3, "🎉"));                  // 10 (u3 is not checked)
    commit(writer, react(p, 3, "🎉", false));           // 11 post.reacted off
    q = commit(writer, post(1, 2, "oops")).id;         // 12 post.created
    commit(writer, domain::DeletePost{q, 13});         // 13 post.deleted
    commit(writer, channel("b", 1));
  }
  if (settled > 0) settle_seq_index(path, "seq <= " + std::to_string(settled));
  SqliteReader reader(path);
  const auto events = reader.events_after(1, 0, 1001);
  REQUIRE(events.size() == 13);
  struct Expected {
    const char* kind;
    std::optional<domain::UserId> user;
    std::optional<domain::UserId> actor;
    std::optional<domain::Role> role;
    std::optional<domain::PostId> post;
    std::string emoji;
    bool on;
  };
  using domain::Role;
  const std::vector<Expected> expected = {
      {"member.joined", 1, std::nullopt, Role::owner, std::nullopt, "", false},
      {"member.joined", 2, 1, Role::member, std::nullopt, "", false},
      {"post.created", std::nullopt, std::nullopt, std::nullopt, p, "", false},
      {"post.reacted", 2, std::nullopt, std::nullopt, p, "👍", true},
      {"post.edited", std::nullopt, std::nullopt, std::nullopt, p, "", false},
      {"member.updated", 2, std::nullopt, Role::moderator, std::nullopt, "", false},
      {"channel.updated", std::nullopt, std::nullopt, std::nullopt, std::nullopt, "", false},
      {"member.joined", 3, std::nullopt, Role::member, std::nullopt, "", false},
      {"member.left", 3, 1, std::nullopt, std::nullopt, "", false},
      {"post.reacted", 3, std::nullopt, std::nullopt, p, "🎉", true},
      {"post.reacted", 3, std::nullopt, std::nullopt, p, "🎉", false},
      {"post.created", std::nullopt, std::nullopt, std::nullopt, q, "", false},
      {"post.deleted", std::nullopt, std::nullopt, std::nullopt, q, "", false},
  };
  for (std::size_t i = 0; i < expected.size(); ++i) {
    const auto& event = events[i];
    const auto& want = expected[i];
    INFO("event " << i + 1 << " " << want.kind);
    CHECK(event.channel_id == 1);
    CHECK(event.seq == static_cast<domain::Seq>(i + 1));
    CHECK(event.kind == want.kind);
    CHECK(event.user_id == want.user);
    CHECK(event.actor_id == want.actor);
    CHECK(event.role == want.role);
    CHECK(event.emoji == want.emoji);
    CHECK(event.on == want.on);
    CHECK(event.post.has_value() == want.post.has_value());
    if (event.post && want.post) CHECK(event.post->id == *want.post);
  }
  CHECK(events[6].at == 7);
  // Every post.* event shows the post as it is now, not as it was then.
  for (const std::size_t i : {2, 3, 4, 9, 10}) {
    INFO("event " << i + 1);
    CHECK(events[i].post->body == "better plan");
    CHECK(events[i].post->seq == 3);
    REQUIRE(events[i].post->reactions.size() == 1);
    CHECK(events[i].post->reactions[0].emoji == "👍");
  }
  CHECK(events[11].post->deleted);
  CHECK(events[12].post->body.empty());

  struct Page {
    domain::Seq after;
    int limit;
    std::vector<domain::Seq> seqs;
  };
  const std::vector<Page> pages = {
      {5, 3, {6, 7, 8}}, {11, 10, {12, 13}}, {13, 10, {}}, {0, 0, {}}, {12, 1, {13}},
  };
  for (const auto& page : pages) {
    INFO("after " << page.after << " limit " << page.limit);
    std::vector<domain::Seq> seqs;
    for (const auto& e : reader.events_after(1, page.after, page.limit)) seqs.push_back(e.seq);
    CHECK(seqs == page.seqs);
  }
  CHECK(reader.events_after(2, 0, 10).size() == 1);
  CHECK(reader.events_after(99, 0, 10).empty());
}

TEST_CASE("unread_mentions counts undeleted mentioning posts after a seq", "[storage][activity]") {
  TempDir dir;
  const std::string path = dir.file("db");
  {
    SqliteWriter writer({path, false, {}});
    for (const char* handle : {"u1", "u2", "u3"}) commit(writer, user(handle));
    commit(writer, channel("a", 1));                                              // 1
    commit(writer, join(1, 2));                                                   // 2
    commit(writer, mentioning(post(1, 1, "@u2 hi"), {2}));                        // 3
    commit(writer, post(1, 1, "no one"));                                         // 4
    commit(writer, mentioning(post(1, 1, "@u2 @u3"), {2, 3, 2}));                 // 5: u2 once
    const auto gone = commit(writer, mentioning(post(1, 3, "@u2 bye"), {2})).id;  // 6
    commit(writer, domain::DeletePost{gone, 9});                                  // 7
    commit(writer, mentioning(post(1, 1, "@u2 again"), {2}));                     // 8
    commit(writer, channel("b", 1));
    commit(writer, mentioning(post(2, 1, "@u2 elsewhere"), {2}));
  }
  SqliteReader reader(path);
  struct Case {
    domain::UserId user;
    domain::Seq after;
    std::int64_t count;
  };
  const std::vector<Case> cases = {
      {2, 0, 3}, {2, 2, 3}, {2, 3, 2}, {2, 5, 1}, {2, 8, 0}, {3, 0, 1}, {3, 5, 0}, {1, 0, 0},
  };
  for (const auto& c : cases) {
    INFO("user " << c.user << " after " << c.after);
    CHECK(reader.unread_mentions(1, c.user, c.after) == c.count);
  }
  CHECK(reader.unread_mentions(2, 2, 0) == 1);
  CHECK(reader.unread_mentions(99, 2, 0) == 0);

  Connection connection(path, Connection::Mode::read_only);
  auto plan = connection.query(
      "EXPLAIN QUERY PLAN SELECT COUNT(*) FROM mentions m JOIN posts p ON p.id = m.post_id "
      "WHERE m.channel_id = ?1 AND m.user_id = ?2 AND m.seq > ?3 AND p.deleted = 0");
  std::string details;
  while (plan->step()) details += plan->column_text(3) + "\n";
  CHECK_THAT(details, Catch::Contains("USING INDEX mentions_unread"));
}

TEST_CASE("mentions page newest first, only in the given channels", "[storage][activity]") {
  TempDir dir;
  const std::string path = dir.file("db");
  std::vector<domain::PostId> in_a;
  domain::PostId in_b = 0;
  {
    SqliteWriter writer({path, false, {}});
    for (const char* handle : {"u1", "u2", "u3"}) commit(writer, user(handle));
    commit(writer, channel("a", 1));
    commit(writer, channel("b", 1));
    for (int i = 0; i < 5; ++i) {
      auto change = mentioning(post(1, 1, "@u2 number " + std::to_string(i)), {2});
      change.at = 10 + i;
      in_a.push_back(commit(writer, change).id);
      if (i == 2) in_b = commit(writer, mentioning(post(2, 1, "@u2 in b"), {2})).id;
    }
    commit(writer, mentioning(post(1, 1, "@u3 only"), {3}));
    commit(writer, react(in_a[4], 2, "👍"));
    commit(writer, domain::DeletePost{in_a[1], 99});
  }
  SqliteReader reader(path);
  const auto ids_of = [](const std::vector<domain::Mention>& mentions) {
    std::vector<domain::PostId> posts;
    for (const auto& m : mentions) posts.push_back(m.post.id);
    return posts;
  };

  const auto first = reader.mentions(2, {1, 2}, std::nullopt, 3);
  CHECK(ids_of(first) == std::vector<domain::PostId>{in_a[4], in_a[3], in_b});
  REQUIRE(first.size() == 3);
  CHECK(first[0].id > first[1].id);
  CHECK(first[0].created_at == 14);
  CHECK(first[0].post.channel_id == 1);
  REQUIRE(first[0].post.reactions.size() == 1);
  CHECK(first[0].post.reactions[0].user_ids == std::vector<domain::UserId>{2});
  const auto second = reader.mentions(2, {1, 2}, first.back().id, 3);
  CHECK(ids_of(second) == std::vector<domain::PostId>{in_a[2], in_a[0]});  // in_a[1] deleted
  CHECK(reader.mentions(2, {1, 2}, second.back().id, 3).empty());

  CHECK(ids_of(reader.mentions(2, {2}, std::nullopt, 10)) == std::vector<domain::PostId>{in_b});
  CHECK(ids_of(reader.mentions(2, {1}, std::nullopt, 2)) ==
        std::vector<domain::PostId>{in_a[4], in_a[3]});
  CHECK(reader.mentions(2, {}, std::nullopt, 10).empty());
  CHECK(reader.mentions(2, {1, 2}, std::nullopt, 0).empty());
  CHECK(reader.mentions(2, {7}, std::nullopt, 10).empty());
  CHECK(reader.mentions(3, {1, 2}, std::nullopt, 10).size() == 1);
  CHECK(reader.mentions(1, {1, 2}, std::nullopt, 10).empty());
}
