// Channels, memberships and posts: the rules (check_*), the writes, and the notifications.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "domain/accounts.hpp"
#include "domain/channel_directory.hpp"
#include "domain/channel_info.hpp"
#include "domain/clock.hpp"
#include "domain/lane.hpp"
#include "domain/notifier.hpp"
#include "domain/rate_limiter.hpp"
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

struct PostInput {
  ChannelId channel_id = 0;
  std::string body;
  std::string html;  // rendered once, before it reaches the domain
  std::optional<PostId> thread_id;
  std::optional<std::string> client_id;
};

struct PostCreated {
  Post post;
  bool duplicate = false;
};

template <class T>
using Done = std::function<void(Result<T>)>;

/// The topic-channel model. Every method runs on the home lane. Callbacks run on the home
/// lane or on a read thread; they must not touch the model.
class Community {
 public:
  Community(ChannelDirectory& directory, const Accounts& accounts, Writer& writer, Lane& home,
            ReadLane& reads, const Clock& clock, Notifier& notifier, RateLimiter post_limiter);

  void list_channels(UserId user, Done<std::vector<ChannelInfo>> done);
  void create_channel(UserId user, ChannelInput input, Done<ChannelInfo> done);
  void join(UserId user, ChannelId channel, Done<ChannelInfo> done);
  void leave(UserId user, ChannelId channel, Done<ChannelInfo> done);
  void mark_read(UserId user, ChannelId channel, Seq seq, Done<ChannelInfo> done);
  void create_post(UserId user, PostInput input, Done<PostCreated> done);
  void history(UserId user, ChannelId channel, std::optional<Seq> after_seq,
               std::optional<Seq> before_seq, int limit, Done<HistoryPage> done);
  void thread(UserId user, PostId post, Done<Thread> done);

 private:
  /// The channel if `user` may see it, else not_found (existence does not leak).
  Result<const Channel*> check_visible(ChannelId channel, UserId user) const;
  /// The channel if `user` is a member; forbidden for a visible channel, else not_found.
  Result<const Channel*> check_member(ChannelId channel, UserId user) const;
  ChannelInfo info(const Channel& channel, UserId user) const;

  ChannelDirectory& directory_;
  const Accounts& accounts_;
  Writer& writer_;
  Lane& home_;
  ReadLane& reads_;
  const Clock& clock_;
  Notifier& notifier_;
  RateLimiter post_limiter_;
};

}  // namespace staffroom::domain
