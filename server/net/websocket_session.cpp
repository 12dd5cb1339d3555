#include "net/websocket_session.hpp"

#include <spdlog/spdlog.h>

#include "app/dispatcher.hpp"
#include "app/metrics.hpp"
#include "net/hub.hpp"
#include "protocol/limits.hpp"

namespace staffroom::net {

namespace beast = boost::beast;
namespace websocket = beast::websocket;
namespace asio = boost::asio;

WebsocketSession::WebsocketSession(asio::ip::tcp::socket&& socket, NetContext& context,
                                   domain::User user, std::string token_hash)
    : ws_(std::move(socket)),
      close_deadline_(ws_.get_executor()),
      initial_hold_deadline_(ws_.get_executor()),
      context_(context),
      user_(std::move(user)),
      token_hash_(std::move(token_hash)) {}

// Nothing here may touch context_: at exit the io_context destroys pending handlers (and
// with them sessions) after the rest of the server is gone.
WebsocketSession::~WebsocketSession() = default;

void WebsocketSession::run(beast::http::request<beast::http::string_body> request) {
  beast::get_lowest_layer(ws_).expires_never();  // the websocket stream's own timeouts rule now
  websocket::stream_base::timeout timeouts{};
  timeouts.handshake_timeout = std::chrono::seconds(30);
  timeouts.idle_timeout = std::chrono::seconds(300);
  timeouts.keep_alive_pings = true;  // ping at half the idle time; a live peer's pong resets it
  ws_.set_option(timeouts);
  ws_.set_option(websocket::stream_base::decorator(
      [version = context_.version](websocket::response_type& res) {
        res.set(beast::http::field::server, "staffroom/" + version);
      }));
  ws_.read_message_max(protocol::limits::kFrameBytes);
  ws_.auto_fragment(false);
  ws_.async_accept(request,
                   beast::bind_front_handler(&WebsocketSession::on_accept, shared_from_this()));
}

void WebsocketSession::on_accept(beast::error_code ec) {
  if (ec) return finish();
  open_ = true;
  context_.metrics.connections.fetch_add(1, std::memory_order_relaxed);
  context_.metrics.connections_total.fetch_add(1, std::memory_order_relaxed);
  // hello is queued before the session can receive any event, so it is always first.
  context_.dispatcher.opened(*this, user_);
  context_.hub.join(shared_from_this());
  // A client that never sends a request (a pure listener) still gets its events.
  initial_hold_deadline_.expires_after(std::chrono::seconds(2));
  initial_hold_deadline_.async_wait([self = shared_from_this()](beast::error_code wait_ec) {
    if (!wait_ec) self->end_initial_hold();
  });
  do_read();
}

void WebsocketSession::do_read() {
  ws_.async_read(buffer_,
                 beast::bind_front_handler(&WebsocketSession::on_read, shared_from_this()));
}

void WebsocketSession::on_read(beast::error_code ec, std::size_t) {
  if (ec) {
    // message_too_big: Beast has already sent close 1009. Everything else: the peer is gone.
    if (ec != websocket::error::closed && ec != asio::error::operation_aborted) {
      spdlog::debug("websocket {} read ended: {}", user_.handle, ec.message());
    }
    return finish();
  }
  if (closing_) return;
  if (!ws_.got_text()) {
    context_.dispatcher.binary_frame(*this);
  } else {
    const auto data = buffer_.cdata();
    const std::string_view frame(static_cast<const char*>(data.data()), data.size());
    context_.dispatcher.dispatch(shared_from_this(), frame);
  }
  buffer_.consume(buffer_.size());
  do_read();
}

void WebsocketSession::send(app::Frame frame) {
  asio::post(ws_.get_executor(), [self = shared_from_this(), frame = std::move(frame)]() mutable {
    self->enqueue(std::move(frame));
  });
}

void WebsocketSession::deliver(app::Frame frame, domain::ChannelId channel, domain::Seq seq) {
  asio::post(ws_.get_executor(),
             [self = shared_from_this(), frame = std::move(frame), channel, seq]() mutable {
               self->on_deliver(std::move(frame), channel, seq);
             });
}

void WebsocketSession::on_deliver(app::Frame frame, domain::ChannelId channel, domain::Seq seq) {
  if (channel == 0 || (!initial_hold_ && holding_.count(channel) == 0)) {
    return enqueue(std::move(frame));
  }
  // Held events count against the same bound as queued ones.
  if (held_count_ + queue_.size() + 1 > context_.send_queue_messages) {
    context_.metrics.queue_drops.fetch_add(1, std::memory_order_relaxed);
    return start_close(static_cast<std::uint16_t>(websocket::close_code::policy_error),
                       "send queue full");
  }
  held_[channel].push_back(Held{seq, std::move(frame)});
  ++held_count_;
}

void WebsocketSession::hold(const std::vector<domain::ChannelId>& channels) {
  holding_.insert(channels.begin(), channels.end());
}

void WebsocketSession::end_initial_hold() {
  if (!initial_hold_) return;
  initial_hold_ = false;
  initial_hold_deadline_.cancel();
  std::vector<domain::ChannelId> ready;
  for (const auto& [channel, events] : held_) {
    if (holding_.count(channel) == 0) ready.push_back(channel);
  }
  for (auto channel : ready) flush_held(channel, 0);
}

void WebsocketSession::release(domain::ChannelId channel, std::vector<app::Frame> replay,
                               domain::Seq up_to) {
  asio::post(ws_.get_executor(),
             [self = shared_from_this(), channel, replay = std::move(replay), up_to]() mutable {
               for (auto& frame : replay)
                 self->backlog_.push_back(Backlogged{std::move(frame), false});
               self->holding_.erase(channel);
               self->flush_held(channel, up_to);
               self->pump();
             });
}

void WebsocketSession::flush_held(domain::ChannelId channel, domain::Seq up_to) {
  auto it = held_.find(channel);
  if (it == held_.end()) return;
  auto events = std::move(it->second);
  held_.erase(it);
  held_count_ -= events.size();
  // What the replay already carried (seq <= up_to) is not sent twice.
  for (auto& e : events) {
    if (e.seq > up_to) enqueue(std::move(e.frame));
  }
}

void WebsocketSession::enqueue(app::Frame frame) {
  if (closing_ || finished_) return;
  if (queue_.size() + backlog_live_ + 1 > context_.send_queue_messages ||
      queued_bytes_ + frame->size() > context_.send_queue_bytes) {
    // A consumer that does not keep up is closed, not buffered forever; it catches up later.
    context_.metrics.queue_drops.fetch_add(1, std::memory_order_relaxed);
    spdlog::info("closing {}'s connection: send queue over its bound", user_.handle);
    return start_close(static_cast<std::uint16_t>(websocket::close_code::policy_error),
                       "send queue full");
  }
  if (!backlog_.empty()) {
    // A replay is being metered out: what comes after it waits behind it, in order.
    ++backlog_live_;
    backlog_.push_back(Backlogged{std::move(frame), true});
    return;
  }
  queued_bytes_ += frame->size();
  queue_.push_back(std::move(frame));
  if (!writing_) do_write();
}

void WebsocketSession::pump() {
  // Replayed frames enter the send queue only as it drains, so a long replay neither trips
  // the slow-consumer bound nor holds thousands of frames in the queue at once.
  constexpr std::size_t kLowWater = 64;
  while (!backlog_.empty() && queue_.size() < kLowWater && !closing_) {
    auto item = std::move(backlog_.front());
    backlog_.pop_front();
    if (item.live) --backlog_live_;
    queued_bytes_ += item.frame->size();
    queue_.push_back(std::move(item.frame));
  }
  if (!writing_ && !queue_.empty() && !closing_) do_write();
}

void WebsocketSession::do_write() {
  writing_ = true;
  ws_.text(true);
  ws_.async_write(asio::buffer(*queue_.front()),
                  beast::bind_front_handler(&WebsocketSession::on_write, shared_from_this()));
}

void WebsocketSession::on_write(beast::error_code ec, std::size_t) {
  writing_ = false;
  if (ec) return finish();
  if (!queue_.empty()) {
    queued_bytes_ -= queue_.front()->size();
    queue_.pop_front();
  }
  if (closing_) return do_close();
  if (!backlog_.empty()) return pump();
  if (!queue_.empty()) do_write();
}

void WebsocketSession::close(std::uint16_t code, std::string reason) {
  asio::post(ws_.get_executor(), [self = shared_from_this(), code, reason = std::move(reason)]() {
    self->start_close(code, reason);
  });
}

void WebsocketSession::start_close(std::uint16_t code, std::string reason) {
  if (closing_ || finished_) return;
  closing_ = true;
  close_reason_ = websocket::close_reason(static_cast<websocket::close_code>(code), reason);
  // Drop what is queued; the in-flight write (if any) must finish before the close frame.
  while (queue_.size() > (writing_ ? 1u : 0u)) {
    queued_bytes_ -= queue_.back()->size();
    queue_.pop_back();
  }
  // A stalled peer never completes a close handshake: drop the TCP connection after 1 s.
  close_deadline_.expires_after(std::chrono::seconds(1));
  close_deadline_.async_wait([self = shared_from_this()](beast::error_code ec) {
    if (ec) return;
    beast::error_code ignored;
    beast::get_lowest_layer(self->ws_).socket().close(ignored);
  });
  if (!open_) return;
  if (!writing_) do_close();
}

void WebsocketSession::do_close() {
  if (close_sent_ || finished_) return;
  close_sent_ = true;
  ws_.async_close(close_reason_, [self = shared_from_this()](beast::error_code) {
    // The read loop sees the peer's close (or the deadline's socket close) and finishes.
  });
}

void WebsocketSession::finish() {
  if (finished_) return;
  finished_ = true;
  close_deadline_.cancel();
  initial_hold_deadline_.cancel();
  if (open_) context_.metrics.connections.fetch_sub(1, std::memory_order_relaxed);
  context_.hub.leave(this);
}

}  // namespace staffroom::net
