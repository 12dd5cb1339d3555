// Who may see and do what in a channel: the checks every channel and post rule shares.
#pragma once

#include "domain/accounts.hpp"
#include "domain/channel_directory.hpp"
#include "domain/result.hpp"

namespace staffroom::domain {

/// Read-only questions about the membership model, answered with typed errors.
class Access {
 public:
  Access(const ChannelDirectory& directory, const Accounts& accounts)
      : directory_(directory), accounts_(accounts) {}

  /// The channel if `user` may see it, else not_found (existence never leaks).
  Result<const Channel*> visible(ChannelId channel, UserId user) const;
  /// The channel if `user` is a member; forbidden for a visible channel, else not_found.
  Result<const Channel*> member(ChannelId channel, UserId user) const;
  /// Like member(), and the channel must not be archived (forbidden).
  Result<const Channel*> writable(ChannelId channel, UserId user) const;
  /// An owner or moderator of the channel.
  bool moderates(ChannelId channel, UserId user) const;
  bool owns(ChannelId channel, UserId user) const;
  bool is_admin(UserId user) const;

 private:
  const ChannelDirectory& directory_;
  const Accounts& accounts_;
};

Error channel_not_found(ChannelId id);
Error post_not_found(PostId id);

}  // namespace staffroom::domain
