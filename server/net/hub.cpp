#include "net/hub.hpp"

#include <spdlog/spdlog.h>
#include <algorithm>
#include <boost/asio/post.hpp>
#include <mutex>
#include <unordered_map>

#include "net/io_pool.hpp"
#include "net/send_batch.hpp"
#include "net/websocket_session.hpp"

namespace staffroom::net {

struct Hub::Outbound {
  app::Frame frame;
  std::shared_ptr<const std::vector<domain::UserId>> users;  // an event's recipients, or null
  std::shared_ptr<WebsocketSession> session;                 // a reply's one recipient, or null
  domain::ChannelId channel = 0;
  domain::Seq seq = 0;
  std::function<void()> task;  // instead of a frame: work that must keep its place in line
};

struct Hub::Shard {
  explicit Shard(boost::asio::io_context& io) : context(io) {}
  boost::asio::io_context& context;
  std::atomic<std::size_t> sessions{0};
  std::mutex mutex;             // guards inbox and scheduled only
  std::vector<Outbound> inbox;  // filled by any thread
  bool scheduled = false;       // a drain job is posted and has not taken the inbox yet
  // Touched only on the shard's thread:
  std::vector<Outbound> draining;
  std::unordered_map<domain::UserId, std::vector<WebsocketSession*>> by_user;
  std::vector<WebsocketSession*> dirty;
  std::unique_ptr<SendBatch> batch;  // made on the shard's thread, the only one that uses it
  bool ring_lost = false;            // io_uring was wanted here and refused (reported once)
  std::vector<std::pair<WebsocketSession*, const GatheredWrite*>> batched;
};

Hub::Hub(app::Metrics& metrics, IoPool& pool, bool io_uring)
    : metrics_(metrics), io_uring_(io_uring) {
  for (std::size_t i = 0; i < pool.size(); ++i) {
    shards_.push_back(std::make_unique<Shard>(pool.context(i)));
  }
}

Hub::~Hub() = default;

void Hub::join(WebsocketSession* session) {
  auto& shard = *shards_[session->shard()];
  shard.by_user[session->user_id()].push_back(session);
  shard.sessions.fetch_add(1, std::memory_order_relaxed);
  sessions_.fetch_add(1, std::memory_order_relaxed);
}

void Hub::leave(WebsocketSession* session) {
  auto& shard = *shards_[session->shard()];
  auto it = shard.by_user.find(session->user_id());
  if (it == shard.by_user.end()) return;
  auto& list = it->second;
  const auto found = std::find(list.begin(), list.end(), session);
  if (found == list.end()) return;
  list.erase(found);
  if (list.empty()) shard.by_user.erase(it);
  shard.sessions.fetch_sub(1, std::memory_order_relaxed);
  sessions_.fetch_sub(1, std::memory_order_relaxed);
}

void Hub::publish(const std::vector<domain::UserId>& recipients, app::Frame frame,
                  domain::ChannelId channel, domain::Seq seq) {
  // One copy of the recipient list and one job per thread, however many recipients.
  auto users = std::make_shared<const std::vector<domain::UserId>>(recipients);
  for (std::size_t i = 0; i < shards_.size(); ++i) {
    if (shards_[i]->sessions.load(std::memory_order_relaxed) == 0) continue;
    post(i, Outbound{frame, users, nullptr, channel, seq, {}});
  }
}

void Hub::send(std::shared_ptr<WebsocketSession> session, app::Frame frame) {
  const auto shard = session->shard();
  post(shard, Outbound{std::move(frame), nullptr, std::move(session), 0, 0, {}});
}

void Hub::run(std::size_t shard, std::function<void()> task) {
  post(shard, Outbound{nullptr, nullptr, nullptr, 0, 0, std::move(task)});
}

void Hub::post(std::size_t index, Outbound item) {
  auto& shard = *shards_[index];
  bool schedule = false;
  {
    std::lock_guard lock(shard.mutex);
    shard.inbox.push_back(std::move(item));
    schedule = !shard.scheduled;
    shard.scheduled = true;
  }
  if (schedule) boost::asio::post(shard.context, [this, &shard] { drain(shard); });
}

void Hub::drain(Shard& shard) {
  {
    std::lock_guard lock(shard.mutex);
    std::swap(shard.inbox, shard.draining);
    shard.scheduled = false;
  }
  std::size_t delivered = 0;
  auto deliver = [&](WebsocketSession* session, const Outbound& item) {
    if (session->deliver_here(item.frame, item.channel, item.seq)) shard.dirty.push_back(session);
  };
  for (const auto& item : shard.draining) {
    if (item.task) {
      item.task();
      continue;
    }
    if (item.session) {
      deliver(item.session.get(), item);
      continue;
    }
    for (auto user : *item.users) {
      auto it = shard.by_user.find(user);
      if (it == shard.by_user.end()) continue;
      for (auto* session : it->second) deliver(session, item);
      delivered += it->second.size();
    }
  }
  metrics_.deliveries.fetch_add(delivered, std::memory_order_relaxed);
  // Sessions cannot be destroyed here: each keeps a read wait (holding it) while it is joined,
  // and replies' sessions are held by `draining` until it is cleared below.
  flush_dirty(shard);
  shard.draining.clear();
  if (shard.draining.capacity() > 1024) std::vector<Outbound>().swap(shard.draining);
}

void Hub::flush_dirty(Shard& shard) {
  // Every connection that got something writes it all now, with one write for its whole
  // burst; a lone reply is written at once, a fan-out's writes go to the kernel together.
  if (shard.dirty.size() < 2) {
    for (auto* session : shard.dirty) session->flush_marked();
    shard.dirty.clear();
    return;
  }
  if (!shard.batch) shard.batch = std::make_unique<SendBatch>(io_uring_);
  SendBatch& batch = *shard.batch;
  std::size_t next = 0;
  while (next < shard.dirty.size()) {
    while (next < shard.dirty.size() && !batch.full()) {
      auto* session = shard.dirty[next++];
      if (const auto* write = session->flush_marked_into(batch)) {
        shard.batched.emplace_back(session, write);
      }
    }
    const bool ring = batch.uses_io_uring();
    batch.run();
    if (ring && batch.size() > 0) {
      metrics_.ring_batches.fetch_add(1, std::memory_order_relaxed);
      metrics_.ring_writes.fetch_add(batch.size(), std::memory_order_relaxed);
    }
    if (io_uring_ && !batch.uses_io_uring() && !shard.ring_lost) {
      shard.ring_lost = true;
      metrics_.io_uring.store(0, std::memory_order_relaxed);
      spdlog::warn("a network thread writes without io_uring from now on: the kernel refused it");
    }
    for (const auto& [session, write] : shard.batched) session->flush_marked_after(*write);
    shard.batched.clear();
    batch.clear();
  }
  shard.dirty.clear();
}

void Hub::end_session(const std::string& token_hash) {
  close_matching(&token_hash, 1000, "logged out");
}

void Hub::close_all() { close_matching(nullptr, 1001, "server shutting down"); }

void Hub::close_matching(const std::string* token_hash, std::uint16_t code, const char* reason) {
  auto wanted = token_hash ? std::make_shared<const std::string>(*token_hash) : nullptr;
  for (auto& shard_ptr : shards_) {
    auto* shard = shard_ptr.get();
    boost::asio::post(shard->context, [shard, wanted, code, reason] {
      std::vector<std::shared_ptr<WebsocketSession>> targets;
      for (const auto& [user, list] : shard->by_user) {
        for (auto* session : list) {
          if (!wanted || session->token_hash() == *wanted) targets.push_back(session->self());
        }
      }
      // Closing may end a session (and change by_user), so the list is taken first.
      for (const auto& session : targets) session->close_here(code, reason);
    });
  }
}

}  // namespace staffroom::net
