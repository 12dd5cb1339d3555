#include "domain/account_service.hpp"

#include "domain/commit.hpp"

namespace staffroom::domain {

AccountService::AccountService(Accounts& accounts, Writer& writer, Lane& home, const Clock& clock,
                               Registration registration)
    : accounts_(accounts),
      writer_(writer),
      home_(home),
      clock_(clock),
      registration_(registration) {}

std::optional<Error> AccountService::check_registration(const std::string& handle) const {
  // The first account bootstraps the server (it becomes admin) whatever the policy says.
  if (registration_ != Registration::open && !accounts_.empty()) {
    return Error::of(ErrorKind::forbidden, registration_ == Registration::closed
                                               ? "registration is closed on this server"
                                               : "registration on this server is by invitation");
  }
  if (accounts_.find_by_handle(handle) != nullptr) {
    return Error::of(ErrorKind::conflict, "handle '" + handle + "' is already taken");
  }
  return std::nullopt;
}

void AccountService::register_user(std::string handle, std::string display_name,
                                   std::string password_hash, std::string token_hash,
                                   std::function<void(Result<SessionOpened>)> done) {
  if (auto refused = check_registration(handle)) return done(*refused);
  NewUser change{handle, display_name, password_hash, clock_.now()};
  commit_then(writer_, home_, change,
              [this, change, token_hash = std::move(token_hash),
               done = std::move(done)](Committed c) mutable {
                if (c.error) return done(*c.error);
                StoredUser stored{
                    User{c.id, change.handle, change.display_name, c.admin, change.at},
                    change.password_hash};
                accounts_.add_user(stored);
                open_session(c.id, std::move(token_hash), std::move(done));
              });
}

std::optional<StoredUser> AccountService::credentials(const std::string& handle) const {
  const auto* stored = accounts_.find_by_handle(handle);
  if (stored == nullptr) return std::nullopt;
  return *stored;
}

void AccountService::open_session(UserId user, std::string token_hash,
                                  std::function<void(Result<SessionOpened>)> done) {
  if (accounts_.find(user) == nullptr) return done(Error::of(ErrorKind::not_found, "no such user"));
  commit_then(writer_, home_, NewSession{user, token_hash, clock_.now()},
              [this, user, token_hash, done = std::move(done)](Committed c) {
                if (c.error) return done(*c.error);
                accounts_.add_session(token_hash, user);
                done(SessionOpened{*accounts_.find(user)});
              });
}

void AccountService::end_session(std::string token_hash, std::function<void(Result<bool>)> done) {
  if (!accounts_.session_user(token_hash)) {
    return done(Error::of(ErrorKind::unauthorized, "no such session"));
  }
  // Forget it at once so no new socket can use it while the delete commits.
  accounts_.remove_session(token_hash);
  commit_then(writer_, home_, EndSession{token_hash}, [done = std::move(done)](Committed c) {
    if (c.error) return done(*c.error);
    done(true);
  });
}

std::optional<User> AccountService::authenticate(const std::string& token_hash) const {
  const auto user = accounts_.session_user(token_hash);
  if (!user) return std::nullopt;
  const auto* found = accounts_.find(*user);
  if (found == nullptr) return std::nullopt;
  return *found;
}

}  // namespace staffroom::domain
