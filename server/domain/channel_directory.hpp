// The in-memory map of channels and who belongs to them, owned by the home lane.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "domain/types.hpp"

namespace staffroom::domain {

/// Channels, their members and roles, and each member's read marker.
class ChannelDirectory {
 public:
  void load(const std::vector<Channel>& channels, const std::vector<Membership>& memberships);

  const Channel* find(ChannelId id) const;
  bool slug_taken(std::string_view slug) const;
  std::optional<Role> role(ChannelId channel, UserId user) const;
  Seq read_seq(ChannelId channel, UserId user) const;
  /// Public channels and private ones the user is a member of.
  bool visible_to(const Channel& channel, UserId user) const;
  std::vector<const Channel*> visible_channels(UserId user) const;  // sorted by slug
  std::vector<UserId> members(ChannelId channel) const;
  std::size_t member_count(ChannelId channel) const;

  void add_channel(const Channel& channel);
  void add_member(ChannelId channel, UserId user, Role role, Seq read_seq);
  void remove_member(ChannelId channel, UserId user);
  void set_last_seq(ChannelId channel, Seq seq);
  void set_read_seq(ChannelId channel, UserId user, Seq seq);
  void set_role(ChannelId channel, UserId user, Role role);
  void replace_channel(const Channel& channel);
  std::size_t owner_count(ChannelId channel) const;
  /// Ids of every channel `user` may see (for search and mentions).
  std::vector<ChannelId> visible_ids(UserId user) const;

 private:
  struct Entry {
    Channel channel;
    std::unordered_map<UserId, Membership> members;
  };
  std::unordered_map<ChannelId, Entry> channels_;
  std::unordered_set<std::string> slugs_;
};

}  // namespace staffroom::domain
