// Writes of channels and memberships.
#pragma once

#include "domain/changes.hpp"

namespace staffroom::storage {

class Connection;
class EventLog;

/// Applies NewChannel, JoinChannel, LeaveChannel, SetRole, UpdateChannel and MarkRead; each
/// change that alters a channel takes its next seq and logs an event.
class ChannelChanges {
 public:
  ChannelChanges(Connection& connection, EventLog& log) : connection_(connection), log_(log) {}

  domain::Committed on(const domain::NewChannel& change);
  domain::Committed on(const domain::JoinChannel& change);
  domain::Committed on(const domain::LeaveChannel& change);
  domain::Committed on(const domain::SetRole& change);
  domain::Committed on(const domain::UpdateChannel& change);
  domain::Committed on(const domain::MarkRead& change);

 private:
  Connection& connection_;
  EventLog& log_;
};

}  // namespace staffroom::storage
