// The community model and its services, wired together and owned by the home lane.
#pragma once

#include "app/event_bus.hpp"
#include "app/fanout_notifier.hpp"
#include "app/metrics.hpp"
#include "domain/account_service.hpp"
#include "domain/accounts.hpp"
#include "domain/catch_up.hpp"
#include "domain/channel_directory.hpp"
#include "domain/clock.hpp"
#include "domain/community.hpp"
#include "domain/lane.hpp"
#include "domain/login_throttle.hpp"
#include "domain/membership_service.hpp"
#include "domain/post_service.hpp"
#include "domain/rate_limiter.hpp"
#include "domain/read_lane.hpp"
#include "domain/store.hpp"

namespace staffroom::app {

/// Holds the in-memory model loaded from storage and the services that change it. Everything
/// inside is touched only from `home`.
class Core {
 public:
  Core(const domain::Snapshot& snapshot, domain::Writer& writer, domain::ReadLane& reads,
       domain::ReadLane& ordered_reads, domain::Lane& home, const domain::Clock& clock,
       EventBus& bus, Metrics& metrics, domain::Registration registration,
       domain::RateLimiter post_limiter);
  Core(const Core&) = delete;
  Core& operator=(const Core&) = delete;

  domain::Lane& home;
  domain::Accounts accounts;
  domain::ChannelDirectory directory;
  FanoutNotifier notifier;
  domain::AccountService account_service;
  domain::Community community;
  domain::MembershipService membership;
  domain::PostService posts;
  domain::CatchUp catch_up;
  domain::LoginThrottle login_throttle;
  const domain::Clock& clock;
  EventBus& bus;
};

}  // namespace staffroom::app
