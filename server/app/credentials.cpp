#include "app/credentials.hpp"

#include <sodium.h>

#include <stdexcept>

namespace staffroom::app {
namespace {

std::string to_hex(const unsigned char* bytes, std::size_t n) {
  std::string out(n * 2 + 1, '\0');  // sodium_bin2hex writes a terminating NUL
  sodium_bin2hex(out.data(), out.size(), bytes, n);
  out.resize(n * 2);
  return out;
}

void ensure_sodium() {
  static const int ready = sodium_init();
  if (ready < 0) throw std::runtime_error("libsodium could not be initialised");
}

}  // namespace

std::string new_token() {
  ensure_sodium();
  unsigned char bytes[32];
  randombytes_buf(bytes, sizeof bytes);
  return to_hex(bytes, sizeof bytes);
}

std::string token_hash(const std::string& token) {
  ensure_sodium();
  unsigned char digest[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(digest, reinterpret_cast<const unsigned char*>(token.data()), token.size());
  return to_hex(digest, sizeof digest);
}

PasswordHasher::PasswordHasher(std::size_t threads, std::size_t max_waiting)
    : max_waiting_(max_waiting) {
  ensure_sodium();
  for (std::size_t i = 0; i < threads; ++i) threads_.emplace_back([this] { run(); });
}

PasswordHasher::~PasswordHasher() { stop(); }

bool PasswordHasher::hash(std::string password, std::function<void(std::string)> done) {
  return enqueue([password = std::move(password), done = std::move(done)]() mutable {
    char out[crypto_pwhash_STRBYTES];
    const int rc =
        crypto_pwhash_str(out, password.data(), password.size(), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                          crypto_pwhash_MEMLIMIT_INTERACTIVE);
    sodium_memzero(password.data(), password.size());
    done(rc == 0 ? std::string(out) : std::string());
  });
}

bool PasswordHasher::verify(std::string stored_hash, std::string password,
                            std::function<void(bool)> done) {
  return enqueue([stored_hash = std::move(stored_hash), password = std::move(password),
                  done = std::move(done)]() mutable {
    const bool ok =
        crypto_pwhash_str_verify(stored_hash.c_str(), password.data(), password.size()) == 0;
    sodium_memzero(password.data(), password.size());
    done(ok);
  });
}

bool PasswordHasher::enqueue(std::function<void()> job) {
  {
    std::lock_guard lock(mutex_);
    if (stopping_ || jobs_.size() >= max_waiting_) return false;
    jobs_.push_back(std::move(job));
  }
  wake_.notify_one();
  return true;
}

void PasswordHasher::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  for (auto& t : threads_) {
    if (t.joinable()) t.join();
  }
  threads_.clear();
}

void PasswordHasher::run() {
  for (;;) {
    std::function<void()> job;
    {
      std::unique_lock lock(mutex_);
      wake_.wait(lock, [this] { return stopping_ || !jobs_.empty(); });
      if (jobs_.empty()) return;
      job = std::move(jobs_.front());
      jobs_.pop_front();
    }
    job();
  }
}

}  // namespace staffroom::app
