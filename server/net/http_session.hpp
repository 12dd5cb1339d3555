// One HTTP connection: reads requests with limits, routes them, upgrades /ws.
#pragma once

#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <memory>
#include <optional>

#include "app/http_api.hpp"
#include "net/net_context.hpp"

namespace staffroom::net {

/// Serves static files and the JSON API over keep-alive HTTP/1.1, and hands a WebSocket
/// upgrade of /ws to a WebsocketSession once the token and the Origin are checked.
class HttpSession final : public std::enable_shared_from_this<HttpSession> {
 public:
  /// `shard`: the index of the network thread whose context owns `socket`.
  HttpSession(boost::asio::ip::tcp::socket&& socket, std::size_t shard, NetContext& context);
  void run();

 private:
  using Request = boost::beast::http::request<boost::beast::http::string_body>;
  using Response = boost::beast::http::response<boost::beast::http::string_body>;

  void do_read();
  void on_read(boost::beast::error_code ec, std::size_t bytes);
  void route(Request request);
  void upgrade(Request request);
  void answer(const Request& request, app::HttpAnswer a);
  void write(Response response);
  void on_write(bool keep_alive, boost::beast::error_code ec, std::size_t bytes);
  void send_error(int status, const char* message, bool close);
  bool origin_allowed(const Request& request) const;

  boost::beast::tcp_stream stream_;
  boost::beast::flat_buffer buffer_;
  std::optional<boost::beast::http::request_parser<boost::beast::http::string_body>> parser_;
  std::size_t shard_;
  NetContext& context_;
};

/// The session token a request carries: `Authorization: Bearer …` or the session cookie.
std::optional<std::string> request_token(
    const boost::beast::http::request<boost::beast::http::string_body>& request);

}  // namespace staffroom::net
