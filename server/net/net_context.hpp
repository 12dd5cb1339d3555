// What every connection needs from the rest of the server, bundled once.
#pragma once

#include <chrono>
#include <cstddef>
#include <string>
#include <vector>

namespace staffroom::app {
class HttpApi;
class Dispatcher;
class Metrics;
}  // namespace staffroom::app

namespace staffroom::net {

class Hub;
class StaticFiles;

/// Shared, long-lived services and settings handed to each session.
struct NetContext {
  app::HttpApi& api;
  app::Dispatcher& dispatcher;
  app::Metrics& metrics;
  Hub& hub;
  const StaticFiles& files;
  std::vector<std::string> allowed_origins;
  std::size_t send_queue_messages = 1000;
  std::size_t send_queue_bytes = 4096 * 1024;
  /// A WebSocket peer silent this long is dropped; it is pinged at half of it.
  std::chrono::milliseconds idle_timeout{300000};
  std::string version;
};

}  // namespace staffroom::net
