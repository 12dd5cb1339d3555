// Fan-out as the app sees it: deliver one serialised frame to many users' connections.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "domain/types.hpp"

namespace staffroom::app {

using Frame = std::shared_ptr<const std::string>;

/// Delivers frames to every live connection of the given users. In one process it is the
/// net layer's hub; a multi-node deployment would put Redis pub/sub behind the same interface.
class EventBus {
 public:
  virtual ~EventBus() = default;
  /// Thread-safe; frames published from one thread reach each connection in publish order.
  /// `channel` and `seq` are 0 for per-user events (mentions), which are never held back.
  virtual void publish(const std::vector<domain::UserId>& recipients, Frame frame,
                       domain::ChannelId channel, domain::Seq seq) = 0;
  /// Closes every connection opened with this session (logout).
  virtual void end_session(const std::string& token_hash) = 0;
};

/// A live client connection as the dispatcher sees it.
class ClientConnection {
 public:
  virtual ~ClientConnection() = default;
  /// Thread-safe; queues a reply behind what is already queued.
  virtual void send(Frame frame) = 0;
  virtual domain::UserId user_id() const = 0;

  // Catch-up (session.resume). A new connection holds back channel events until its first
  // request, so a client that resumes at once gets its replay before any live event.

  /// Holds live events of these channels until release(). Call on the connection's thread.
  virtual void hold(const std::vector<domain::ChannelId>& channels) = 0;
  /// Ends the hold that every connection starts with, for channels not held by hold().
  /// Call on the connection's thread.
  virtual void end_initial_hold() = 0;
  /// Thread-safe: sends `replay`, then the held live events with seq > `up_to`, in order.
  virtual void release(domain::ChannelId channel, std::vector<Frame> replay, domain::Seq up_to) = 0;
};

}  // namespace staffroom::app
