// Password hashing (Argon2id, at most two at once) and session tokens, via libsodium.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace staffroom::app {

/// A fresh random token (32 bytes, 64 hex digits) and the SHA-256 hex of any token.
std::string new_token();
std::string token_hash(const std::string& token);

/// Hashes and verifies passwords on two threads with a bounded queue, so a burst of logins
/// cannot use unbounded memory (each Argon2id hash takes 64 MiB) or CPU.
class PasswordHasher {
 public:
  explicit PasswordHasher(std::size_t threads = 2, std::size_t max_waiting = 64);
  ~PasswordHasher();
  PasswordHasher(const PasswordHasher&) = delete;
  PasswordHasher& operator=(const PasswordHasher&) = delete;

  /// False when the queue is full (the caller answers `unavailable`).
  bool hash(std::string password, std::function<void(std::string hash)> done);
  bool verify(std::string stored_hash, std::string password, std::function<void(bool ok)> done);
  void stop();

 private:
  bool enqueue(std::function<void()> job);
  void run();

  std::size_t max_waiting_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<std::function<void()>> jobs_;
  bool stopping_ = false;
  std::vector<std::thread> threads_;
};

}  // namespace staffroom::app
