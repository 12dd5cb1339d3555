// Joining, leaving, invitations, removals and roles: every change to who is in a channel.
#pragma once

#include "domain/access.hpp"
#include "domain/community.hpp"

namespace staffroom::domain {

/// Membership rules. Every method runs on the home lane; callbacks run on the home lane.
class MembershipService {
 public:
  MembershipService(ChannelDirectory& directory, const Accounts& accounts, Writer& writer,
                    Lane& home, const Clock& clock, Notifier& notifier);

  /// Public, unarchived channels only; private ones are joined by invitation.
  void join(UserId user, ChannelId channel, Done<ChannelInfo> done);
  void leave(UserId user, ChannelId channel, Done<ChannelInfo> done);
  /// Owners and moderators add someone (the only way into a private channel).
  void invite(UserId by, ChannelId channel, UserId who, Done<MemberInfo> done);
  /// Owners remove anyone but themselves; moderators remove plain members.
  void remove(UserId by, ChannelId channel, UserId who, Done<ChannelInfo> done);
  /// Owners only; the last owner cannot step down.
  void set_role(UserId by, ChannelId channel, UserId who, Role role, Done<MemberInfo> done);

 private:
  void add(ChannelId channel, UserId user, std::optional<UserId> invited_by,
           std::function<void(Result<bool>)> done);
  void drop(ChannelId channel, UserId user, std::optional<UserId> removed_by,
            std::function<void(Result<bool>)> done);

  ChannelDirectory& directory_;
  const Accounts& accounts_;
  Access access_;
  Writer& writer_;
  Lane& home_;
  const Clock& clock_;
  Notifier& notifier_;
};

}  // namespace staffroom::domain
