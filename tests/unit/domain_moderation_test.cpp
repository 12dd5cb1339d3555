// Domain rules of the complete channel: roles, invitations, archive, edits, deletes,
// reactions, mentions and catch-up.
#include <catch2/catch.hpp>

#include "support/domain_world.hpp"

using namespace staffroom::domain;
using staffroom::testing::call;
using staffroom::testing::World;

namespace {

Result<MemberInfo> invite(World& w, UserId by, ChannelId c, UserId who) {
  return call<MemberInfo>([&](auto done) { w.membership.invite(by, c, who, done); });
}

Result<MemberInfo> set_role(World& w, UserId by, ChannelId c, UserId who, Role role) {
  return call<MemberInfo>([&](auto done) { w.membership.set_role(by, c, who, role, done); });
}

}  // namespace

TEST_CASE("private channels are joined by invitation from owners and moderators", "[domain]") {
  World w;
  const auto ana = w.add("ana"), ben = w.add("ben"), cy = w.add("cy");
  const auto secret = w.channel(ana, "leads", Visibility::private_);
  CHECK(invite(w, ben, secret, cy).error().kind == ErrorKind::not_found);  // ben can't see it
  auto invited = invite(w, ana, secret, ben);
  REQUIRE(invited.ok());
  CHECK(invited.value().role == Role::member);
  CHECK(w.notifier.events.back().kind == "member.joined");
  CHECK(w.notifier.events.back().seq == 2);
  CHECK(invite(w, ben, secret, cy).error().kind == ErrorKind::forbidden);  // members can't
  REQUIRE(set_role(w, ana, secret, ben, Role::moderator).ok());
  CHECK(w.notifier.events.back().kind == "member.updated");
  REQUIRE(invite(w, ben, secret, cy).ok());  // moderators can
  CHECK(invite(w, ana, secret, 999).error().kind == ErrorKind::not_found);
}

TEST_CASE("removal follows rank; the last owner cannot step down", "[domain]") {
  World w;
  const auto ana = w.add("ana"), ben = w.add("ben"), cy = w.add("cy");
  const auto c = w.channel(ana, "math");
  REQUIRE(w.join(ben, c).ok());
  REQUIRE(w.join(cy, c).ok());
  REQUIRE(set_role(w, ana, c, ben, Role::moderator).ok());
  auto remove = [&](UserId by, UserId who) {
    return call<ChannelInfo>([&](auto done) { w.membership.remove(by, c, who, done); });
  };
  CHECK(remove(cy, ben).error().kind == ErrorKind::forbidden);   // a member removes no one
  CHECK(remove(ben, ana).error().kind == ErrorKind::forbidden);  // a moderator can't remove owners
  REQUIRE(remove(ben, cy).ok());
  CHECK(w.notifier.events.back().kind == "member.left");
  CHECK_FALSE(w.directory.role(c, cy).has_value());
  CHECK(set_role(w, ben, c, ben, Role::owner).error().kind == ErrorKind::forbidden);
  CHECK(set_role(w, ana, c, ana, Role::member).error().kind == ErrorKind::conflict);
  REQUIRE(set_role(w, ana, c, ben, Role::owner).ok());
  CHECK(set_role(w, ana, c, ana, Role::member).ok());  // now there is another owner
}

TEST_CASE("archived channels are read-only and hidden from the default list", "[domain]") {
  World w;
  const auto ana = w.add("ana"), ben = w.add("ben");
  const auto c = w.channel(ana, "old-unit");
  REQUIRE(w.join(ben, c).ok());
  auto archive = [&](UserId by, bool on) {
    return call<ChannelInfo>([&](auto done) { w.community.archive(by, c, on, done); });
  };
  CHECK(archive(ben, true).error().kind == ErrorKind::forbidden);
  REQUIRE(archive(ana, true).ok());
  CHECK(w.notifier.events.back().kind == "channel.updated");
  CHECK(w.post(ben, c, "still here").error().kind == ErrorKind::forbidden);
  auto list = [&](bool archived) {
    return call<std::vector<ChannelInfo>>(
               [&](auto done) { w.community.list_channels(ben, archived, done); })
        .value();
  };
  CHECK(list(false).empty());
  CHECK(list(true).size() == 1);
  REQUIRE(archive(ana, false).ok());
  CHECK(w.post(ben, c, "back").ok());
}

