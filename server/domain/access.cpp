#include "domain/access.hpp"

#include <string>

namespace staffroom::domain {

Error channel_not_found(ChannelId id) {
  return Error::of(ErrorKind::not_found, "channel " + std::to_string(id) + " not found");
}

Error post_not_found(PostId id) {
  return Error::of(ErrorKind::not_found, "post " + std::to_string(id) + " not found");
}

Result<const Channel*> Access::visible(ChannelId channel, UserId user) const {
  const auto* found = directory_.find(channel);
  if (found == nullptr || !directory_.visible_to(*found, user)) return channel_not_found(channel);
  return found;
}

Result<const Channel*> Access::member(ChannelId channel, UserId user) const {
  auto seen = visible(channel, user);
  if (!seen.ok()) return seen;
  if (!directory_.role(channel, user)) {
    return Error::of(ErrorKind::forbidden, "join channel " + std::to_string(channel) + " first");
  }
  return seen;
}

Result<const Channel*> Access::writable(ChannelId channel, UserId user) const {
  auto in = member(channel, user);
  if (in.ok() && in.value()->archived) {
    return Error::of(ErrorKind::forbidden, "channel is archived (read-only)");
  }
  return in;
}

bool Access::moderates(ChannelId channel, UserId user) const {
  const auto role = directory_.role(channel, user);
  return role == Role::owner || role == Role::moderator;
}

bool Access::owns(ChannelId channel, UserId user) const {
  return directory_.role(channel, user) == Role::owner;
}

bool Access::is_admin(UserId user) const {
  const auto* u = accounts_.find(user);
  return u != nullptr && u->admin;
}

}  // namespace staffroom::domain
