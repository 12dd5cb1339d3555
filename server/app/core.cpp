#include "app/core.hpp"

namespace staffroom::app {

Core::Core(const domain::Snapshot& snapshot, domain::Writer& writer, domain::ReadLane& reads,
           domain::ReadLane& ordered_reads, domain::Lane& home_lane,
           const domain::Clock& wall_clock, EventBus& event_bus, Metrics& metrics,
           domain::Registration registration, domain::RateLimiter post_limiter)
    : home(home_lane),
      notifier(event_bus, metrics),
      account_service(accounts, writer, home_lane, wall_clock, registration),
      community(directory, accounts, writer, home_lane, reads, wall_clock, notifier),
      membership(directory, accounts, writer, home_lane, wall_clock, notifier),
      posts(directory, accounts, writer, home_lane, reads, ordered_reads, wall_clock, notifier,
            post_limiter),
      catch_up(directory, accounts, home_lane, reads),
      clock(wall_clock),
      bus(event_bus) {
  accounts.load(snapshot);
  directory.load(snapshot.channels, snapshot.memberships);
}

}  // namespace staffroom::app
