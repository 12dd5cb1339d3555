#include "account_registry.hpp"

#include <atomic>
#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>
#include <chrono>
#include <fstream>
#include <mutex>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <thread>

namespace staffroom::load {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using json = nlohmann::json;

namespace {

// One POST /api/register; retries while the server's hash queue is full (503).
std::string register_one(unsigned short port, const std::string& handle) {
  const json body = {{"handle", handle}, {"password", "bench-password-1"}};
  for (int attempt = 0; attempt < 200; ++attempt) {
    asio::io_context ioc;
    asio::ip::tcp::socket socket(ioc);
    socket.connect(asio::ip::tcp::endpoint(asio::ip::make_address("127.0.0.1"), port));
    http::request<http::string_body> req{http::verb::post, "/api/register", 11};
    req.set(http::field::host, "127.0.0.1");
    req.set(http::field::content_type, "application/json");
    req.body() = body.dump();
    req.prepare_payload();
    http::write(socket, req);
    beast::flat_buffer buffer;
    http::response<http::string_body> res;
    http::read(socket, buffer, res);
    beast::error_code ignored;
    socket.shutdown(asio::ip::tcp::socket::shutdown_both, ignored);
    if (res.result() == http::status::created) return json::parse(res.body()).at("token");
    if (res.result() != http::status::service_unavailable &&
        res.result() != http::status::too_many_requests) {
      throw std::runtime_error("register " + handle + ": HTTP " + std::to_string(res.result_int()) +
                               " " + res.body());
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  throw std::runtime_error("register " + handle + ": server stayed busy");
}

}  // namespace

bool AccountRegistry::load(const std::string& path, int channels, int accounts_per_channel) {
  std::ifstream in(path);
  if (!in) return false;
  const auto state = json::parse(in);
  if (state.at("channels").get<int>() != channels ||
      state.at("accounts_per_channel").get<int>() != accounts_per_channel) {
    return false;
  }
  accounts_.clear();
  for (const auto& a : state.at("accounts")) accounts_.push_back({a.at("handle"), a.at("token")});
  channel_ids_ = state.at("channel_ids").get<std::vector<std::int64_t>>();
  accounts_per_channel_ = accounts_per_channel;
  return true;
}

void AccountRegistry::save(const std::string& path) const {
  json accounts = json::array();
  for (const auto& a : accounts_) accounts.push_back({{"handle", a.handle}, {"token", a.token}});
  const json state = {{"channels", static_cast<int>(channel_ids_.size())},
                      {"accounts_per_channel", accounts_per_channel_},
                      {"accounts", accounts},
                      {"channel_ids", channel_ids_}};
  std::ofstream(path) << state.dump(1) << '\n';
}

void AccountRegistry::register_all(unsigned short port, int channels, int accounts_per_channel,
                                   const std::string& prefix) {
  const auto total =
      static_cast<std::size_t>(channels) * static_cast<std::size_t>(accounts_per_channel);
  accounts_.assign(total, Account{});
  accounts_per_channel_ = accounts_per_channel;
  std::atomic<std::size_t> next{0};
  std::string error;
  std::mutex error_mutex;
  std::vector<std::thread> workers;
  // The server hashes two at a time; four in flight keep it busy without piling up 503s.
  for (int w = 0; w < 4; ++w) {
    workers.emplace_back([&] {
      for (auto i = next++; i < total; i = next++) {
        const auto c = i / static_cast<std::size_t>(accounts_per_channel);
        const auto k = i % static_cast<std::size_t>(accounts_per_channel);
        auto handle = prefix + std::to_string(c) + "-" + std::to_string(k);
        try {
          accounts_[i] = {handle, register_one(port, handle)};
        } catch (const std::exception& e) {
          std::lock_guard lock(error_mutex);
          error = e.what();
          next = total;
        }
      }
    });
  }
  for (auto& w : workers) w.join();
  if (!error.empty()) throw std::runtime_error(error);
}

const Account& AccountRegistry::account(int channel, int k) const {
  return accounts_.at(static_cast<std::size_t>(channel * accounts_per_channel_ + k));
}

}  // namespace staffroom::load
