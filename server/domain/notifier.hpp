// Where the domain announces committed channel changes; the app fans them out.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "domain/channel_info.hpp"
#include "domain/types.hpp"

namespace staffroom::domain {

/// Receives every committed channel change, in seq order per channel, with its recipients.
class Notifier {
 public:
  virtual ~Notifier() = default;
  virtual void post_created(const Post& post, const std::vector<UserId>& recipients) = 0;
  virtual void post_edited(const Post& post, Seq seq, const std::vector<UserId>& recipients) = 0;
  virtual void post_deleted(const Post& post, Seq seq, const std::vector<UserId>& recipients) = 0;
  virtual void post_reacted(const Post& post, Seq seq, UserId user, const std::string& emoji,
                            bool on, const std::vector<UserId>& recipients) = 0;
  /// `joined` is the channel as the joiner sees it.
  virtual void member_joined(const ChannelInfo& joined, Seq seq, const User& user,
                             std::optional<UserId> invited_by,
                             const std::vector<UserId>& recipients) = 0;
  virtual void member_left(ChannelId channel, Seq seq, const User& user,
                           std::optional<UserId> removed_by,
                           const std::vector<UserId>& recipients) = 0;
  virtual void member_updated(ChannelId channel, Seq seq, const User& user, Role role,
                              const std::vector<UserId>& recipients) = 0;
  virtual void channel_updated(const ChannelInfo& channel, Seq seq,
                               const std::vector<UserId>& recipients) = 0;
  /// A per-user event (no seq): `user` was mentioned in `post`.
  virtual void mentioned(UserId user, const Post& post) = 0;
};

}  // namespace staffroom::domain
