#include "domain/channel_info.hpp"

namespace staffroom::domain {

ChannelInfo channel_info(const ChannelDirectory& directory, const Channel& channel, UserId user) {
  ChannelInfo out;
  out.channel = channel;
  out.role = directory.role(channel.id, user);
  out.member = out.role.has_value();
  out.member_count = static_cast<std::int64_t>(directory.member_count(channel.id));
  return out;
}

}  // namespace staffroom::domain
