// The writer's post changes: edits with versions, deletion, reactions, and gap-free seqs.
#include <catch2/catch.hpp>

#include <numeric>
#include <string>
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

using Reactions = std::vector<std::pair<std::string, std::vector<domain::UserId>>>;

Reactions reactions_of(const domain::Post& post) {
  Reactions out;
  for (const auto& r : post.reactions) out.emplace_back(r.emoji, r.user_ids);
  return out;
}

}  // namespace

TEST_CASE("EditPost keeps earlier bodies as versions and takes a new seq", "[storage][posts]") {
  Community c;
  const auto created = commit(c.writer, post(1, 2, "first draft"));
  const domain::PostId id = created.id;
  REQUIRE(created.seq == 4);

  const auto edited = commit(c.writer, edit(id, "second draft", 4000));
  REQUIRE_FALSE(edited.error);
  CHECK(edited.changed);
  CHECK(edited.seq == 5);
  CHECK(edited.id == id);
  REQUIRE(edited.post);
  CHECK(edited.post->seq == 4);  // a post keeps the seq of its creation
  CHECK(edited.post->body == "second draft");
  CHECK(edited.post->html == "<p>second draft</p>\n");
  CHECK(edited.post->edited_at == 4000);
  CHECK(edited.post->author.handle == "u2");

  const auto same = commit(c.writer, edit(id, "second draft", 4500));
  REQUIRE_FALSE(same.error);
  CHECK_FALSE(same.changed);
  CHECK(same.seq == 0);
  REQUIRE(same.post);
  CHECK(same.post->edited_at == 4000);

  CHECK(commit(c.writer, edit(id, "third", 5000)).seq == 6);

  SqliteReader reader(c.path);
  const auto versions = reader.versions(id);
  REQUIRE(versions.size() == 2);
  CHECK(versions[0].body == "first draft");
  CHECK(versions[0].html == "<p>first draft</p>\n");
  CHECK(versions[0].written_at == 3000);  // created
  CHECK(versions[1].body == "second draft");
  CHECK(versions[1].written_at == 4000);  // the first edit
  CHECK(reader.versions(9999).empty());
  const auto now = reader.post(id);
  REQUIRE(now);
  CHECK(now->body == "third");
  CHECK(now->edited_at == 5000);

  const auto gone = commit(c.writer, domain::DeletePost{id, 6000});
  REQUIRE_FALSE(gone.error);
  struct Case {
    const char* name;
    domain::PostId post;
  };
  for (const Case& failing : {Case{"missing post", 9999}, Case{"deleted post", id}}) {
    INFO(failing.name);
    const auto result = commit(c.writer, edit(failing.post, "again"));
    REQUIRE(result.error);
    CHECK(result.error->kind == ErrorKind::not_found);
    CHECK(result.error->message == "post " + std::to_string(failing.post) + " not found");
    CHECK_FALSE(result.post);
  }
  CHECK(c.gap_free(1));
  check_search_index(c.path);
}

TEST_CASE("DeletePost leaves a tombstone and takes the words with it", "[storage][posts]") {
  Community c;
  const auto root = commit(c.writer, mentioning(post(1, 1, "secret plans for u2"), {2})).id;
  const auto reply = commit(c.writer, post(1, 2, "keep this", root)).id;
  commit(c.writer, edit(root, "secret plans for u2, revised"));
  commit(c.writer, react(root, 2, "👍"));

  const auto deleted = commit(c.writer, domain::DeletePost{root, 6000});
  REQUIRE_FALSE(deleted.error);
  CHECK(deleted.changed);
  CHECK(deleted.seq == 8);
  REQUIRE(deleted.post);
  CHECK(deleted.post->deleted);
  CHECK(deleted.post->body.empty());
  CHECK(deleted.post->html.empty());
  CHECK(deleted.post->reactions.empty());
  CHECK(deleted.post->seq == 4);
  CHECK(deleted.post->reply_count == 1);

  check_search_index(c.path);  // the indexer's rounds take the words out
  SqliteReader reader(c.path);
  CHECK(reader.versions(root).empty());
  CHECK(reader.search({"secret"}, {1}, 10).empty());
  CHECK(reader.search({"revised"}, {1}, 10).empty());
  CHECK(reader.mentions(2, {1}, std::nullopt, 10).empty());
  CHECK(reader.unread_mentions(1, 2, 0) == 0);
  const auto thread = reader.thread(reply);
  REQUIRE(thread);
  CHECK(thread->root.deleted);
  CHECK(thread->root.reply_count == 1);  // replies stay, and so does their count
  REQUIRE(thread->replies.size() == 1);
  CHECK(thread->replies[0].body == "keep this");

  const auto again = commit(c.writer, domain::DeletePost{root, 7000});
  REQUIRE_FALSE(again.error);
  CHECK_FALSE(again.changed);
  CHECK(again.seq == 0);
  REQUIRE(again.post);
  CHECK(again.post->deleted);

  const auto missing = commit(c.writer, domain::DeletePost{9999, 7000});
  REQUIRE(missing.error);
  CHECK(missing.error->kind == ErrorKind::not_found);
  const auto react_to_tombstone = commit(c.writer, react(root, 3, "🎉"));
  REQUIRE(react_to_tombstone.error);
  CHECK(react_to_tombstone.error->kind == ErrorKind::not_found);

  CHECK(c.last_seq(1) == 8);
  CHECK(c.gap_free(1));
  check_search_index(c.path);
}

