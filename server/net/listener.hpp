// Accepts TCP connections and starts an HTTP session for each on one of the network threads.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/error.hpp>
#include <memory>

#include "net/io_pool.hpp"
#include "net/net_context.hpp"

namespace staffroom::net {

/// Owns the listening socket; stop() closes it so no new connection is accepted.
class Listener final : public std::enable_shared_from_this<Listener> {
 public:
  /// Binds and listens; throws boost::system::system_error when the address is unusable.
  Listener(IoPool& pool, const boost::asio::ip::tcp::endpoint& endpoint, NetContext& context);
  void run();
  void stop();
  unsigned short port() const { return port_; }

 private:
  void do_accept();
  void on_accept(boost::beast::error_code ec, boost::asio::ip::tcp::socket socket);

  IoPool& pool_;
  std::size_t shard_ = 0;  // of the connection being accepted
  boost::asio::ip::tcp::acceptor acceptor_;
  NetContext& context_;
  unsigned short port_ = 0;
};

}  // namespace staffroom::net
