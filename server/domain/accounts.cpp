#include "domain/accounts.hpp"

#include <algorithm>
#include <cctype>

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

namespace {

std::string lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

bool word_starts_with(const std::string& text, const std::string& prefix) {
  for (std::size_t at = 0; at < text.size();) {
    if (text.compare(at, prefix.size(), prefix) == 0) return true;
    at = text.find(' ', at);
    if (at == std::string::npos) break;
    ++at;
  }
  return false;
}

}  // namespace

std::vector<User> Accounts::search(const std::string& prefix, std::size_t limit) const {
  std::vector<std::pair<int, const User*>> ranked;
  for (const auto& [id, stored] : users_) {
    const auto& u = stored.user;
    if (prefix.empty() || u.handle.rfind(prefix, 0) == 0) {
      ranked.emplace_back(0, &u);
    } else if (word_starts_with(lower(u.display_name), prefix) ||
               word_starts_with(u.handle, prefix)) {
      ranked.emplace_back(1, &u);
    }
  }
  std::sort(ranked.begin(), ranked.end(), [](const auto& a, const auto& b) {
    return a.first != b.first ? a.first < b.first : a.second->handle < b.second->handle;
  });
  std::vector<User> out;
  for (std::size_t i = 0; i < ranked.size() && i < limit; ++i) out.push_back(*ranked[i].second);
  return out;
}

Author author_of(const User& user) { return Author{user.id, user.handle, user.display_name}; }

}  // namespace staffroom::domain
