// Shared helpers for the storage tests: a temporary directory and a synchronous commit.
#pragma once

#include <atomic>
#include <chrono>
#include <filesystem>
#include <future>
#include <random>
#include <string>

#include "domain/changes.hpp"
#include "domain/store.hpp"

namespace staffroom::storage::testing {

/// A fresh directory under the system temp dir, removed with everything in it at scope exit.
class TempDir {
 public:
  TempDir() {
    static std::atomic<int> counter{0};
    std::random_device random;
    path_ = std::filesystem::temp_directory_path() /
            ("staffroom-storage-" + std::to_string(random()) + "-" + std::to_string(++counter));
    std::filesystem::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  std::string file(const std::string& name) const { return (path_ / name).string(); }

 private:
  std::filesystem::path path_;
};

/// Appends one change and waits for its commit.
inline domain::Committed commit(domain::Writer& writer, domain::Change change) {
  std::promise<domain::Committed> done;
  auto result = done.get_future();
  writer.append(std::move(change),
                [&done](domain::Committed committed) { done.set_value(std::move(committed)); });
  if (result.wait_for(std::chrono::seconds(30)) != std::future_status::ready) {
    throw std::runtime_error("commit timed out");
  }
  return result.get();
}

inline domain::NewUser user(const std::string& handle) {
  return domain::NewUser{handle, "Name of " + handle, "$argon2id$fake", 1000};
}

inline domain::NewChannel channel(const std::string& slug, domain::UserId owner) {
  return domain::NewChannel{
      slug, "Title " + slug, "About " + slug, domain::Visibility::public_, owner, 2000};
}

inline domain::NewPost post(domain::ChannelId channel_id, domain::UserId author,
                            const std::string& body,
                            std::optional<domain::PostId> thread_id = std::nullopt,
                            std::optional<std::string> client_id = std::nullopt) {
  domain::NewPost change;
  change.channel_id = channel_id;
  // Tests create users u1, u2, ... in order, so user N has id N and handle "uN".
  const std::string handle = "u" + std::to_string(author);
  change.author = domain::Author{author, handle, "Name of " + handle};
  change.thread_id = thread_id;
  change.body = body;
  change.html = "<p>" + body + "</p>";
  change.client_id = std::move(client_id);
  change.at = 3000;
  return change;
}

}  // namespace staffroom::storage::testing
