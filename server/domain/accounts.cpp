#include "domain/accounts.hpp"

namespace staffroom::domain {

void Accounts::load(const Snapshot& snapshot) {
  for (const auto& u : snapshot.users) add_user(u);
  for (const auto& s : snapshot.sessions) add_session(s.token_hash, s.user_id);
}

const User* Accounts::find(UserId id) const {
  auto it = users_.find(id);
  return it == users_.end() ? nullptr : &it->second.user;
}

const StoredUser* Accounts::find_by_handle(std::string_view handle) const {
  auto it = by_handle_.find(std::string(handle));
  if (it == by_handle_.end()) return nullptr;
  return &users_.at(it->second);
}

std::optional<UserId> Accounts::session_user(const std::string& token_hash) const {
  auto it = sessions_.find(token_hash);
  if (it == sessions_.end()) return std::nullopt;
  return it->second;
}

void Accounts::add_user(StoredUser user) {
  by_handle_[user.user.handle] = user.user.id;
  const auto id = user.user.id;
  users_[id] = std::move(user);
}

void Accounts::add_session(const std::string& token_hash, UserId user) {
  sessions_[token_hash] = user;
}

void Accounts::remove_session(const std::string& token_hash) { sessions_.erase(token_hash); }

Author author_of(const User& user) { return Author{user.id, user.handle, user.display_name}; }

}  // namespace staffroom::domain
