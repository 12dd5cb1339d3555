// Registration, login sessions and token authentication; runs on the home lane.
#pragma once

#include <functional>
#include <optional>
#include <string>

#include "domain/accounts.hpp"
#include "domain/clock.hpp"
#include "domain/lane.hpp"
#include "domain/result.hpp"
#include "domain/store.hpp"

namespace staffroom::domain {

enum class Registration { open, invite, closed };

/// A user and the hash of the session token the app handed out.
struct SessionOpened {
  User user;
};

/// Checks and records accounts and sessions. Every method runs on the home lane; callbacks
/// run on the home lane too.
class AccountService {
 public:
  AccountService(Accounts& accounts, Writer& writer, Lane& home, const Clock& clock,
                 Registration registration);

  /// Whether `handle` may register now (policy and uniqueness), before paying for a hash.
  std::optional<Error> check_registration(const std::string& handle) const;

  /// Creates the account, then its first session with `token_hash`.
  void register_user(std::string handle, std::string display_name, std::string password_hash,
                     std::string token_hash, std::function<void(Result<SessionOpened>)> done);

  /// The stored account for a login attempt (the app verifies the password off this lane).
  std::optional<StoredUser> credentials(const std::string& handle) const;

  void open_session(UserId user, std::string token_hash,
                    std::function<void(Result<SessionOpened>)> done);
  void end_session(std::string token_hash, std::function<void(Result<bool>)> done);

  /// The user a token hash belongs to, if the session is live.
  std::optional<User> authenticate(const std::string& token_hash) const;

 private:
  Accounts& accounts_;
  Writer& writer_;
  Lane& home_;
  const Clock& clock_;
  Registration registration_;
};

}  // namespace staffroom::domain
