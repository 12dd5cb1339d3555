// The WebSocket opening handshake, done by Beast; framing afterwards is the session's own.
#pragma once

#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>
#include <functional>
#include <string>

namespace staffroom::net {

using UpgradeRequest = boost::beast::http::request<boost::beast::http::string_body>;
using HandshakeDone = std::function<void(boost::system::error_code, boost::asio::ip::tcp::socket)>;

/// Answers an upgrade request that is already read and authenticated with 101 (Beast checks
/// the version and key, and refuses what is not a valid upgrade), then hands the socket back.
/// No extension is negotiated, so frames carry no RSV bits.
void accept_websocket(boost::asio::ip::tcp::socket socket, UpgradeRequest request,
                      const std::string& server_header, HandshakeDone done);

}  // namespace staffroom::net
