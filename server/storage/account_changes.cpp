#include "storage/account_changes.hpp"

#include "storage/change_results.hpp"
#include "storage/database.hpp"

namespace staffroom::storage {

using domain::Committed;

Committed AccountChanges::on(const domain::NewUser& change) {
  {
    // The column is COLLATE NOCASE, so this finds "Alice" when "alice" asks.
    auto taken = connection_.query("SELECT 1 FROM users WHERE handle = ?1");
    taken->bind_text(1, change.handle);
    if (taken->step()) {
      return failed(domain::ErrorKind::conflict, "handle '" + change.handle + "' is already taken");
    }
  }
  bool first = false;
  {
    auto any = connection_.query("SELECT NOT EXISTS (SELECT 1 FROM users)");
    first = any->step() && any->column_int64(0) != 0;
  }
  auto insert = connection_.query(
      "INSERT INTO users (handle, display_name, password_hash, admin, created_at) "
      "VALUES (?1, ?2, ?3, ?4, ?5)");
  insert->bind_text(1, change.handle)
      .bind_text(2, change.display_name)
      .bind_text(3, change.password_hash)
      .bind_int64(4, first ? 1 : 0)
      .bind_int64(5, change.at);
  insert->run();
  Committed committed;
  committed.id = connection_.last_insert_rowid();
  committed.admin = first;
  return committed;
}

Committed AccountChanges::on(const domain::NewSession& change) {
  if (!user_exists(connection_, change.user_id)) return no_user(change.user_id);
  auto insert = connection_.query(
      "INSERT INTO sessions (token_hash, user_id, created_at) VALUES (?1, ?2, ?3)");
  insert->bind_text(1, change.token_hash).bind_int64(2, change.user_id).bind_int64(3, change.at);
  insert->run();
  return Committed{};
}

Committed AccountChanges::on(const domain::EndSession& change) {
  auto remove = connection_.query("DELETE FROM sessions WHERE token_hash = ?1");
  remove->bind_text(1, change.token_hash);
  remove->run();
  Committed committed;
  committed.changed = connection_.changes() > 0;
  return committed;
}

}  // namespace staffroom::storage
