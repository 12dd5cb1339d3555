#include "ws_client.hpp"

#include <boost/asio/buffer.hpp>
#include <boost/beast/core/bind_handler.hpp>
#include <boost/beast/http/field.hpp>
#include <boost/beast/websocket/rfc6455.hpp>

namespace staffroom::load {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace websocket = beast::websocket;

WsClient::WsClient(asio::io_context& ioc, WsClientHandler& handler, int index, int channel)
    : ws_(ioc), handler_(handler), index_(index), channel_(channel) {}

void WsClient::connect(const asio::ip::tcp::endpoint& server,
                       std::optional<asio::ip::address> source, const std::string& target,
                       const std::string& bearer, int rcvbuf) {
  auto& socket = ws_.next_layer();
  beast::error_code ec;
  socket.open(asio::ip::tcp::v4(), ec);
  if (ec) return fail("open: " + ec.message());
  if (rcvbuf > 0) socket.set_option(asio::socket_base::receive_buffer_size(rcvbuf), ec);
  if (source) {
    socket.bind(asio::ip::tcp::endpoint(*source, 0), ec);
    if (ec) return fail("bind: " + ec.message());
  }
  target_ = target;
  if (!bearer.empty()) {
    ws_.set_option(websocket::stream_base::decorator(
        [auth = "Bearer " + bearer](websocket::request_type& req) {
          req.set(beast::http::field::authorization, auth);
        }));
  }
  socket.async_connect(server,
                       beast::bind_front_handler(&WsClient::on_connect, shared_from_this()));
}

void WsClient::on_connect(beast::error_code ec) {
  if (ec) return fail("connect: " + ec.message());
  ws_.next_layer().set_option(asio::ip::tcp::no_delay(true), ec);
  ws_.auto_fragment(false);
  ws_.read_message_max(16 * 1024 * 1024);
  ws_.async_handshake("127.0.0.1", target_,
                      beast::bind_front_handler(&WsClient::on_handshake, shared_from_this()));
}

void WsClient::on_handshake(beast::error_code ec) {
  if (ec) return fail("handshake: " + ec.message());
  open_ = true;
  handler_.on_open(*this);
  do_read();
  if (!queue_.empty() && !writing_) do_write();
}

void WsClient::do_read() {
  if (closed_ || read_pending_ || !reading_) return;
  read_pending_ = true;
  ws_.async_read(buffer_, beast::bind_front_handler(&WsClient::on_read, shared_from_this()));
}

void WsClient::on_read(beast::error_code ec, std::size_t) {
  read_pending_ = false;
  if (ec) {
    const auto& reason = ws_.reason();
    return fail(ec == websocket::error::closed
                    ? "closed " + std::to_string(reason.code) + " " +
                          std::string(reason.reason.data(), reason.reason.size())
                    : "read: " + ec.message());
  }
  ++frames_read_;
  const auto data = buffer_.cdata();
  handler_.on_frame(*this, std::string_view(static_cast<const char*>(data.data()), data.size()));
  buffer_.consume(buffer_.size());
  do_read();
}

void WsClient::resume_reading() {
  reading_ = true;
  if (open_) do_read();
}

void WsClient::send(Payload frame) {
  if (closed_) return;
  queue_.push_back(std::move(frame));
  if (open_ && !writing_) do_write();
}

void WsClient::do_write() {
  writing_ = true;
  ws_.text(true);
  ws_.async_write(asio::buffer(*queue_.front()),
                  beast::bind_front_handler(&WsClient::on_write, shared_from_this()));
}

void WsClient::on_write(beast::error_code ec, std::size_t) {
  writing_ = false;
  if (ec) return fail("write: " + ec.message());
  queue_.pop_front();
  if (!queue_.empty()) do_write();
}

void WsClient::close() {
  if (closed_) return;
  closed_ = true;
  open_ = false;
  beast::error_code ignored;
  ws_.next_layer().close(ignored);
}

void WsClient::fail(const std::string& why) {
  if (closed_) return;
  close();
  handler_.on_closed(*this, why);
}

}  // namespace staffroom::load
