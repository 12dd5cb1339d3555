// Turns committed domain changes into events, serialised once and handed to the event bus.
#pragma once

#include "app/event_bus.hpp"
#include "app/metrics.hpp"
#include "domain/notifier.hpp"

namespace staffroom::app {

/// Encodes each channel event once and publishes the shared frame to its recipients.
class FanoutNotifier final : public domain::Notifier {
 public:
  FanoutNotifier(EventBus& bus, Metrics& metrics) : bus_(bus), metrics_(metrics) {}

  void post_created(const domain::Post& post,
                    const std::vector<domain::UserId>& recipients) override;
  void member_joined(const domain::ChannelInfo& joined, domain::Seq seq, const domain::User& user,
                     const std::vector<domain::UserId>& recipients) override;
  void member_left(domain::ChannelId channel, domain::Seq seq, const domain::User& user,
                   const std::vector<domain::UserId>& recipients) override;

 private:
  void publish(const std::vector<domain::UserId>& recipients, std::string frame);

  EventBus& bus_;
  Metrics& metrics_;
};

}  // namespace staffroom::app
