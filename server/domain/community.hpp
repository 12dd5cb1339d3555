// Channels: listing, creating, settings, archive, read markers and the member list.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "domain/access.hpp"
#include "domain/accounts.hpp"
#include "domain/channel_directory.hpp"
#include "domain/channel_info.hpp"
#include "domain/clock.hpp"
#include "domain/lane.hpp"
#include "domain/notifier.hpp"
#include "domain/read_lane.hpp"
#include "domain/result.hpp"
#include "domain/store.hpp"

namespace staffroom::domain {

struct ChannelInput {
  std::string slug;  // lowercase, validated at the edge
  std::string title;
  std::string description;
  Visibility visibility = Visibility::public_;
};

template <class T>
using Done = std::function<void(Result<T>)>;

/// Channel-level rules. Every method runs on the home lane; callbacks run on the home lane or
/// on a read thread and must not touch the model.
class Community {
 public:
  Community(ChannelDirectory& directory, const Accounts& accounts, Writer& writer, Lane& home,
            ReadLane& reads, const Clock& clock, Notifier& notifier);

  void list_channels(UserId user, bool include_archived, Done<std::vector<ChannelInfo>> done);
  void create_channel(UserId user, ChannelInput input, Done<ChannelInfo> done);
  void mark_read(UserId user, ChannelId channel, Seq seq, Done<ChannelInfo> done);
  /// Owners and moderators (and server admins) change the title or description.
  void update(UserId user, ChannelId channel, std::optional<std::string> title,
              std::optional<std::string> description, Done<ChannelInfo> done);
  /// Owners and server admins archive (read-only, hidden) or restore a channel.
  void archive(UserId user, ChannelId channel, bool archived, Done<ChannelInfo> done);
  Result<std::vector<MemberInfo>> members(UserId user, ChannelId channel) const;

 private:
  void change_channel(UserId user, UpdateChannel change, Done<ChannelInfo> done);

  ChannelDirectory& directory_;
  const Accounts& accounts_;
  Access access_;
  Writer& writer_;
  Lane& home_;
  ReadLane& reads_;
  const Clock& clock_;
  Notifier& notifier_;
};

}  // namespace staffroom::domain
