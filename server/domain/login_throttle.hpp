// Counts failed logins per handle and per address and refuses more past the limit.
#pragma once

#include <deque>
#include <string>
#include <unordered_map>

#include "domain/types.hpp"

namespace staffroom::domain {

/// 5 failures in 15 minutes per handle or per address, then refusals until the oldest
/// failure ages out (Zulip, Synapse). Not thread-safe: it lives on the home lane.
class LoginThrottle {
 public:
  explicit LoginThrottle(int max_failures = 5, Timestamp window_ms = 15 * 60 * 1000);

  /// 0 when an attempt is allowed, else the milliseconds until one is.
  Timestamp wait(const std::string& handle, const std::string& address, Timestamp now);
  void failed(const std::string& handle, const std::string& address, Timestamp now);
  /// A correct password clears the handle's record (not the address's).
  void succeeded(const std::string& handle);

 private:
  Timestamp wait_for(const std::string& key, Timestamp now);
  void prune(Timestamp now);

  int max_failures_;
  Timestamp window_;
  std::unordered_map<std::string, std::deque<Timestamp>> failures_;
  Timestamp last_prune_ = 0;
};

}  // namespace staffroom::domain
