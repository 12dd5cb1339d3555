// Runs one load test: opens and joins the connections, runs the steps, reports.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <unordered_map>
#include <vector>

#include "account_registry.hpp"
#include "delivery_tracker.hpp"
#include "load_options.hpp"
#include "stall_windows.hpp"
#include "ws_client.hpp"

namespace staffroom::load {

/// Owns every connection and the schedule; all of it runs on one io_context thread.
class LoadDriver final : public WsClientHandler {
 public:
  /// `ring` (may be null: read through Asio) must outlive the driver and the io_context.
  LoadDriver(boost::asio::io_context& ioc, LoadOptions options, AccountRegistry& accounts,
             RingReader* ring);

  /// The whole run as a coroutine; `report` is filled in when it completes.
  boost::asio::awaitable<void> run(nlohmann::json& report);

  void on_open(WsClient& client) override;
  void on_frame(WsClient& client, std::string_view frame) override;
  void on_closed(WsClient& client, const std::string& why) override;

 private:
  enum class Pending { create, join };
  struct Request {
    Pending kind;
    int connection;
    int channel;
  };

  boost::asio::awaitable<void> sleep(std::chrono::steady_clock::duration d);
  boost::asio::awaitable<bool> create_channels();
  boost::asio::awaitable<bool> open_connections(nlohmann::json& report);
  boost::asio::awaitable<nlohmann::json> run_step(int step);
  boost::asio::awaitable<nlohmann::json> unstall();
  std::shared_ptr<WsClient> start_client(int index, int channel, int account);
  void send_post(WsClient& publisher, int step, std::int64_t scheduled_ns);
  void send_request(WsClient& client, Pending kind, const nlohmann::json& request);
  void on_reply(WsClient& client, const nlohmann::json& reply);
  void note_error(const std::string& what);
  std::uint32_t receivers(int channel) const;
  static std::int64_t now_ns();

  boost::asio::io_context& ioc_;
  RingReader* ring_;
  boost::asio::steady_timer timer_;
  LoadOptions options_;
  AccountRegistry& accounts_;
  DeliveryTracker tracker_;
  StallWindows stalls_;
  bool staffroom_;
  std::vector<std::shared_ptr<WsClient>> clients_;
  std::vector<std::shared_ptr<WsClient>> creators_;
  std::vector<WsClient*> publishers_;
  std::vector<std::uint32_t> receivers_;  // per channel: open, counted connections
  std::vector<bool> ready_;               // per connection: joined (or open, plain)
  std::vector<bool> stalled_;
  std::unordered_map<std::int64_t, Request> pending_;
  std::vector<std::string> stall_ends_;
  std::vector<std::string> errors_;
  std::uint64_t error_count_ = 0;
  std::int64_t next_request_ = 1;
  int ready_count_ = 0;
  int failed_count_ = 0;
  int dropped_count_ = 0;  // closed after being ready
  int current_step_ = -1;
  bool step_open_ = false;
};

}  // namespace staffroom::load
