#include "net/ws_handshake.hpp"

#include <boost/beast/websocket.hpp>
#include <memory>

namespace staffroom::net {

namespace beast = boost::beast;
namespace websocket = beast::websocket;
using tcp = boost::asio::ip::tcp;

void accept_websocket(tcp::socket socket, UpgradeRequest request, const std::string& server_header,
                      HandshakeDone done) {
  // The stream lives only for the handshake; its buffers are gone once the socket is handed on.
  auto ws = std::make_shared<websocket::stream<tcp::socket>>(std::move(socket));
  websocket::stream_base::timeout timeouts =
      websocket::stream_base::timeout::suggested(beast::role_type::server);
  ws->set_option(timeouts);
  ws->set_option(websocket::stream_base::decorator([server_header](websocket::response_type& res) {
    res.set(beast::http::field::server, server_header);
  }));
  auto shared = std::make_shared<UpgradeRequest>(std::move(request));
  ws->async_accept(*shared, [ws, shared, done = std::move(done)](beast::error_code ec) {
    done(ec, std::move(ws->next_layer()));
  });
}

}  // namespace staffroom::net
