// Domain rules of channels and posts, against the in-memory store and a fake clock.
#include <catch2/catch.hpp>

#include "support/domain_world.hpp"

using namespace staffroom;
using namespace staffroom::domain;
using staffroom::testing::call;
using staffroom::testing::World;

TEST_CASE("creating a channel makes the creator its owner with seq 1", "[domain]") {
  World w;
  const auto ana = w.add("ana");
  const auto id = w.channel(ana, "math");
  REQUIRE(w.directory.role(id, ana) == Role::owner);
  REQUIRE(w.notifier.events.size() == 1);
  CHECK(w.notifier.events[0].kind == "member.joined");
  CHECK(w.notifier.events[0].seq == 1);
  CHECK(w.notifier.events[0].recipients == std::vector<UserId>{ana});

  auto again = call<ChannelInfo>([&](auto done) {
    w.community.create_channel(ana, ChannelInput{"math", "Other", "", Visibility::public_}, done);
  });
  REQUIRE_FALSE(again.ok());
  CHECK(again.error().kind == ErrorKind::conflict);
}

TEST_CASE("joining takes the next seq and tells every member; a second join is a no-op",
          "[domain]") {
  World w;
  const auto ana = w.add("ana");
  const auto ben = w.add("ben");
  const auto id = w.channel(ana, "math");
  auto joined = w.join(ben, id);
  REQUIRE(joined.ok());
  CHECK(joined.value().member);
  CHECK(joined.value().member_count == 2);
  REQUIRE(w.notifier.events.back().kind == "member.joined");
  CHECK(w.notifier.events.back().seq == 2);
  CHECK(w.notifier.events.back().recipients == std::vector<UserId>{ana, ben});

  const auto events_before = w.notifier.events.size();
  REQUIRE(w.join(ben, id).ok());
  CHECK(w.notifier.events.size() == events_before);
}

TEST_CASE("private channels do not exist for non-members", "[domain]") {
  World w;
  const auto ana = w.add("ana");
  const auto ben = w.add("ben");
  const auto secret = w.channel(ana, "staff-only", Visibility::private_);

  SECTION("join") { CHECK(w.join(ben, secret).error().kind == ErrorKind::not_found); }
  SECTION("post") { CHECK(w.post(ben, secret, "hi").error().kind == ErrorKind::not_found); }
  SECTION("history") {
    auto r = call<HistoryPage>([&](auto done) { w.posts.history(ben, secret, {}, {}, 50, done); });
    CHECK(r.error().kind == ErrorKind::not_found);
  }
  SECTION("thread") {
    const auto root = w.post(ana, secret, "minutes").value().post.id;
    auto r = call<Thread>([&](auto done) { w.posts.thread(ben, root, done); });
    CHECK(r.error().kind == ErrorKind::not_found);
  }
  SECTION("list") {
    auto r = call<std::vector<ChannelInfo>>(
        [&](auto done) { w.community.list_channels(ben, false, done); });
    REQUIRE(r.ok());
    CHECK(r.value().empty());
    auto mine = call<std::vector<ChannelInfo>>(
        [&](auto done) { w.community.list_channels(ana, false, done); });
    CHECK(mine.value().size() == 1);
  }
}

TEST_CASE("only members post; a visible channel says forbidden, not not_found", "[domain]") {
  World w;
  const auto ana = w.add("ana");
  const auto ben = w.add("ben");
  const auto id = w.channel(ana, "math");
  CHECK(w.post(ben, id, "hello").error().kind == ErrorKind::forbidden);
  REQUIRE(w.join(ben, id).ok());
  auto posted = w.post(ben, id, "hello");
  REQUIRE(posted.ok());
  CHECK(posted.value().post.seq == 3);
  CHECK(w.notifier.events.back().kind == "post.created");
  CHECK(w.notifier.events.back().recipients == std::vector<UserId>{ana, ben});
}

TEST_CASE("a retried client_id returns the first post and emits nothing", "[domain]") {
  World w;
  const auto ana = w.add("ana");
  const auto id = w.channel(ana, "math");
  auto first = w.post(ana, id, "once", {}, "c-1");
  const auto events = w.notifier.events.size();
  auto retry = w.post(ana, id, "once", {}, "c-1");
  REQUIRE(retry.ok());
  CHECK(retry.value().duplicate);
  CHECK(retry.value().post.id == first.value().post.id);
  CHECK(w.notifier.events.size() == events);
}

