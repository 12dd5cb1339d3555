#include "domain/login_throttle.hpp"

#include <algorithm>

namespace staffroom::domain {

LoginThrottle::LoginThrottle(int max_failures, Timestamp window_ms)
    : max_failures_(max_failures), window_(window_ms) {}

Timestamp LoginThrottle::wait_for(const std::string& key, Timestamp now) {
  auto it = failures_.find(key);
  if (it == failures_.end()) return 0;
  auto& times = it->second;
  while (!times.empty() && times.front() + window_ <= now) times.pop_front();
  if (static_cast<int>(times.size()) < max_failures_) return 0;
  // Allowed again when enough of the oldest failures have aged out of the window.
  return times[times.size() - static_cast<std::size_t>(max_failures_)] + window_ - now;
}

Timestamp LoginThrottle::wait(const std::string& handle, const std::string& address,
                              Timestamp now) {
  return std::max(wait_for("h:" + handle, now), wait_for("a:" + address, now));
}

void LoginThrottle::failed(const std::string& handle, const std::string& address, Timestamp now) {
  failures_["h:" + handle].push_back(now);
  failures_["a:" + address].push_back(now);
  prune(now);
}

void LoginThrottle::succeeded(const std::string& handle) { failures_.erase("h:" + handle); }

void LoginThrottle::prune(Timestamp now) {
  // Bound memory under a spray of handles: drop records whose failures all aged out.
  if (now - last_prune_ < window_ / 15) return;
  last_prune_ = now;
  for (auto it = failures_.begin(); it != failures_.end();) {
    if (it->second.empty() || it->second.back() + window_ <= now) {
      it = failures_.erase(it);
    } else {
      ++it;
    }
  }
}

}  // namespace staffroom::domain
