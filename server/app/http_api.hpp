// The JSON HTTP endpoints: register, login, logout, session, healthz, metrics.
#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "app/core.hpp"
#include "app/credentials.hpp"
#include "app/known_handles.hpp"
#include "app/metrics.hpp"
#include "domain/types.hpp"

namespace staffroom::app {

/// An HTTP request reduced to what the API needs; the net layer fills it.
struct HttpCall {
  std::string method;
  std::string path;  // without the query
  std::string body;
  std::optional<std::string> token;  // from the cookie or the Bearer header
  std::string remote_address;        // for login throttling
};

/// The answer the net layer writes back.
struct HttpAnswer {
  int status = 200;
  std::string body;
  std::string content_type = "application/json";
  std::vector<std::pair<std::string, std::string>> headers;
};

using Answer = std::function<void(HttpAnswer)>;

/// Who a WebSocket belongs to once its token is checked.
struct Authenticated {
  domain::User user;
  std::string token_hash;
};

/// Serves the API routes; answers arrive on any thread, exactly once per call.
class HttpApi {
 public:
  HttpApi(Core& core, PasswordHasher& hasher, KnownHandles& handles, Metrics& metrics,
          bool secure_cookie);

  static bool owns(const std::string& path);
  /// A JSON error body for a refusal decided by the net layer (limits, origin, auth).
  static HttpAnswer refusal(int status, std::string_view message);
  void handle(HttpCall call, Answer answer);
  /// Resolves a token to its user (nullopt when missing, unknown or ended).
  void authenticate(std::string token, std::function<void(std::optional<Authenticated>)> done);

 private:
  void register_user(HttpCall call, Answer answer);
  void login(HttpCall call, Answer answer);
  void logout(HttpCall call, Answer answer);
  void session(HttpCall call, Answer answer);
  HttpAnswer signed_in(const domain::User& user, const std::string& token, int status) const;

  Core& core_;
  PasswordHasher& hasher_;
  KnownHandles& handles_;
  Metrics& metrics_;
  bool secure_cookie_;
  std::chrono::steady_clock::time_point started_;
};

}  // namespace staffroom::app
