#include "domain/channel_directory.hpp"

#include <algorithm>

namespace staffroom::domain {

void ChannelDirectory::load(const std::vector<Channel>& channels,
                            const std::vector<Membership>& memberships) {
  for (const auto& c : channels) add_channel(c);
  for (const auto& m : memberships) add_member(m.channel_id, m.user_id, m.role, m.read_seq);
}

const Channel* ChannelDirectory::find(ChannelId id) const {
  auto it = channels_.find(id);
  return it == channels_.end() ? nullptr : &it->second.channel;
}

bool ChannelDirectory::slug_taken(std::string_view slug) const {
  return slugs_.count(std::string(slug)) > 0;
}

std::optional<Role> ChannelDirectory::role(ChannelId channel, UserId user) const {
  auto it = channels_.find(channel);
  if (it == channels_.end()) return std::nullopt;
  auto m = it->second.members.find(user);
  if (m == it->second.members.end()) return std::nullopt;
  return m->second.role;
}

Seq ChannelDirectory::read_seq(ChannelId channel, UserId user) const {
  auto it = channels_.find(channel);
  if (it == channels_.end()) return 0;
  auto m = it->second.members.find(user);
  return m == it->second.members.end() ? 0 : m->second.read_seq;
}

bool ChannelDirectory::visible_to(const Channel& channel, UserId user) const {
  return channel.visibility == Visibility::public_ || role(channel.id, user).has_value();
}

std::vector<const Channel*> ChannelDirectory::visible_channels(UserId user) const {
  std::vector<const Channel*> out;
  for (const auto& [id, entry] : channels_) {
    if (visible_to(entry.channel, user)) out.push_back(&entry.channel);
  }
  std::sort(out.begin(), out.end(),
            [](const Channel* a, const Channel* b) { return a->slug < b->slug; });
  return out;
}

std::vector<UserId> ChannelDirectory::members(ChannelId channel) const {
  std::vector<UserId> out;
  auto it = channels_.find(channel);
  if (it == channels_.end()) return out;
  out.reserve(it->second.members.size());
  for (const auto& [user, m] : it->second.members) out.push_back(user);
  return out;
}

std::size_t ChannelDirectory::member_count(ChannelId channel) const {
  auto it = channels_.find(channel);
  return it == channels_.end() ? 0 : it->second.members.size();
}

void ChannelDirectory::add_channel(const Channel& channel) {
  channels_[channel.id].channel = channel;
  slugs_.insert(channel.slug);
}

void ChannelDirectory::add_member(ChannelId channel, UserId user, Role role, Seq read_seq) {
  auto it = channels_.find(channel);
  if (it == channels_.end()) return;
  it->second.members[user] = Membership{channel, user, role, read_seq};
}

void ChannelDirectory::remove_member(ChannelId channel, UserId user) {
  auto it = channels_.find(channel);
  if (it != channels_.end()) it->second.members.erase(user);
}

void ChannelDirectory::set_last_seq(ChannelId channel, Seq seq) {
  auto it = channels_.find(channel);
  if (it != channels_.end() && seq > it->second.channel.last_seq) it->second.channel.last_seq = seq;
}

void ChannelDirectory::set_read_seq(ChannelId channel, UserId user, Seq seq) {
  auto it = channels_.find(channel);
  if (it == channels_.end()) return;
  auto m = it->second.members.find(user);
  if (m != it->second.members.end() && seq > m->second.read_seq) m->second.read_seq = seq;
}

void ChannelDirectory::set_role(ChannelId channel, UserId user, Role role) {
  auto it = channels_.find(channel);
  if (it == channels_.end()) return;
  auto m = it->second.members.find(user);
  if (m != it->second.members.end()) m->second.role = role;
}

void ChannelDirectory::replace_channel(const Channel& channel) {
  auto it = channels_.find(channel.id);
  if (it == channels_.end()) return;
  const auto last_seq = std::max(it->second.channel.last_seq, channel.last_seq);
  it->second.channel = channel;
  it->second.channel.last_seq = last_seq;
}

std::size_t ChannelDirectory::owner_count(ChannelId channel) const {
  auto it = channels_.find(channel);
  if (it == channels_.end()) return 0;
  return static_cast<std::size_t>(
      std::count_if(it->second.members.begin(), it->second.members.end(),
                    [](const auto& m) { return m.second.role == Role::owner; }));
}

std::vector<ChannelId> ChannelDirectory::visible_ids(UserId user) const {
  std::vector<ChannelId> out;
  for (const auto& [id, entry] : channels_) {
    if (visible_to(entry.channel, user)) out.push_back(id);
  }
  return out;
}

}  // namespace staffroom::domain
