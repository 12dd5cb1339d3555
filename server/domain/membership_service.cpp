#include "domain/membership_service.hpp"

#include <utility>

#include "domain/commit.hpp"

namespace staffroom::domain {
namespace {

Error forbidden(std::string message) { return Error::of(ErrorKind::forbidden, std::move(message)); }

}  // namespace

MembershipService::MembershipService(ChannelDirectory& directory, const Accounts& accounts,
                                     Writer& writer, Lane& home, const Clock& clock,
                                     Notifier& notifier)
    : directory_(directory),
      accounts_(accounts),
      access_(directory, accounts),
      writer_(writer),
      home_(home),
      clock_(clock),
      notifier_(notifier) {}

void MembershipService::add(ChannelId channel, UserId user, std::optional<UserId> invited_by,
                            std::function<void(Result<bool>)> done) {
  JoinChannel change{channel, user, Role::member, clock_.now(), invited_by};
  commit_then(writer_, home_, change, [this, change, done = std::move(done)](Committed c) {
    if (c.error) return done(*c.error);
    const auto* ch = directory_.find(change.channel_id);
    if (ch == nullptr) return done(channel_not_found(change.channel_id));
    if (c.changed) {
      directory_.add_member(change.channel_id, change.user_id, Role::member, c.read_seq);
      directory_.set_last_seq(change.channel_id, c.seq);
      if (const auto* u = accounts_.find(change.user_id)) {
        notifier_.member_joined(channel_info(directory_, *ch, change.user_id), c.seq, *u,
                                change.invited_by, directory_.members(change.channel_id));
      }
    }
    done(c.changed);
  });
}

void MembershipService::drop(ChannelId channel, UserId user, std::optional<UserId> removed_by,
                             std::function<void(Result<bool>)> done) {
  LeaveChannel change{channel, user, clock_.now(), removed_by};
  commit_then(writer_, home_, change, [this, change, done = std::move(done)](Committed c) {
    if (c.error) return done(*c.error);
    if (c.changed) {
      // The one who leaves hears it too, so their other tabs drop the channel.
      const auto recipients = directory_.members(change.channel_id);
      directory_.remove_member(change.channel_id, change.user_id);
      directory_.set_last_seq(change.channel_id, c.seq);
      if (const auto* u = accounts_.find(change.user_id)) {
        notifier_.member_left(change.channel_id, c.seq, *u, change.removed_by, recipients);
      }
    }
    done(c.changed);
  });
}

void MembershipService::join(UserId user, ChannelId channel, Done<ChannelInfo> done) {
  const auto* found = directory_.find(channel);
  const bool member = directory_.role(channel, user).has_value();
  // Private channels are joined by invitation only; to others they do not exist.
  if (found == nullptr || (found->visibility == Visibility::private_ && !member)) {
    return done(channel_not_found(channel));
  }
  if (member) return done(channel_info(directory_, *found, user));
  if (found->archived) return done(forbidden("channel is archived (read-only)"));
  add(channel, user, std::nullopt, [this, user, channel, done = std::move(done)](Result<bool> r) {
    if (!r.ok()) return done(r.error());
    done(channel_info(directory_, *directory_.find(channel), user));
  });
}

void MembershipService::leave(UserId user, ChannelId channel, Done<ChannelInfo> done) {
  auto seen = access_.visible(channel, user);
  if (!seen.ok()) return done(seen.error());
  if (!directory_.role(channel, user)) return done(channel_info(directory_, *seen.value(), user));
  drop(channel, user, std::nullopt, [this, user, channel, done = std::move(done)](Result<bool> r) {
    if (!r.ok()) return done(r.error());
    const auto* ch = directory_.find(channel);
    if (ch == nullptr) return done(channel_not_found(channel));
    done(channel_info(directory_, *ch, user));
  });
}

void MembershipService::invite(UserId by, ChannelId channel, UserId who, Done<MemberInfo> done) {
  auto in = access_.writable(channel, by);
  if (!in.ok()) return done(in.error());
  if (!access_.moderates(channel, by)) return done(forbidden("only owners and moderators invite"));
  const auto* user = accounts_.find(who);
  if (user == nullptr) {
    return done(Error::of(ErrorKind::not_found, "user " + std::to_string(who) + " not found"));
  }
  if (auto role = directory_.role(channel, who)) return done(MemberInfo{*user, *role});
  add(channel, who, by, [this, user = *user, channel, who, done = std::move(done)](Result<bool> r) {
    if (!r.ok()) return done(r.error());
    done(MemberInfo{user, directory_.role(channel, who).value_or(Role::member)});
  });
}

void MembershipService::remove(UserId by, ChannelId channel, UserId who, Done<ChannelInfo> done) {
  auto in = access_.member(channel, by);
  if (!in.ok()) return done(in.error());
  if (who == by) return done(Error::of(ErrorKind::bad_request, "use channel.leave to leave"));
  const auto target = directory_.role(channel, who);
  if (!target) {
    return done(
        Error::of(ErrorKind::not_found, "user " + std::to_string(who) + " is not a member"));
  }
  const bool owner = access_.owns(channel, by);
  if (!owner && !(access_.moderates(channel, by) && *target == Role::member)) {
    return done(forbidden("moderators remove members; owners remove anyone"));
  }
  drop(channel, who, by, [this, by, channel, done = std::move(done)](Result<bool> r) {
    if (!r.ok()) return done(r.error());
    done(channel_info(directory_, *directory_.find(channel), by));
  });
}

void MembershipService::set_role(UserId by, ChannelId channel, UserId who, Role role,
                                 Done<MemberInfo> done) {
  auto in = access_.member(channel, by);
  if (!in.ok()) return done(in.error());
  if (!access_.owns(channel, by)) return done(forbidden("only owners change roles"));
  const auto current = directory_.role(channel, who);
  const auto* user = accounts_.find(who);
  if (!current || user == nullptr) {
    return done(
        Error::of(ErrorKind::not_found, "user " + std::to_string(who) + " is not a member"));
  }
  if (*current == role) return done(MemberInfo{*user, role});
  if (*current == Role::owner && directory_.owner_count(channel) <= 1) {
    return done(Error::of(ErrorKind::conflict, "a channel needs an owner; name another first"));
  }
  commit_then(writer_, home_, SetRole{channel, who, role, clock_.now()},
              [this, channel, user = *user, role, done = std::move(done)](Committed c) {
                if (c.error) return done(*c.error);
                if (c.changed) {
                  directory_.set_role(channel, user.id, role);
                  directory_.set_last_seq(channel, c.seq);
                  notifier_.member_updated(channel, c.seq, user, role, directory_.members(channel));
                }
                done(MemberInfo{user, role});
              });
}

}  // namespace staffroom::domain
