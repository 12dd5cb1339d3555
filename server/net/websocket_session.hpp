// One WebSocket connection: the read loop, a bounded send queue with one write in flight.
#pragma once

#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>
#include <deque>
#include <memory>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "app/event_bus.hpp"
#include "domain/types.hpp"
#include "net/net_context.hpp"

namespace staffroom::net {

/// A signed-in client's socket. All its state is touched only on its own strand.
class WebsocketSession final : public app::ClientConnection,
                               public std::enable_shared_from_this<WebsocketSession> {
 public:
  WebsocketSession(boost::asio::ip::tcp::socket&& socket, NetContext& context, domain::User user,
                   std::string token_hash);
  ~WebsocketSession() override;

  /// Accepts the upgrade request the HTTP session already read and authenticated.
  void run(boost::beast::http::request<boost::beast::http::string_body> request);

  void send(app::Frame frame) override;
  /// A channel event (thread-safe): sent in order, or held back during catch-up.
  void deliver(app::Frame frame, domain::ChannelId channel, domain::Seq seq);
  void hold(const std::vector<domain::ChannelId>& channels) override;
  void end_initial_hold() override;
  void release(domain::ChannelId channel, std::vector<app::Frame> replay,
               domain::Seq up_to) override;
  domain::UserId user_id() const override { return user_.id; }
  const std::string& token_hash() const { return token_hash_; }
  /// Closes with `code`; the TCP connection is dropped if the close does not finish in 1 s.
  void close(std::uint16_t code, std::string reason);

 private:
  void on_accept(boost::beast::error_code ec);
  void do_read();
  void on_read(boost::beast::error_code ec, std::size_t bytes);
  void enqueue(app::Frame frame);
  void do_write();
  void on_write(boost::beast::error_code ec, std::size_t bytes);
  void start_close(std::uint16_t code, std::string reason);
  void do_close();
  void finish();
  void on_deliver(app::Frame frame, domain::ChannelId channel, domain::Seq seq);
  void flush_held(domain::ChannelId channel, domain::Seq up_to);
  void pump();

  boost::beast::websocket::stream<boost::beast::tcp_stream> ws_;
  boost::beast::flat_buffer buffer_;
  boost::asio::steady_timer close_deadline_;
  boost::asio::steady_timer initial_hold_deadline_;
  NetContext& context_;
  domain::User user_;
  std::string token_hash_;
  std::deque<app::Frame> queue_;
  std::size_t queued_bytes_ = 0;
  bool writing_ = false;
  bool open_ = false;
  bool closing_ = false;
  bool close_sent_ = false;
  bool finished_ = false;
  boost::beast::websocket::close_reason close_reason_;

  // Catch-up: until the first request every channel event waits (initial_hold_); during a
  // session.resume the resumed channels wait until their replay is queued.
  struct Held {
    domain::Seq seq;
    app::Frame frame;
  };
  bool initial_hold_ = true;
  std::unordered_set<domain::ChannelId> holding_;
  std::unordered_map<domain::ChannelId, std::vector<Held>> held_;
  std::size_t held_count_ = 0;
  struct Backlogged {
    app::Frame frame;
    bool live;  // counts against the send queue bound (replayed frames do not)
  };
  std::deque<Backlogged> backlog_;
  std::size_t backlog_live_ = 0;
};

}  // namespace staffroom::net