TEST_CASE("leaving tells the remaining members and the leaver, then posting is refused",
          "[domain]") {
  World w;
  const auto ana = w.add("ana");
  const auto ben = w.add("ben");
  const auto id = w.channel(ana, "math");
  REQUIRE(w.join(ben, id).ok());
  auto left = call<ChannelInfo>([&](auto done) { w.membership.leave(ben, id, done); });
  REQUIRE(left.ok());
  CHECK_FALSE(left.value().member);
  CHECK(w.notifier.events.back().kind == "member.left");
  CHECK(w.notifier.events.back().seq == 3);
  CHECK(w.notifier.events.back().recipients == std::vector<UserId>{ana, ben});
  CHECK(w.post(ben, id, "still here?").error().kind == ErrorKind::forbidden);
}

TEST_CASE("unread counts others' posts after the read marker; channel.read clears it", "[domain]") {
  World w;
  const auto ana = w.add("ana");
  const auto ben = w.add("ben");
  const auto id = w.channel(ana, "math");
  REQUIRE(w.join(ben, id).ok());
  w.post(ana, id, "one");
  w.post(ana, id, "two");
  w.post(ben, id, "mine");
  auto list = call<std::vector<ChannelInfo>>(
      [&](auto done) { w.community.list_channels(ben, false, done); });
  REQUIRE(list.value().size() == 1);
  CHECK(list.value()[0].unread == 2);
  auto read = call<ChannelInfo>([&](auto done) { w.community.mark_read(ben, id, 4, done); });
  REQUIRE(read.ok());
  CHECK(read.value().unread == 0);
  w.post(ana, id, "three");
  list = call<std::vector<ChannelInfo>>(
      [&](auto done) { w.community.list_channels(ben, false, done); });
  CHECK(list.value()[0].unread == 1);
}

TEST_CASE("a storage failure reaches the caller and changes nothing in memory", "[domain]") {
  World w;
  const auto ana = w.add("ana");
  w.store.fail_next = Error::of(ErrorKind::internal, "disk full");
  auto r = call<ChannelInfo>([&](auto done) {
    w.community.create_channel(ana, ChannelInput{"math", "Math", "", Visibility::public_}, done);
  });
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().kind == ErrorKind::internal);
  CHECK_FALSE(w.directory.slug_taken("math"));
  CHECK(w.notifier.events.empty());
}

TEST_CASE("accounts: first is admin, handles are unique, sessions end", "[domain]") {
  World w;
  const auto ana = w.add("ana");
  CHECK(w.accounts.find(ana)->admin);
  const auto ben = w.add("ben");
  CHECK_FALSE(w.accounts.find(ben)->admin);
  REQUIRE(w.account_service.check_registration("ana").has_value());
  CHECK(w.account_service.check_registration("ana")->kind == ErrorKind::conflict);
  REQUIRE(w.account_service.authenticate("token-ana").has_value());
  CHECK(w.account_service.authenticate("token-ana")->handle == "ana");
  auto ended = call<bool>([&](auto done) { w.account_service.end_session("token-ana", done); });
  REQUIRE(ended.ok());
  CHECK_FALSE(w.account_service.authenticate("token-ana").has_value());
  CHECK(call<bool>([&](auto done) { w.account_service.end_session("token-ana", done); })
            .error()
            .kind == ErrorKind::unauthorized);
}

TEST_CASE("closed and invite registration accept only the first account", "[domain]") {
  for (auto policy : {Registration::closed, Registration::invite}) {
    testing::InMemoryStore store;
    testing::InlineLane lane{store};
    testing::FakeClock clock;
    Accounts accounts;
    AccountService service{accounts, store, lane, clock, policy};
    CHECK_FALSE(service.check_registration("first").has_value());
    auto r = call<SessionOpened>(
        [&](auto done) { service.register_user("first", "First", "h", "t", done); });
    REQUIRE(r.ok());
    CHECK(r.value().user.admin);
    auto refused = call<SessionOpened>(
        [&](auto done) { service.register_user("second", "Second", "h", "t2", done); });
    REQUIRE_FALSE(refused.ok());
    CHECK(refused.error().kind == ErrorKind::forbidden);
  }
}

TEST_CASE("posting past the burst is rate_limited with a retry time; time refills it", "[domain]") {
  World w(1.0);  // burst 3, then 1 per second
  const auto ana = w.add("ana");
  const auto id = w.channel(ana, "math");
  for (int i = 0; i < 3; ++i) REQUIRE(w.post(ana, id, "burst").ok());
  auto refused = w.post(ana, id, "one too many");
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.error().kind == ErrorKind::rate_limited);
  CHECK(refused.error().retry_after_ms > 0);
  CHECK(refused.error().retry_after_ms <= 1000);
  w.clock.advance(1000);
  CHECK(w.post(ana, id, "after a second").ok());
  CHECK_FALSE(w.post(ana, id, "and again at once").ok());
}
