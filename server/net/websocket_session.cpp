#include "net/websocket_session.hpp"

#include <spdlog/spdlog.h>

#include <array>
#include <boost/asio/post.hpp>
#include <cerrno>

#include "app/dispatcher.hpp"
#include "app/metrics.hpp"
#include "net/hub.hpp"
#include "net/send_batch.hpp"
#include "protocol/limits.hpp"

namespace staffroom::net {

namespace asio = boost::asio;
using protocol::WsOpcode;
namespace ws_close = protocol::ws_close;

namespace {

constexpr auto kInitialHold = std::chrono::seconds(2);
constexpr auto kCloseDeadline = std::chrono::seconds(1);
constexpr int kReadsPerTurn = 4;  // then other connections on the thread get their turn
// Replayed frames enter the send queue only as it drains, so a long replay neither trips the
// slow-consumer bound nor holds thousands of frames in the queue at once.
constexpr std::size_t kReplayLowWater = 64;

// One read buffer per thread instead of one per connection: idle connections hold none.
std::array<char, 64 * 1024>& read_buffer() {
  thread_local std::array<char, 64 * 1024> buffer;
  return buffer;
}

}  // namespace

WebsocketSession::WebsocketSession(asio::ip::tcp::socket&& socket, std::size_t shard,
                                   NetContext& context, domain::User user, std::string token_hash)
    : socket_(std::move(socket)),
      timer_(socket_.get_executor()),
      shard_(shard),
      context_(context),
      user_(std::move(user)),
      token_hash_(std::move(token_hash)),
      reader_(protocol::limits::kFrameBytes) {}

// Nothing here may touch context_: at exit the io_context destroys pending handlers (and
// with them sessions) after the rest of the server is gone.
WebsocketSession::~WebsocketSession() = default;

void WebsocketSession::start() {
  boost::system::error_code ec;
  socket_.non_blocking(true, ec);  // writes and reads are tried at once, never waited on
  if (ec) return finish();
  open_ = true;
  context_.metrics.connections.fetch_add(1, std::memory_order_relaxed);
  context_.metrics.connections_total.fetch_add(1, std::memory_order_relaxed);
  last_read_ = Clock::now();
  hold_until_ = last_read_ + kInitialHold;
  // hello is sent before the session joins the hub, so it is always the first frame.
  context_.dispatcher.opened(*this, user_);
  context_.hub.join(this);
  arm_timer();
  wait_readable();
}

void WebsocketSession::wait_readable() {
  socket_.async_wait(
      asio::socket_base::wait_read,
      [self = shared_from_this()](const boost::system::error_code& ec) { self->on_readable(ec); });
}

void WebsocketSession::on_readable(const boost::system::error_code& ec) {
  if (ec) return finish();
  auto& buffer = read_buffer();
  for (int turn = 0; turn < kReadsPerTurn && !finished_; ++turn) {
    boost::system::error_code read_ec;
    const std::size_t n = socket_.read_some(asio::buffer(buffer), read_ec);
    if (read_ec == asio::error::would_block || read_ec == asio::error::try_again) break;
    if (read_ec) return finish();  // end of stream or reset: the peer is gone
    last_read_ = Clock::now();
    ping_sent_ = false;
    if (!peer_closed_) {
      const auto error =
          reader_.feed(buffer.data(), n, [this](const auto& e) { return on_frame(e); });
      // A protocol violation: say why in a close frame, read nothing more from it.
      if (error) start_close(error->code, error->reason);
    }
    if (n < buffer.size()) break;
  }
  flush();  // pongs and close frames the frames above asked for
  if (!finished_) wait_readable();
}

bool WebsocketSession::on_frame(const protocol::WsFrameReader::Event& event) {
  switch (event.opcode) {
    case WsOpcode::text:
      if (!closing_) context_.dispatcher.dispatch(shared_from_this(), event.payload);
      return true;
    case WsOpcode::binary:
      if (!closing_) context_.dispatcher.binary_frame(*this);
      return true;
    case WsOpcode::ping:
      queue_control(WsOpcode::pong, std::string(event.payload));
      return true;
    case WsOpcode::close:
      on_peer_close(event.payload);
      return false;
    default:
      return true;  // a pong: the read itself already reset the idle clock
  }
}

void WebsocketSession::on_peer_close(std::string_view payload) {
  peer_closed_ = true;
  if (closing_) {
    // Our close went first; once it is written the handshake is complete.
    if (shut_down_) finish();
    return;
  }
  const std::uint16_t code =
      payload.size() >= 2
          ? static_cast<std::uint16_t>((static_cast<unsigned char>(payload[0]) << 8) |
                                       static_cast<unsigned char>(payload[1]))
          : ws_close::normal;
  start_close(code, "");
}

void WebsocketSession::send(app::Frame frame) {
  context_.hub.send(shared_from_this(), std::move(frame));
}

bool WebsocketSession::deliver_here(const app::Frame& frame, domain::ChannelId channel,
                                    domain::Seq seq) {
  if (finished_ || closing_) return false;
  if (channel == 0 || (!initial_hold_ && holding_.count(channel) == 0)) {
    enqueue(frame);
  } else if (held_count_ + writer_.size() + 1 > context_.send_queue_messages) {
    // Held events count against the same bound as queued ones.
    context_.metrics.queue_drops.fetch_add(1, std::memory_order_relaxed);
    start_close(ws_close::policy, "send queue full");
  } else {
    held_[channel].push_back(Held{seq, frame});
    ++held_count_;
  }
  if (marked_ || writer_.empty()) return false;
  marked_ = true;
  return true;
}

void WebsocketSession::flush_marked() {
  marked_ = false;
  flush();
}

GatheredWrite* WebsocketSession::flush_marked_into(SendBatch& batch) {
  marked_ = false;
  if (finished_ || write_waiting_ || shut_down_) return nullptr;
  GatheredWrite* write = writer_.empty() ? nullptr : batch.add(socket_.native_handle());
  if (write == nullptr) {
    flush();
    return nullptr;
  }
  writer_.gather(*write);
  return write;
}

void WebsocketSession::flush_marked_after(const GatheredWrite& write) {
  if (finished_) return;
  if (write.result == -EAGAIN || write.result == -EWOULDBLOCK) return wait_writable();
  if (write.result < 0) return finish();  // reset or gone: the read side sees it too
  if (!writer_.took(write, static_cast<std::size_t>(write.result))) return wait_writable();
  flush();  // what did not fit in one write, replay frames waiting behind it, a close
}

void WebsocketSession::close_here(std::uint16_t code, const std::string& reason) {
  start_close(code, reason);
  flush();
}

void WebsocketSession::hold(const std::vector<domain::ChannelId>& channels) {
  holding_.insert(channels.begin(), channels.end());
}

void WebsocketSession::end_initial_hold() {
  if (!initial_hold_) return;
  initial_hold_ = false;
  std::vector<domain::ChannelId> ready;
  for (const auto& [channel, events] : held_) {
    if (holding_.count(channel) == 0) ready.push_back(channel);
  }
  for (auto channel : ready) flush_held(channel, 0);
}

void WebsocketSession::release(domain::ChannelId channel, std::vector<app::Frame> replay,
                               domain::Seq up_to) {
  // Through the hub, so the replay keeps its place among replies and events sent before it.
  context_.hub.run(
      shard_, [self = shared_from_this(), channel, replay = std::move(replay), up_to]() mutable {
        if (self->finished_ || self->closing_) return;
        for (auto& frame : replay) self->backlog_.push(std::move(frame), false);
        self->holding_.erase(channel);
        self->flush_held(channel, up_to);
        self->pump();
        self->flush();
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
  if (writer_.size() + backlog_.live() + 1 > context_.send_queue_messages ||
      writer_.bytes() + frame->size() > context_.send_queue_bytes) {
    // A consumer that does not keep up is closed, not buffered forever; it catches up later.
    context_.metrics.queue_drops.fetch_add(1, std::memory_order_relaxed);
    spdlog::info("closing {}'s connection: send queue over its bound", user_.handle);
    return start_close(ws_close::policy, "send queue full");
  }
  // While a replay is metered out, what comes after it waits behind it, in order.
  if (!backlog_.empty()) return backlog_.push(std::move(frame), true);
  writer_.push(std::move(frame));
}

void WebsocketSession::queue_control(WsOpcode opcode, std::string payload) {
  if (closing_ || finished_) return;
  if (writer_.size() + 1 > context_.send_queue_messages) {
    return start_close(ws_close::policy, "send queue full");  // pings faster than it reads
  }
  writer_.push(std::make_shared<const std::string>(std::move(payload)), opcode);
}

void WebsocketSession::pump() {
  while (!backlog_.empty() && writer_.size() < kReplayLowWater && !closing_) {
    writer_.push(backlog_.pop().frame);
  }
}

void WebsocketSession::flush() {
  if (finished_ || write_waiting_ || shut_down_) return;
  for (;;) {
    int error = 0;
    const auto result = writer_.write(socket_.native_handle(), error);
    if (result == FrameWriter::Result::failed) return finish();
    if (result == FrameWriter::Result::blocked) return wait_writable();
    if (backlog_.empty() || closing_) break;
    pump();
  }
  if (!closing_) return;
  // Everything queued went out, our close frame last: no more bytes from this side.
  shut_down_ = true;
  boost::system::error_code ignored;
  socket_.shutdown(asio::socket_base::shutdown_send, ignored);
  if (peer_closed_) finish();  // both closes are exchanged: drop the TCP connection
}

void WebsocketSession::wait_writable() {
  write_waiting_ = true;
  socket_.async_wait(asio::socket_base::wait_write,
                     [self = shared_from_this()](const boost::system::error_code& ec) {
                       self->write_waiting_ = false;
                       if (ec) return self->finish();
                       self->flush();
                     });
}

void WebsocketSession::start_close(std::uint16_t code, std::string_view reason) {
  if (closing_ || finished_) return;
  writer_.drop_unstarted();
  backlog_ = ReplayQueue();
  held_.clear();
  held_count_ = 0;
  writer_.push(std::make_shared<const std::string>(protocol::ws_close_payload(code, reason)),
               WsOpcode::close);
  closing_ = true;
  // A stalled peer never completes a close handshake: drop the TCP connection after 1 s.
  close_deadline_ = Clock::now() + kCloseDeadline;
  arm_timer();
}

void WebsocketSession::arm_timer() {
  if (finished_) return;
  const auto idle = std::chrono::duration_cast<Clock::duration>(context_.idle_timeout);
  Clock::time_point next;
  if (closing_) {
    next = close_deadline_;
  } else {
    // Ping after half the idle timeout without a byte from the peer; drop it at the timeout.
    next = last_read_ + (ping_sent_ ? idle : idle / 2);
    if (initial_hold_) next = std::min(next, hold_until_);
  }
  if (next == timer_at_) return;  // already waiting for exactly that
  timer_at_ = next;
  timer_.expires_at(next);
  timer_.async_wait(
      [self = shared_from_this()](const boost::system::error_code& ec) { self->on_timer(ec); });
}

void WebsocketSession::on_timer(const boost::system::error_code& ec) {
  if (ec) return;  // re-armed or cancelled
  timer_at_ = {};
  const auto now = Clock::now();
  if (closing_) {
    if (now >= close_deadline_) return finish();
  } else {
    if (initial_hold_ && now >= hold_until_) end_initial_hold();
    const auto idle = now - last_read_;
    if (idle >= context_.idle_timeout) {
      spdlog::debug("dropping {}'s connection: idle", user_.handle);
      return finish();
    }
    if (idle >= context_.idle_timeout / 2 && !ping_sent_) {
      ping_sent_ = true;
      queue_control(WsOpcode::ping, std::string());
    }
  }
  flush();
  arm_timer();
}

void WebsocketSession::finish() {
  if (finished_) return;
  finished_ = true;
  boost::system::error_code ignored;
  socket_.close(ignored);  // ends the pending waits; their handlers release this session
  timer_.cancel();
  if (!open_) return;
  context_.metrics.connections.fetch_sub(1, std::memory_order_relaxed);
  context_.hub.leave(this);
}

}  // namespace staffroom::net
