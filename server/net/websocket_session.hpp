// One WebSocket connection: frames read and written by hand on a non-blocking socket.
#pragma once

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <memory>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "app/event_bus.hpp"
#include "domain/types.hpp"
#include "net/frame_writer.hpp"
#include "net/net_context.hpp"
#include "net/replay_queue.hpp"
#include "net/send_batch.hpp"
#include "protocol/ws_frames.hpp"

namespace staffroom::net {

class SendBatch;

/// A signed-in client's socket after the upgrade. All its state is touched only on the thread
/// of its io_context (its shard); other threads reach it through the hub or post().
class WebsocketSession final : public app::ClientConnection,
                               public std::enable_shared_from_this<WebsocketSession> {
 public:
  WebsocketSession(boost::asio::ip::tcp::socket&& socket, std::size_t shard, NetContext& context,
                   domain::User user, std::string token_hash);
  ~WebsocketSession() override;

  /// Starts reading and joins the hub. On the session's thread, right after the handshake.
  void start();

  void send(app::Frame frame) override;
  void hold(const std::vector<domain::ChannelId>& channels) override;
  void end_initial_hold() override;
  void release(domain::ChannelId channel, std::vector<app::Frame> replay,
               domain::Seq up_to) override;
  domain::UserId user_id() const override { return user_.id; }
  const std::string& token_hash() const { return token_hash_; }
  std::size_t shard() const { return shard_; }
  std::shared_ptr<WebsocketSession> self() { return shared_from_this(); }

  // Called by the hub on the session's thread.
  /// Queues a frame (a channel event when `channel` is set) without writing it; true when the
  /// session should be flushed with flush_marked() (it is marked once until then).
  bool deliver_here(const app::Frame& frame, domain::ChannelId channel, domain::Seq seq);
  void flush_marked();
  /// flush_marked() split around a SendBatch, so the hub writes many sessions with one system
  /// call: the first write goes into `batch` (its slot is returned), or, when there is nothing
  /// to write or no room, the session flushes at once and null is returned.
  GatheredWrite* flush_marked_into(SendBatch& batch);
  /// The rest of that flush, once the batch has run.
  void flush_marked_after(const GatheredWrite& write);
  /// Closes with `code`; the TCP connection is dropped if the close does not finish in 1 s.
  void close_here(std::uint16_t code, const std::string& reason);

 private:
  using Clock = std::chrono::steady_clock;
  void wait_readable();
  void on_readable(const boost::system::error_code& ec);
  bool on_frame(const protocol::WsFrameReader::Event& event);
  void on_peer_close(std::string_view payload);
  void enqueue(app::Frame frame);
  void queue_control(protocol::WsOpcode opcode, std::string payload);
  void pump();
  void flush();
  void wait_writable();
  void start_close(std::uint16_t code, std::string_view reason);
  void arm_timer();
  void on_timer(const boost::system::error_code& ec);
  void finish();
  void flush_held(domain::ChannelId channel, domain::Seq up_to);

  boost::asio::ip::tcp::socket socket_;
  boost::asio::steady_timer timer_;  // initial hold, idle pings and timeout, close deadline
  std::size_t shard_;
  NetContext& context_;
  domain::User user_;
  std::string token_hash_;
  protocol::WsFrameReader reader_;
  FrameWriter writer_;
  Clock::time_point last_read_;
  Clock::time_point hold_until_;
  Clock::time_point close_deadline_;
  Clock::time_point timer_at_;
  bool open_ = false;
  bool marked_ = false;         // in the hub's list of sessions to flush
  bool write_waiting_ = false;  // the socket is full; a wait for writability is pending
  bool ping_sent_ = false;      // in the current idle period
  bool closing_ = false;        // our close frame is queued; nothing else is sent
  bool shut_down_ = false;      // our close frame is written and the send side shut
  bool peer_closed_ = false;    // the peer's close frame arrived
  bool finished_ = false;

  // Catch-up: until the first request every channel event waits (initial_hold_); during a
  // session.resume the resumed channels wait until their replay is queued.
  struct Held {
    domain::Seq seq;
    app::Frame frame;
  };
  bool initial_hold_ = true;
  std::unordered_set<domain::ChannelId> holding_;
  std::unordered_map<domain::ChannelId, std::vector<Held>> held_;
  std::size_t held_count_ = 0;
  ReplayQueue backlog_;
};

}  // namespace staffroom::net
