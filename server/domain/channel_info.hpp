// A channel as one particular user sees it (membership, role, unread).
#pragma once

#include <optional>

#include "domain/channel_directory.hpp"
#include "domain/types.hpp"

namespace staffroom::domain {

/// A channel plus the viewer's relation to it.
struct ChannelInfo {
  Channel channel;
  bool member = false;
  std::optional<Role> role;
  std::int64_t member_count = 0;
  std::int64_t unread = 0;
  std::int64_t mentions = 0;
};

/// A member of a channel and their role.
struct MemberInfo {
  User user;
  Role role = Role::member;
};

/// The channel as `user` sees it now (unread and mentions are left at 0: they need a read).
ChannelInfo channel_info(const ChannelDirectory& directory, const Channel& channel, UserId user);

}  // namespace staffroom::domain
