// A small in-memory community for domain tests: services wired to the fake store and clock.
#pragma once

#include <algorithm>
#include <functional>
#include <optional>

#include "domain/account_service.hpp"
#include "domain/catch_up.hpp"
#include "domain/community.hpp"
#include "domain/membership_service.hpp"
#include "domain/post_service.hpp"
#include "support/in_memory_store.hpp"

#include <catch2/catch.hpp>

namespace staffroom::testing {

using namespace staffroom::domain;

struct Recorded {
  std::string kind;
  ChannelId channel = 0;
  Seq seq = 0;
  UserId subject = 0;
  std::vector<UserId> recipients;
};

class RecordingNotifier final : public Notifier {
 public:
  std::vector<Recorded> events;
  void post_created(const Post& p, const std::vector<UserId>& r) override {
    events.push_back({"post.created", p.channel_id, p.seq, p.author.id, sorted(r)});
  }
  void post_edited(const Post& p, Seq seq, const std::vector<UserId>& r) override {
    events.push_back({"post.edited", p.channel_id, seq, p.author.id, sorted(r)});
  }
  void post_deleted(const Post& p, Seq seq, const std::vector<UserId>& r) override {
    events.push_back({"post.deleted", p.channel_id, seq, p.author.id, sorted(r)});
  }
  void post_reacted(const Post& p, Seq seq, UserId u, const std::string&, bool,
                    const std::vector<UserId>& r) override {
    events.push_back({"post.reacted", p.channel_id, seq, u, sorted(r)});
  }
  void member_joined(const ChannelInfo& c, Seq seq, const User& u, std::optional<UserId>,
                     const std::vector<UserId>& r) override {
    events.push_back({"member.joined", c.channel.id, seq, u.id, sorted(r)});
  }
  void member_left(ChannelId c, Seq seq, const User& u, std::optional<UserId>,
                   const std::vector<UserId>& r) override {
    events.push_back({"member.left", c, seq, u.id, sorted(r)});
  }
  void member_updated(ChannelId c, Seq seq, const User& u, Role,
                      const std::vector<UserId>& r) override {
    events.push_back({"member.updated", c, seq, u.id, sorted(r)});
  }
  void channel_updated(const ChannelInfo& c, Seq seq, const std::vector<UserId>& r) override {
    events.push_back({"channel.updated", c.channel.id, seq, 0, sorted(r)});
  }
  void mentioned(UserId user, const Post& p) override {
    events.push_back({"mention", p.channel_id, 0, user, {user}});
  }

 private:
  static std::vector<UserId> sorted(std::vector<UserId> v) {
    std::sort(v.begin(), v.end());
    return v;
  }
};

template <class T>
Result<T> call(std::function<void(Done<T>)> op) {
  std::optional<Result<T>> out;
  op([&](Result<T> r) { out.emplace(std::move(r)); });
  REQUIRE(out.has_value());  // the fake store answers synchronously
  return std::move(*out);
}

/// A small community: ana (admin), ben and cy, all signed up through the account service.
struct World {
  explicit World(double rate = 0) : post_rate(rate) {}
  double post_rate;
  InMemoryStore store;
  InlineLane lane{store};
  FakeClock clock;
  RecordingNotifier notifier;
  Accounts accounts;
  ChannelDirectory directory;
  AccountService account_service{accounts, store, lane, clock, Registration::open};
  Community community{directory, accounts, store, lane, lane, clock, notifier};
  MembershipService membership{directory, accounts, store, lane, clock, notifier};
  PostService posts{
      directory, accounts, store, lane, lane, lane, clock, notifier, RateLimiter(post_rate, 3)};
  CatchUp catch_up{directory, accounts, lane, lane};

  UserId add(const std::string& handle) {
    auto r = call<SessionOpened>([&](auto done) {
      account_service.register_user(handle, handle, "hash", "token-" + handle, done);
    });
    REQUIRE(r.ok());
    return r.value().user.id;
  }
  ChannelId channel(UserId owner, const std::string& slug, Visibility v = Visibility::public_) {
    auto r = call<ChannelInfo>([&](auto done) {
      community.create_channel(owner, ChannelInput{slug, "Title " + slug, "", v}, done);
    });
    REQUIRE(r.ok());
    return r.value().channel.id;
  }
  Result<PostCreated> post(UserId u, ChannelId c, const std::string& body,
                           std::optional<PostId> thread = {},
                           std::optional<std::string> client_id = {}) {
    return call<PostCreated>([&](auto done) {
      posts.create(u, PostInput{c, body, "<p>" + body + "</p>", thread, client_id, {}}, done);
    });
  }
  Result<ChannelInfo> join(UserId u, ChannelId c) {
    return call<ChannelInfo>([&](auto done) { membership.join(u, c, done); });
  }
};

}  // namespace staffroom::testing
