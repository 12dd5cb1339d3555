// A channel as one particular user sees it (membership, role, unread).
#pragma once

#include <optional>

#include "domain/types.hpp"

namespace staffroom::domain {

/// A channel plus the viewer's relation to it.
struct ChannelInfo {
  Channel channel;
  bool member = false;
  std::optional<Role> role;
  std::int64_t member_count = 0;
  std::int64_t unread = 0;
};

}  // namespace staffroom::domain
