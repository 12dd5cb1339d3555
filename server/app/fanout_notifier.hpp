// Turns committed domain changes into events, serialised once and handed to the event bus.
#pragma once

#include "app/event_bus.hpp"
#include "app/metrics.hpp"
#include "domain/notifier.hpp"

namespace staffroom::app {

/// Encodes each event once and publishes the shared frame to its recipients.
class FanoutNotifier final : public domain::Notifier {
 public:
  FanoutNotifier(EventBus& bus, Metrics& metrics) : bus_(bus), metrics_(metrics) {}

  void post_created(const domain::Post& post,
                    const std::vector<domain::UserId>& recipients) override;
  void post_edited(const domain::Post& post, domain::Seq seq,
                   const std::vector<domain::UserId>& recipients) override;
  void post_deleted(const domain::Post& post, domain::Seq seq,
                    const std::vector<domain::UserId>& recipients) override;
  void post_reacted(const domain::Post& post, domain::Seq seq, domain::UserId user,
                    const std::string& emoji, bool on,
                    const std::vector<domain::UserId>& recipients) override;
  void member_joined(const domain::ChannelInfo& joined, domain::Seq seq, const domain::User& user,
                     std::optional<domain::UserId> invited_by,
                     const std::vector<domain::UserId>& recipients) override;
  void member_left(domain::ChannelId channel, domain::Seq seq, const domain::User& user,
                   std::optional<domain::UserId> removed_by,
                   const std::vector<domain::UserId>& recipients) override;
  void member_updated(domain::ChannelId channel, domain::Seq seq, const domain::User& user,
                      domain::Role role, const std::vector<domain::UserId>& recipients) override;
  void channel_updated(const domain::ChannelInfo& channel, domain::Seq seq,
                       const std::vector<domain::UserId>& recipients) override;
  void mentioned(domain::UserId user, const domain::Post& post) override;

 private:
  void publish(const std::vector<domain::UserId>& recipients, std::string frame,
               domain::ChannelId channel, domain::Seq seq);

  EventBus& bus_;
  Metrics& metrics_;
};

}  // namespace staffroom::app
