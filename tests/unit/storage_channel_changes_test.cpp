// The writer's channel changes: role changes and channel updates.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "storage/sqlite_reader.hpp"
#include "storage/sqlite_writer.hpp"
#include "storage_fixture.hpp"

using namespace staffroom;
using namespace staffroom::storage;
using namespace staffroom::storage::testing;
using domain::ErrorKind;

TEST_CASE("SetRole changes a member's role once", "[storage][channels]") {
  Community c;
  const auto promoted = commit(c.writer, domain::SetRole{1, 2, domain::Role::moderator, 7000});
  REQUIRE_FALSE(promoted.error);
  CHECK(promoted.changed);
  CHECK(promoted.seq == 4);
  const auto same = commit(c.writer, domain::SetRole{1, 2, domain::Role::moderator, 7001});
  REQUIRE_FALSE(same.error);
  CHECK_FALSE(same.changed);
  CHECK(same.seq == 0);
  const auto stranger = commit(c.writer, domain::SetRole{2, 3, domain::Role::owner, 7002});
  REQUIRE(stranger.error);
  CHECK(stranger.error->kind == ErrorKind::not_found);
  CHECK(stranger.error->message == "user 3 is not a member of channel 2");

  const auto snapshot = SqliteReader(c.path).load();
  bool found = false;
  for (const auto& m : snapshot.memberships) {
    if (m.channel_id == 1 && m.user_id == 2) {
      found = true;
      CHECK(m.role == domain::Role::moderator);
    }
  }
  CHECK(found);
  CHECK(c.gap_free(1));
  CHECK(c.gap_free(2));
}

TEST_CASE("UpdateChannel sets the given fields and reports the channel", "[storage][channels]") {
  Community c;
  struct Step {
    const char* name;
    domain::UpdateChannel change;
    bool changed;
    std::string title;
    std::string description;
    bool archived;
  };
  const std::vector<Step> steps = {
      {"nothing given",
       {1, std::nullopt, std::nullopt, std::nullopt, 1},
       false,
       "Title a",
       "About a",
       false},
      {"same title", {1, "Title a", std::nullopt, false, 2}, false, "Title a", "About a", false},
      {"new title",
       {1, "Grade 4 math", std::nullopt, std::nullopt, 3},
       true,
       "Grade 4 math",
       "About a",
       false},
      {"description and archive",
       {1, std::nullopt, "Old", true, 4},
       true,
       "Grade 4 math",
       "Old",
       true},
      {"unarchive", {1, std::nullopt, std::nullopt, false, 5}, true, "Grade 4 math", "Old", false},
  };
  domain::Seq expected_seq = 3;
  for (const Step& step : steps) {
    INFO(step.name);
    const auto result = commit(c.writer, step.change);
    REQUIRE_FALSE(result.error);
    CHECK(result.changed == step.changed);
    if (step.changed) ++expected_seq;
    CHECK(result.seq == (step.changed ? expected_seq : 0));
    REQUIRE(result.channel);
    CHECK(result.channel->id == 1);
    CHECK(result.channel->slug == "a");
    CHECK(result.channel->title == step.title);
    CHECK(result.channel->description == step.description);
    CHECK(result.channel->archived == step.archived);
    CHECK(result.channel->last_seq == expected_seq);
  }
  commit(c.writer, domain::UpdateChannel{2, std::nullopt, std::nullopt, true, 6});
  const auto snapshot = SqliteReader(c.path).load();
  REQUIRE(snapshot.channels.size() == 2);
  CHECK_FALSE(snapshot.channels[0].archived);
  CHECK(snapshot.channels[0].title == "Grade 4 math");
  CHECK(snapshot.channels[1].archived);

  const auto missing =
      commit(c.writer, domain::UpdateChannel{9, "x", std::nullopt, std::nullopt, 7});
  REQUIRE(missing.error);
  CHECK(missing.error->kind == ErrorKind::not_found);
  CHECK(missing.error->message == "channel 9 not found");
  CHECK(c.gap_free(1));
  CHECK(c.gap_free(2));
}