TEST_CASE("only authors edit; authors and moderators delete; reactions toggle", "[domain]") {
  World w;
  const auto ana = w.add("ana"), ben = w.add("ben");
  const auto c = w.channel(ana, "math");
  REQUIRE(w.join(ben, c).ok());
  const auto p = w.post(ben, c, "first try").value().post.id;
  auto edit = [&](UserId u, std::string body) {
    return call<Post>([&](auto done) { w.posts.edit(u, p, body, "<p>" + body + "</p>", done); });
  };
  CHECK(edit(ana, "not mine").error().kind == ErrorKind::forbidden);
  auto edited = edit(ben, "second try");
  REQUIRE(edited.ok());
  CHECK(edited.value().seq == 3);  // a post keeps its creation seq
  CHECK(w.notifier.events.back().kind == "post.edited");
  CHECK(w.notifier.events.back().seq == 4);
  auto versions =
      call<std::vector<PostVersion>>([&](auto done) { w.posts.versions(ana, p, done); });
  REQUIRE(versions.ok());  // ana owns the channel, so she moderates it
  REQUIRE(versions.value().size() == 1);
  CHECK(versions.value()[0].body == "first try");

  auto react = [&](UserId u, bool on) {
    return call<Post>([&](auto done) { w.posts.react(u, p, "👍", on, done); });
  };
  REQUIRE(react(ana, true).ok());
  const auto events = w.notifier.events.size();
  auto again = react(ana, true);  // already there: no change, no event
  REQUIRE(again.ok());
  CHECK(again.value().reactions.size() == 1);
  CHECK(w.notifier.events.size() == events);
  CHECK(react(ana, false).value().reactions.empty());

  auto removed = call<Post>([&](auto done) { w.posts.remove(ana, p, done); });
  REQUIRE(removed.ok());
  CHECK(removed.value().deleted);
  CHECK(w.notifier.events.back().kind == "post.deleted");
  CHECK(edit(ben, "too late").error().kind == ErrorKind::not_found);
}

TEST_CASE("mentions reach members only, never the author or outsiders", "[domain]") {
  World w;
  const auto ana = w.add("ana"), ben = w.add("ben"), cy = w.add("cy");
  const auto c = w.channel(ana, "leads", Visibility::private_);
  REQUIRE(invite(w, ana, c, ben).ok());
  auto posted = call<PostCreated>([&](auto done) {
    w.posts.create(ana, PostInput{c, "hi", "<p>hi</p>", {}, {}, {"ben", "cy", "ana", "nobody"}},
                   done);
  });
  REQUIRE(posted.ok());
  std::vector<UserId> told;
  for (const auto& e : w.notifier.events) {
    if (e.kind == "mention") told.push_back(e.subject);
  }
  CHECK(told == std::vector<UserId>{ben});
  auto page = call<MentionPage>([&](auto done) { w.posts.mentions(ben, {}, 10, done); });
  REQUIRE(page.ok());
  REQUIRE(page.value().mentions.size() == 1);
  CHECK(page.value().mentions[0].post.id == posted.value().post.id);
  (void)cy;
}

TEST_CASE("resume replays the log after a seq, resets past 1,000 and for non-members", "[domain]") {
  World w;
  const auto ana = w.add("ana"), ben = w.add("ben");
  const auto c = w.channel(ana, "math");
  const auto other = w.channel(ana, "science");
  REQUIRE(w.join(ben, c).ok());
  w.post(ana, c, "one");
  w.post(ana, c, "two");
  auto plan = call<ResumePlan>([&](auto done) {
    w.catch_up.resume(ben, {{c, 2}, {other, 0}}, done);
  });
  REQUIRE(plan.ok());
  REQUIRE(plan.value().channels.size() == 1);
  const auto& replay = plan.value().channels[0];
  REQUIRE(replay.events.size() == 2);
  CHECK(replay.events[0].event.seq == 3);
  CHECK(replay.events[1].event.seq == 4);
  CHECK(replay.up_to == 4);
  CHECK(plan.value().reset == std::vector<ChannelId>{other});

  for (int i = 0; i < CatchUp::kMaxReplay; ++i) w.post(ana, c, "more");
  plan = call<ResumePlan>([&](auto done) { w.catch_up.resume(ben, {{c, 2}}, done); });
  CHECK(plan.value().channels.empty());
  CHECK(plan.value().reset == std::vector<ChannelId>{c});
}

namespace {

/// A read lane that runs its jobs in reverse order when flushed, as a pool of reading threads
/// may finish them.
class ReversingLane final : public ReadLane {
 public:
  explicit ReversingLane(Reader& reader) : reader_(reader) {}
  void post(std::function<void(Reader&)> job) override { jobs_.push_back(std::move(job)); }
  void flush() {
    while (!jobs_.empty()) {
      auto job = std::move(jobs_.back());
      jobs_.pop_back();
      job(reader_);
    }
  }

 private:
  Reader& reader_;
  std::vector<std::function<void(Reader&)>> jobs_;
};

}  // namespace

TEST_CASE("edits and reactions reach storage in arrival order even when reads finish out of order",
          "[domain]") {
  World w;
  const auto ana = w.add("ana");
  const auto c = w.channel(ana, "math");
  const auto p = w.post(ana, c, "toggle me").value().post.id;
  ReversingLane unordered(w.store);
  PostService posts{w.directory, w.accounts, w.store,    w.lane,           unordered,
                    w.lane,      w.clock,    w.notifier, RateLimiter(0, 1)};
  std::vector<bool> ok;
  posts.react(ana, p, "👍", true, [&](Result<Post> r) { ok.push_back(r.ok()); });
  posts.react(ana, p, "👍", false, [&](Result<Post> r) { ok.push_back(r.ok()); });
  unordered.flush();
  CHECK(ok == std::vector<bool>{true, true});
  // Applied on then off: the post ends without the reaction, and both changes took a seq.
  CHECK(w.store.post(p)->reactions.empty());
  CHECK(w.directory.find(c)->last_seq == 4);
}
