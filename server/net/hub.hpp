// The registry of live WebSocket sessions, one shard per network thread; fans frames out.
#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "app/event_bus.hpp"
#include "app/metrics.hpp"

namespace staffroom::net {

class IoPool;
class WebsocketSession;

/// Every frame for a session goes through the shard of the thread that owns the session: an
/// inbox guarded by a short lock, drained by one job on that thread. A burst of events that
/// arrives while the thread is busy is drained by one job, and each connection then writes
/// everything it got with one write; the writes of all connections go to the kernel together
/// (SendBatch). Replies take the same path, so a connection receives replies and events in
/// the order they were sent.
class Hub final : public app::EventBus {
 public:
  /// `io_uring`: batch writes through io_uring where the kernel allows it.
  Hub(app::Metrics& metrics, IoPool& pool, bool io_uring);
  ~Hub() override;

  /// On the session's own thread.
  void join(WebsocketSession* session);
  void leave(WebsocketSession* session);

  void publish(const std::vector<domain::UserId>& recipients, app::Frame frame,
               domain::ChannelId channel, domain::Seq seq) override;
  /// Thread-safe: one frame to one session, behind what was sent to it before.
  void send(std::shared_ptr<WebsocketSession> session, app::Frame frame);
  /// Thread-safe: runs `task` on shard `shard`'s thread, in order with the frames sent there.
  void run(std::size_t shard, std::function<void()> task);
  void end_session(const std::string& token_hash) override;
  /// Server shutdown: every session is closed with 1001 (going away).
  void close_all();
  std::size_t size() const { return sessions_.load(std::memory_order_relaxed); }

 private:
  struct Outbound;
  struct Shard;
  void post(std::size_t shard, Outbound item);
  void drain(Shard& shard);
  void flush_dirty(Shard& shard);
  void close_matching(const std::string* token_hash, std::uint16_t code, const char* reason);

  app::Metrics& metrics_;
  bool io_uring_;
  std::vector<std::unique_ptr<Shard>> shards_;
  std::atomic<std::size_t> sessions_{0};
};

}  // namespace staffroom::net
