#include "storage/change_results.hpp"

#include "storage/database.hpp"

namespace staffroom::storage {
namespace {

/// True when `sql` (one ?1 parameter) returns a row for `id`.
bool exists(Connection& connection, const char* sql, std::int64_t id) {
  auto query = connection.query(sql);
  query->bind_int64(1, id);
  return query->step();
}

}  // namespace

domain::Committed failed(domain::ErrorKind kind, std::string message) {
  domain::Committed committed;
  committed.error = domain::Error::of(kind, std::move(message));
  committed.changed = false;
  return committed;
}

domain::Committed no_user(domain::UserId user) {
  return failed(domain::ErrorKind::not_found, "user " + std::to_string(user) + " not found");
}

domain::Committed no_channel(domain::ChannelId channel) {
  return failed(domain::ErrorKind::not_found, "channel " + std::to_string(channel) + " not found");
}

domain::Committed no_post(domain::PostId post) {
  return failed(domain::ErrorKind::not_found, "post " + std::to_string(post) + " not found");
}

domain::Committed unchanged() {
  domain::Committed committed;
  committed.changed = false;
  return committed;
}

bool user_exists(Connection& connection, domain::UserId user) {
  return exists(connection, "SELECT 1 FROM users WHERE id = ?1", user);
}

bool channel_exists(Connection& connection, domain::ChannelId channel) {
  return exists(connection, "SELECT 1 FROM channels WHERE id = ?1", channel);
}

}  // namespace staffroom::storage
