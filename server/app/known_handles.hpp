// The set of registered handles, readable from any thread (for linking @mentions).
#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <unordered_set>
#include <vector>

namespace staffroom::app {

/// Copy-on-write: readers take a snapshot pointer; a registration publishes a new set.
/// Registrations are rare and reads are per post, so the copy is the cheap side.
class KnownHandles {
 public:
  using Set = std::unordered_set<std::string>;

  explicit KnownHandles(const std::vector<std::string>& handles = {});
  void add(const std::string& handle);
  std::shared_ptr<const Set> snapshot() const;

 private:
  mutable std::mutex mutex_;
  std::shared_ptr<const Set> set_;
};

}  // namespace staffroom::app
