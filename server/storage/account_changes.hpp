// Writes of accounts and login sessions.
#pragma once

#include "domain/changes.hpp"

namespace staffroom::storage {

class Connection;

/// Applies NewUser, NewSession and EndSession (no channel, so no seq).
class AccountChanges {
 public:
  explicit AccountChanges(Connection& connection) : connection_(connection) {}

  domain::Committed on(const domain::NewUser& change);
  domain::Committed on(const domain::NewSession& change);
  domain::Committed on(const domain::EndSession& change);

 private:
  Connection& connection_;
};

}  // namespace staffroom::storage
