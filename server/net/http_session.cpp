#include "net/http_session.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <boost/beast/websocket.hpp>

#include "app/metrics.hpp"
#include "net/static_files.hpp"
#include "net/websocket_session.hpp"
#include "net/ws_handshake.hpp"
#include "protocol/limits.hpp"

namespace staffroom::net {

namespace beast = boost::beast;
namespace http = beast::http;
namespace asio = boost::asio;

std::optional<std::string> request_token(const http::request<http::string_body>& request) {
  const auto auth = request[http::field::authorization];
  constexpr std::string_view kBearer = "Bearer ";
  if (auth.size() > kBearer.size() && auth.substr(0, kBearer.size()) == kBearer) {
    return std::string(auth.substr(kBearer.size()));
  }
  const std::string_view cookies = request[http::field::cookie];
  constexpr std::string_view kName = "staffroom_session=";
  std::size_t pos = 0;
  while (pos < cookies.size()) {
    while (pos < cookies.size() && (cookies[pos] == ' ' || cookies[pos] == ';')) ++pos;
    const auto end = std::min(cookies.find(';', pos), cookies.size());
    const auto pair = cookies.substr(pos, end - pos);
    if (pair.substr(0, kName.size()) == kName && pair.size() > kName.size()) {
      return std::string(pair.substr(kName.size()));
    }
    pos = end;
  }
  return std::nullopt;
}

HttpSession::HttpSession(asio::ip::tcp::socket&& socket, std::size_t shard, NetContext& context)
    : stream_(std::move(socket)), shard_(shard), context_(context) {}

void HttpSession::run() {
  asio::dispatch(stream_.get_executor(),
                 beast::bind_front_handler(&HttpSession::do_read, shared_from_this()));
}

void HttpSession::do_read() {
  parser_.emplace();
  parser_->header_limit(protocol::limits::kHttpHeaderBytes);
  parser_->body_limit(protocol::limits::kHttpBodyBytes);
  stream_.expires_after(std::chrono::seconds(30));
  http::async_read(stream_, buffer_, *parser_,
                   beast::bind_front_handler(&HttpSession::on_read, shared_from_this()));
}

void HttpSession::on_read(beast::error_code ec, std::size_t) {
  if (ec == http::error::end_of_stream) {
    stream_.socket().shutdown(asio::ip::tcp::socket::shutdown_send, ec);
    return;
  }
  if (ec == http::error::body_limit) {
    return send_error(413, "request body is over 64 KiB", true);
  }
  if (ec == http::error::header_limit) {
    return send_error(431, "request headers are over 8 KiB", true);
  }
  if (ec) {
    if (ec != beast::error::timeout && ec != asio::error::operation_aborted &&
        ec != asio::error::connection_reset) {
      // A malformed request: say so once, then close.
      return send_error(400, "malformed HTTP request", true);
    }
    return;
  }
  context_.metrics.http_requests.fetch_add(1, std::memory_order_relaxed);
  route(parser_->release());
}

bool HttpSession::origin_allowed(const Request& request) const {
  const auto origin = request[http::field::origin];
  if (origin.empty()) return true;  // not a browser: no cross-site cookie to protect
  return std::any_of(context_.allowed_origins.begin(), context_.allowed_origins.end(),
                     [&](const std::string& allowed) { return allowed == origin; });
}

void HttpSession::route(Request request) {
  const std::string target(request.target());
  const std::string path = target.substr(0, target.find('?'));
  if (path == "/ws" && beast::websocket::is_upgrade(request)) return upgrade(std::move(request));
  if (path == "/ws") {
    return send_error(400, "expected a WebSocket upgrade", !request.keep_alive());
  }
  if (app::HttpApi::owns(path)) {
    const bool safe = request.method() == http::verb::get || request.method() == http::verb::head;
    if (!safe && !origin_allowed(request)) {
      return send_error(403, "origin not allowed", !request.keep_alive());
    }
    boost::system::error_code ignored;
    const auto peer = stream_.socket().remote_endpoint(ignored).address().to_string();
    app::HttpCall call{std::string(request.method_string()), path, std::move(request.body()),
                       request_token(request), peer};
    auto shared = std::make_shared<Request>(std::move(request));
    context_.api.handle(std::move(call), [self = shared_from_this(), shared](app::HttpAnswer a) {
      // Answers arrive from other threads: write on this connection's thread.
      asio::post(self->stream_.get_executor(), [self, shared, a = std::move(a)]() mutable {
        self->answer(*shared, std::move(a));
      });
    });
    return;
  }
  if (request.method() != http::verb::get && request.method() != http::verb::head) {
    return send_error(405, "only GET and HEAD are allowed here", !request.keep_alive());
  }
  auto file = context_.files.get(path, std::string(request[http::field::if_none_match]));
  Response res{static_cast<http::status>(file.status), request.version()};
  res.set(http::field::server, "staffroom/" + context_.version);
  if (!file.content_type.empty()) res.set(http::field::content_type, file.content_type);
  for (const auto& [k, v] : StaticFiles::security_headers()) res.set(k, v);
  for (const auto& [k, v] : file.headers) res.set(k, v);
  const bool head = request.method() == http::verb::head;
  res.body() = head ? std::string() : std::move(file.body);
  res.keep_alive(request.keep_alive());
  res.prepare_payload();
  if (head) res.content_length(file.body.size());
  write(std::move(res));
}

void HttpSession::upgrade(Request request) {
  if (!origin_allowed(request)) {
    return send_error(403, "origin not allowed", true);
  }
  auto token = request_token(request);
  if (!token) return send_error(401, "sign in first", true);
  auto shared = std::make_shared<Request>(std::move(request));
  context_.api.authenticate(*token, [self = shared_from_this(),
                                     shared](std::optional<app::Authenticated> who) {
    asio::post(self->stream_.get_executor(), [self, shared, who = std::move(who)]() mutable {
      if (!who) return self->send_error(401, "session is not valid", true);
      self->stream_.expires_never();
      accept_websocket(
          self->stream_.release_socket(), std::move(*shared), "staffroom/" + self->context_.version,
          [context = &self->context_, shard = self->shard_, who = std::move(*who)](
              boost::system::error_code ec, asio::ip::tcp::socket socket) mutable {
            if (ec) return;  // Beast has answered a bad upgrade request already
            std::make_shared<WebsocketSession>(std::move(socket), shard, *context,
                                               std::move(who.user), std::move(who.token_hash))
                ->start();
          });
    });
  });
}

void HttpSession::answer(const Request& request, app::HttpAnswer a) {
  Response res{static_cast<http::status>(a.status), request.version()};
  res.set(http::field::server, "staffroom/" + context_.version);
  res.set(http::field::content_type, a.content_type);
  res.set(http::field::cache_control, "no-store");
  res.set("X-Content-Type-Options", "nosniff");
  for (const auto& [k, v] : a.headers) res.insert(k, v);
  res.body() = request.method() == http::verb::head ? std::string() : std::move(a.body);
  res.keep_alive(request.keep_alive());
  res.prepare_payload();
  write(std::move(res));
}

void HttpSession::send_error(int status, const char* message, bool close) {
  const auto a = app::HttpApi::refusal(status, message);
  Response res{static_cast<http::status>(status), 11};
  res.set(http::field::server, "staffroom/" + context_.version);
  res.set(http::field::content_type, a.content_type);
  res.body() = a.body;
  res.keep_alive(!close);
  res.prepare_payload();
  write(std::move(res));
}

void HttpSession::write(Response response) {
  auto shared = std::make_shared<Response>(std::move(response));
  const bool keep_alive = shared->keep_alive();
  http::async_write(
      stream_, *shared,
      [self = shared_from_this(), shared, keep_alive](beast::error_code ec, std::size_t bytes) {
        self->on_write(keep_alive, ec, bytes);
      });
}

void HttpSession::on_write(bool keep_alive, beast::error_code ec, std::size_t) {
  if (ec) return;
  if (!keep_alive) {
    stream_.socket().shutdown(asio::ip::tcp::socket::shutdown_send, ec);
    return;
  }
  do_read();
}

}  // namespace staffroom::net
