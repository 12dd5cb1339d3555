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
  virtual void publish(const std::vector<domain::UserId>& recipients, Frame frame) = 0;
  /// Closes every connection opened with this session (logout).
  virtual void end_session(const std::string& token_hash) = 0;
};

/// A live client connection as the dispatcher sees it.
class ClientConnection {
 public:
  virtual ~ClientConnection() = default;
  /// Thread-safe; queues the frame behind what is already queued.
  virtual void send(Frame frame) = 0;
  virtual domain::UserId user_id() const = 0;
};

}  // namespace staffroom::app
