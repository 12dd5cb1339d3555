// The in-memory registry of accounts and login sessions, owned by the home lane.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "domain/store.hpp"
#include "domain/types.hpp"

namespace staffroom::domain {

/// Users by id and handle, and which user each session token hash belongs to.
class Accounts {
 public:
  void load(const Snapshot& snapshot);

  const User* find(UserId id) const;
  const StoredUser* find_by_handle(std::string_view handle) const;
  std::optional<UserId> session_user(const std::string& token_hash) const;
  /// Users whose handle or display name (or a word of it) starts with `prefix` (lowercase),
  /// handle matches first, then by handle; an empty prefix lists the first by handle.
  std::vector<User> search(const std::string& prefix, std::size_t limit) const;
  bool empty() const { return users_.empty(); }
  std::size_t size() const { return users_.size(); }

  void add_user(StoredUser user);
  void add_session(const std::string& token_hash, UserId user);
  void remove_session(const std::string& token_hash);

 private:
  std::unordered_map<UserId, StoredUser> users_;
  std::unordered_map<std::string, UserId> by_handle_;  // lowercase handle
  std::unordered_map<std::string, UserId> sessions_;
};

/// What a post shows of a user.
Author author_of(const User& user);

}  // namespace staffroom::domain