TEST_CASE("ReactToPost: emojis in the order first used, users in the order they reacted",
          "[storage][posts]") {
  Community c;
  const domain::PostId id = commit(c.writer, post(1, 1, "react to me")).id;
  struct Step {
    domain::UserId user;
    const char* emoji;
    bool on;
    bool changed;
    Reactions after;
  };
  const std::vector<Step> steps = {
      {2, "👍", true, true, {{"👍", {2}}}},
      {3, "🎉", true, true, {{"👍", {2}}, {"🎉", {3}}}},
      {1, "👍", true, true, {{"👍", {2, 1}}, {"🎉", {3}}}},
      {1, "👍", true, false, {{"👍", {2, 1}}, {"🎉", {3}}}},   // already there
      {3, "👍", false, false, {{"👍", {2, 1}}, {"🎉", {3}}}},  // never there
      // 👍 keeps its first place while anyone still has it, though u2 who started it left.
      {2, "👍", false, true, {{"👍", {1}}, {"🎉", {3}}}},
      {1, "👍", false, true, {{"🎉", {3}}}},  // no users left: the emoji goes, and its place
      {2, "👍", true, true, {{"🎉", {3}}, {"👍", {2}}}},
      {1, "🎉", true, true, {{"🎉", {3, 1}}, {"👍", {2}}}},
  };
  domain::Seq expected_seq = c.last_seq(1);
  domain::Timestamp at = 5000;
  for (std::size_t i = 0; i < steps.size(); ++i) {
    const Step& step = steps[i];
    INFO("step " << i);
    const auto result = commit(c.writer, react(id, step.user, step.emoji, step.on, ++at));
    REQUIRE_FALSE(result.error);
    CHECK(result.changed == step.changed);
    if (step.changed) ++expected_seq;
    CHECK(result.seq == (step.changed ? expected_seq : 0));
    REQUIRE(result.post);
    CHECK(reactions_of(*result.post) == step.after);
  }
  SqliteReader reader(c.path);
  const Reactions final_state = steps.back().after;
  CHECK(reactions_of(*reader.post(id)) == final_state);
  const auto page = reader.history(1, std::nullopt, std::nullopt, 10);
  REQUIRE(page.posts.size() == 1);
  CHECK(reactions_of(page.posts[0]) == final_state);
  CHECK(reactions_of(reader.thread(id)->root) == final_state);

  struct Failure {
    const char* name;
    domain::ReactToPost change;
    std::string message;
  };
  const std::vector<Failure> failures = {
      {"missing post", react(9999, 1, "👍"), "post 9999 not found"},
      {"missing user", react(id, 42, "👍"), "user 42 not found"},
  };
  for (const auto& failure : failures) {
    INFO(failure.name);
    const auto result = commit(c.writer, failure.change);
    REQUIRE(result.error);
    CHECK(result.error->kind == ErrorKind::not_found);
    CHECK(result.error->message == failure.message);
  }
  CHECK(c.last_seq(1) == expected_seq);
  CHECK(c.gap_free(1));
}

TEST_CASE("seqs stay gap-free across every kind of change, failures and no-ops included",
          "[storage][posts]") {
  Community c;
  const auto a = commit(c.writer, post(1, 1, "alpha")).id;
  const auto b = commit(c.writer, post(1, 2, "beta", a)).id;
  const std::vector<domain::Change> changes = {
      edit(a, "alpha two"),
      edit(a, "alpha two"),
      edit(9999, "x"),
      react(b, 3, "👍"),
      react(b, 3, "👍"),
      react(b, 3, "👍", false),
      domain::DeletePost{b, 1},
      domain::DeletePost{b, 2},
      edit(b, "zombie"),
      domain::SetRole{1, 3, domain::Role::moderator, 3},
      post(1, 3, "gamma"),
      domain::UpdateChannel{1, "T", std::nullopt, std::nullopt, 4},
      domain::LeaveChannel{1, 3, 5, 1},
      mentioning(post(1, 2, "@u1"), {1}),
  };
  std::vector<domain::Seq> taken;
  for (const auto& change : changes) {
    const auto result = commit(c.writer, change);
    if (result.seq != 0 && !result.duplicate) taken.push_back(result.seq);
  }
  std::vector<domain::Seq> expected(taken.size());
  std::iota(expected.begin(), expected.end(), 6);
  CHECK(taken == expected);
  CHECK(c.last_seq(1) == 5 + static_cast<domain::Seq>(taken.size()));
  CHECK(c.gap_free(1));
  check_search_index(c.path);
}

TEST_CASE("a change that fails half-way leaves no trace in the search index", "[storage][posts]") {
  Community c;
  // The post row is written before the mention of a missing user fails its foreign key; the
  // savepoint takes it back, so the indexer never sees it.
  const auto failed = commit(c.writer, mentioning(post(1, 1, "phantom words"), {2, 404}));
  REQUIRE(failed.error);
  CHECK(failed.error->kind == ErrorKind::internal);
  const auto next = commit(c.writer, post(1, 1, "real words"));
  REQUIRE_FALSE(next.error);
  CHECK(next.seq == 4);
  check_search_index(c.path);
  SqliteReader reader(c.path);
  CHECK(reader.search({"phantom"}, {1}, 10).empty());
  CHECK(reader.search({"real"}, {1}, 10).size() == 1);
  CHECK(reader.unread_mentions(1, 2, 0) == 0);
  CHECK(c.gap_free(1));
  check_search_index(c.path);
}
