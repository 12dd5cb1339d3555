#include "net/listener.hpp"

#include <spdlog/spdlog.h>

#include "net/http_session.hpp"

namespace staffroom::net {

namespace asio = boost::asio;

Listener::Listener(IoPool& pool, const asio::ip::tcp::endpoint& endpoint, NetContext& context)
    : pool_(pool), acceptor_(pool.context(0)), context_(context) {
  acceptor_.open(endpoint.protocol());
  acceptor_.set_option(asio::socket_base::reuse_address(true));
  acceptor_.bind(endpoint);
  acceptor_.listen(asio::socket_base::max_listen_connections);
  port_ = acceptor_.local_endpoint().port();
}

void Listener::run() { do_accept(); }

void Listener::stop() {
  asio::post(acceptor_.get_executor(), [self = shared_from_this()] {
    boost::system::error_code ignored;
    self->acceptor_.close(ignored);
  });
}

void Listener::do_accept() {
  // Each connection lives on one network thread (round robin): its handlers never run
  // concurrently, with no strand needed.
  shard_ = pool_.next_index();
  acceptor_.async_accept(
      pool_.context(shard_),
      [self = shared_from_this()](boost::beast::error_code ec, asio::ip::tcp::socket socket) {
        self->on_accept(ec, std::move(socket));
      });
}

void Listener::on_accept(boost::beast::error_code ec, asio::ip::tcp::socket socket) {
  if (ec == asio::error::operation_aborted || !acceptor_.is_open()) return;
  if (ec) {
    // EMFILE and friends: log and keep accepting rather than stopping the server.
    spdlog::warn("accept failed: {}", ec.message());
  } else {
    boost::system::error_code ignored;
    socket.set_option(asio::ip::tcp::no_delay(true), ignored);
    std::make_shared<HttpSession>(std::move(socket), shard_, context_)->run();
  }
  do_accept();
}

}  // namespace staffroom::net
