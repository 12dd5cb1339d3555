#include "net/hub.hpp"

#include <algorithm>

#include "net/websocket_session.hpp"

namespace staffroom::net {

void Hub::join(const std::shared_ptr<WebsocketSession>& session) {
  std::lock_guard lock(mutex_);
  by_user_[session->user_id()].push_back(session);
  users_[session.get()] = session->user_id();
}

void Hub::leave(const WebsocketSession* session) {
  std::lock_guard lock(mutex_);
  auto user = users_.find(session);
  if (user == users_.end()) return;
  auto& list = by_user_[user->second];
  list.erase(std::remove_if(list.begin(), list.end(),
                            [&](const std::weak_ptr<WebsocketSession>& w) {
                              auto s = w.lock();
                              return !s || s.get() == session;
                            }),
             list.end());
  if (list.empty()) by_user_.erase(user->second);
  users_.erase(user);
}

void Hub::publish(const std::vector<domain::UserId>& recipients, app::Frame frame,
                  domain::ChannelId channel, domain::Seq seq) {
  std::vector<std::shared_ptr<WebsocketSession>> targets;
  {
    std::lock_guard lock(mutex_);
    for (auto user : recipients) {
      auto it = by_user_.find(user);
      if (it == by_user_.end()) continue;
      for (const auto& w : it->second) {
        if (auto s = w.lock()) targets.push_back(std::move(s));
      }
    }
  }
  metrics_.deliveries.fetch_add(targets.size(), std::memory_order_relaxed);
  // Every recipient queues the same immutable buffer: serialised once, never copied.
  for (const auto& s : targets) s->deliver(frame, channel, seq);
}

void Hub::end_session(const std::string& token_hash) {
  std::vector<std::shared_ptr<WebsocketSession>> targets;
  {
    std::lock_guard lock(mutex_);
    for (const auto& [user, list] : by_user_) {
      for (const auto& w : list) {
        auto s = w.lock();
        if (s && s->token_hash() == token_hash) targets.push_back(std::move(s));
      }
    }
  }
  for (const auto& s : targets) s->close(1000, "logged out");
}

void Hub::close_all() {
  std::vector<std::shared_ptr<WebsocketSession>> targets;
  {
    std::lock_guard lock(mutex_);
    for (const auto& [user, list] : by_user_) {
      for (const auto& w : list) {
        if (auto s = w.lock()) targets.push_back(std::move(s));
      }
    }
  }
  for (const auto& s : targets) s->close(1001, "server shutting down");
}

std::size_t Hub::size() const {
  std::lock_guard lock(mutex_);
  return users_.size();
}

}  // namespace staffroom::net
