// The registry of live WebSocket sessions by user; fans frames out to them.
#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "app/event_bus.hpp"
#include "app/metrics.hpp"

namespace staffroom::net {

class WebsocketSession;

/// Maps users to their sessions. The lock guards only the map; sends happen outside it.
class Hub final : public app::EventBus {
 public:
  explicit Hub(app::Metrics& metrics) : metrics_(metrics) {}

  void join(const std::shared_ptr<WebsocketSession>& session);
  void leave(const WebsocketSession* session);

  void publish(const std::vector<domain::UserId>& recipients, app::Frame frame,
               domain::ChannelId channel, domain::Seq seq) override;
  void end_session(const std::string& token_hash) override;
  /// Server shutdown: every session is closed with 1001 (going away).
  void close_all();
  std::size_t size() const;

 private:
  app::Metrics& metrics_;
  mutable std::mutex mutex_;
  std::unordered_map<domain::UserId, std::vector<std::weak_ptr<WebsocketSession>>> by_user_;
  std::unordered_map<const WebsocketSession*, domain::UserId> users_;
};

}  // namespace staffroom::net
