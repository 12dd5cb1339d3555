// Where the domain announces committed channel changes; the app fans them out.
#pragma once

#include <vector>

#include "domain/channel_info.hpp"
#include "domain/types.hpp"

namespace staffroom::domain {

/// Receives every committed channel change, in seq order per channel, with its recipients.
class Notifier {
 public:
  virtual ~Notifier() = default;
  virtual void post_created(const Post& post, const std::vector<UserId>& recipients) = 0;
  /// `joined` is the channel as the joiner sees it.
  virtual void member_joined(const ChannelInfo& joined, Seq seq, const User& user,
                             const std::vector<UserId>& recipients) = 0;
  virtual void member_left(ChannelId channel, Seq seq, const User& user,
                           const std::vector<UserId>& recipients) = 0;
};

}  // namespace staffroom::domain
