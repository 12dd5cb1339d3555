#include "ws_client.hpp"

#include <boost/asio/buffer.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/write.hpp>
#include <cerrno>
#include <cstring>

namespace staffroom::load {

namespace asio = boost::asio;
using protocol::WsOpcode;

namespace {

// A client frame. The mask key is zero, which leaves the payload as it is: a load generator
// gains nothing from hiding its bytes from proxies, and the server unmasks all the same.
std::string client_frame(WsOpcode opcode, std::string_view payload) {
  std::string frame;
  frame.reserve(payload.size() + 14);
  frame.push_back(static_cast<char>(0x80 | static_cast<unsigned>(opcode)));
  if (payload.size() < 126) {
    frame.push_back(static_cast<char>(0x80 | payload.size()));
  } else if (payload.size() <= 0xFFFF) {
    frame.push_back(static_cast<char>(0x80 | 126));
    frame.push_back(static_cast<char>(payload.size() >> 8));
    frame.push_back(static_cast<char>(payload.size() & 0xFF));
  } else {
    frame.push_back(static_cast<char>(0x80 | 127));
    for (int i = 7; i >= 0; --i)
      frame.push_back(static_cast<char>((payload.size() >> (8 * i)) & 0xFF));
  }
  frame.append(4, '\0');
  frame.append(payload);
  return frame;
}

}  // namespace

WsClient::WsClient(asio::io_context& ioc, WsClientHandler& handler, int index, int channel,
                   RingReader* ring)
    : socket_(ioc),
      handler_(handler),
      reader_(16 * 1024 * 1024, protocol::WsFrameReader::Peer::server),
      ring_(ring),
      index_(index),
      channel_(channel) {}

WsClient::~WsClient() {
  if (watching_) ring_->stop(watch_);
}

void WsClient::connect(const asio::ip::tcp::endpoint& server,
                       std::optional<asio::ip::address> source, const std::string& target,
                       const std::string& bearer, int rcvbuf) {
  boost::system::error_code ec;
  socket_.open(asio::ip::tcp::v4(), ec);
  if (ec) return fail("open: " + ec.message());
  if (rcvbuf > 0) socket_.set_option(asio::socket_base::receive_buffer_size(rcvbuf), ec);
  if (source) {
    socket_.bind(asio::ip::tcp::endpoint(*source, 0), ec);
    if (ec) return fail("bind: " + ec.message());
  }
  target_ = target;
  bearer_ = bearer;
  socket_.async_connect(server, [self = shared_from_this()](const boost::system::error_code& e) {
    self->on_connect(e);
  });
}

void WsClient::on_connect(const boost::system::error_code& ec) {
  if (ec) return fail("connect: " + ec.message());
  boost::system::error_code ignored;
  socket_.set_option(asio::ip::tcp::no_delay(true), ignored);
  auto request = std::make_shared<std::string>(
      "GET " + target_ +
      " HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
      "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n");
  if (!bearer_.empty()) *request += "Authorization: Bearer " + bearer_ + "\r\n";
  *request += "\r\n";
  asio::async_write(
      socket_, asio::buffer(*request),
      [self = shared_from_this(), request](const boost::system::error_code& e, std::size_t) {
        if (e) return self->fail("handshake write: " + e.message());
        asio::async_read_until(self->socket_, asio::dynamic_buffer(self->handshake_), "\r\n\r\n",
                               [self](const boost::system::error_code& re, std::size_t n) {
                                 self->on_handshake(re, n);
                               });
      });
}

void WsClient::on_handshake(const boost::system::error_code& ec, std::size_t bytes) {
  if (ec) return fail("handshake: " + ec.message());
  if (handshake_.compare(0, 12, "HTTP/1.1 101") != 0) {
    return fail("handshake: " + handshake_.substr(0, handshake_.find('\r')));
  }
  // Frames the server sent right behind its response arrived with it.
  std::string early = handshake_.substr(bytes);
  std::string().swap(handshake_);
  buffer_.resize(16 * 1024);
  open_ = true;
  handler_.on_open(*this);
  if (!early.empty() && !closed_) {
    if (auto error = reader_.feed(early.data(), early.size(),
                                  [this](const auto& e) { return on_event(e); })) {
      return fail(std::string("bad frame: ") + error->reason);
    }
  }
  if (!queue_.empty() && !writing_) do_write();
  wait_readable();
}

void WsClient::wait_readable() {
  if (closed_ || !reading_) return;
  if (ring_ != nullptr) {
    if (watching_) {
      ring_->resume(watch_);
    } else {
      watch_ = ring_->watch(socket_.native_handle(), *this);
      watching_ = true;
    }
    return;
  }
  if (read_pending_) return;
  read_pending_ = true;
  // A read (not a wait for readability): Asio then needs no epoll_ctl per frame, which
  // matters when one core reads 200,000 frames a second.
  socket_.async_read_some(
      asio::buffer(buffer_),
      [self = shared_from_this()](const boost::system::error_code& ec, std::size_t n) {
        self->read_pending_ = false;
        self->on_read(ec, n);
      });
}

void WsClient::on_ring_bytes(char* data, std::size_t size) {
  if (closed_) return;
  auto self = shared_from_this();  // a handler may drop the last other owner
  if (auto error = reader_.feed(data, size, [this](const auto& e) { return on_event(e); })) {
    fail(std::string("bad frame: ") + error->reason);
  }
}

void WsClient::on_ring_end(int result) {
  if (closed_) return;
  ring_->stop(watch_);
  watching_ = false;
  if (result == -EINVAL || result == -EOPNOTSUPP) {
    ring_ = nullptr;  // this kernel cannot read sockets this way: Asio reads this one
    return wait_readable();
  }
  fail(result == 0 ? std::string("read: end of stream")
                   : "read: " + std::string(std::strerror(-result)));
}

void WsClient::on_read(const boost::system::error_code& ec, std::size_t n) {
  if (closed_) return;
  if (ec) return fail("read: " + ec.message());
  if (auto error = reader_.feed(buffer_.data(), n, [this](const auto& e) { return on_event(e); })) {
    return fail(std::string("bad frame: ") + error->reason);
  }
  wait_readable();
}

bool WsClient::on_event(const protocol::WsFrameReader::Event& event) {
  if (closed_) return false;
  switch (event.opcode) {
    case WsOpcode::text:
    case WsOpcode::binary:
      ++frames_read_;
      handler_.on_frame(*this, event.payload);
      return !closed_;
    case WsOpcode::ping:
      queue_.push_back(client_frame(WsOpcode::pong, event.payload));
      if (!writing_) do_write();
      return true;
    case WsOpcode::close: {
      const auto code = event.payload.size() >= 2
                            ? (static_cast<unsigned char>(event.payload[0]) << 8) |
                                  static_cast<unsigned char>(event.payload[1])
                            : 1005;
      fail("closed " + std::to_string(code) + " " +
           std::string(event.payload.substr(std::min<std::size_t>(2, event.payload.size()))));
      return false;
    }
    default:
      return true;
  }
}

void WsClient::stop_reading() {
  reading_ = false;
  if (watching_) ring_->pause(watch_);
}

void WsClient::resume_reading() {
  reading_ = true;
  if (open_) wait_readable();
}

void WsClient::send(Payload frame) {
  if (closed_) return;
  queue_.push_back(client_frame(WsOpcode::text, *frame));
  if (open_ && !writing_) do_write();
}

void WsClient::do_write() {
  writing_ = true;
  asio::async_write(socket_, asio::buffer(queue_.front()),
                    [self = shared_from_this()](const boost::system::error_code& ec, std::size_t) {
                      self->writing_ = false;
                      if (ec) return self->fail("write: " + ec.message());
                      self->queue_.pop_front();
                      if (!self->queue_.empty() && !self->closed_) self->do_write();
                    });
}

void WsClient::close() {
  if (closed_) return;
  closed_ = true;
  open_ = false;
  if (watching_) ring_->stop(watch_);
  watching_ = false;
  boost::system::error_code ignored;
  socket_.close(ignored);
}

void WsClient::fail(const std::string& why) {
  if (closed_) return;
  close();
  handler_.on_closed(*this, why);
}

}  // namespace staffroom::load
