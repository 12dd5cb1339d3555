#include "app/http_api.hpp"

#include "app/error_mapping.hpp"
#include "app/views.hpp"
#include "protocol/codec.hpp"
#include "protocol/encoder.hpp"

namespace staffroom::app {
namespace {

using protocol::ErrorCode;

HttpAnswer error(ErrorCode code, std::string_view message) {
  return HttpAnswer{protocol::http_status(code),
                    protocol::encode_http_error(code, message),
                    "application/json",
                    {}};
}

HttpAnswer domain_error(const domain::Error& e) { return error(to_code(e.kind), e.message); }

constexpr const char* kCookie = "staffroom_session";

}  // namespace

HttpApi::HttpApi(Core& core, PasswordHasher& hasher, KnownHandles& handles, Metrics& metrics,
                 bool secure_cookie)
    : core_(core),
      hasher_(hasher),
      handles_(handles),
      metrics_(metrics),
      secure_cookie_(secure_cookie),
      started_(std::chrono::steady_clock::now()) {}

HttpAnswer HttpApi::refusal(int status, std::string_view message) {
  ErrorCode code = ErrorCode::bad_request;
  switch (status) {
    case 401:
      code = ErrorCode::unauthorized;
      break;
    case 403:
      code = ErrorCode::forbidden;
      break;
    case 404:
      code = ErrorCode::not_found;
      break;
    case 413:
    case 431:
      code = ErrorCode::too_large;
      break;
    case 503:
      code = ErrorCode::unavailable;
      break;
    default:
      break;
  }
  return HttpAnswer{status, protocol::encode_http_error(code, message), "application/json", {}};
}

bool HttpApi::owns(const std::string& path) {
  return path.rfind("/api/", 0) == 0 || path == "/healthz" || path == "/metrics";
}

void HttpApi::handle(HttpCall call, Answer answer) {
  const auto& p = call.path;
  const bool get = call.method == "GET" || call.method == "HEAD";
  const bool post = call.method == "POST";
  if (p == "/healthz" && get) {
    const auto up = std::chrono::duration_cast<std::chrono::seconds>(
                        std::chrono::steady_clock::now() - started_)
                        .count();
    return answer({200, protocol::encode_health(STAFFROOM_VERSION, up), "application/json", {}});
  }
  if (p == "/metrics" && get) {
    return answer({200, metrics_.render(), "text/plain; version=0.0.4; charset=utf-8", {}});
  }
  if (p == "/api/register" && post) return register_user(std::move(call), std::move(answer));
  if (p == "/api/login" && post) return login(std::move(call), std::move(answer));
  if (p == "/api/logout" && post) return logout(std::move(call), std::move(answer));
  if (p == "/api/session" && get) return session(std::move(call), std::move(answer));
  const bool known = p == "/healthz" || p == "/metrics" || p == "/api/register" ||
                     p == "/api/login" || p == "/api/logout" || p == "/api/session";
  if (known) {
    auto a = error(ErrorCode::bad_request, "method " + call.method + " is not allowed here");
    a.status = 405;
    return answer(std::move(a));
  }
  answer(error(ErrorCode::not_found, "no such endpoint"));
}

HttpAnswer HttpApi::signed_in(const domain::User& user, const std::string& token,
                              int status) const {
  HttpAnswer a{status, protocol::encode_auth(user_view(user), token), "application/json", {}};
  std::string cookie =
      std::string(kCookie) + "=" + token + "; Path=/; HttpOnly; SameSite=Lax; Max-Age=31536000";
  if (secure_cookie_) cookie += "; Secure";
  a.headers.emplace_back("Set-Cookie", std::move(cookie));
  return a;
}

void HttpApi::register_user(HttpCall call, Answer answer) {
  auto decoded = protocol::decode_register(call.body);
  if (auto* e = std::get_if<protocol::DecodeError>(&decoded)) {
    return answer(error(e->code, e->message));
  }
  auto body = std::get<protocol::RegisterBody>(std::move(decoded));
  core_.home.post([this, body = std::move(body), answer = std::move(answer)]() mutable {
    // Refuse a taken handle or a closed server before paying for an Argon2id hash.
    if (auto refused = core_.account_service.check_registration(body.handle)) {
      return answer(domain_error(*refused));
    }
    auto password = std::move(body.password);
    auto shared_answer = std::make_shared<Answer>(std::move(answer));
    const bool queued = hasher_.hash(
        std::move(password), [this, body = std::move(body), shared_answer](std::string hash) {
          if (hash.empty()) return (*shared_answer)(error(ErrorCode::internal, "hashing failed"));
          auto token = new_token();
          core_.home.post([this, body, hash = std::move(hash), token, shared_answer]() {
            core_.account_service.register_user(
                body.handle, body.display_name, hash, token_hash(token),
                [this, token, shared_answer](domain::Result<domain::SessionOpened> r) {
                  if (!r.ok()) return (*shared_answer)(domain_error(r.error()));
                  handles_.add(r.value().user.handle);
                  (*shared_answer)(signed_in(r.value().user, token, 201));
                });
          });
        });
    if (!queued) {
      (*shared_answer)(error(ErrorCode::unavailable, "too many sign-ups at once; try again"));
    }
  });
}

void HttpApi::login(HttpCall call, Answer answer) {
  auto decoded = protocol::decode_login(call.body);
  if (auto* e = std::get_if<protocol::DecodeError>(&decoded)) {
    return answer(error(e->code, e->message));
  }
  auto body = std::get<protocol::LoginBody>(std::move(decoded));
  core_.home.post([this, body = std::move(body), address = std::move(call.remote_address),
                   answer = std::move(answer)]() mutable {
    if (const auto wait = core_.login_throttle.wait(body.handle, address, core_.clock.now())) {
      metrics_.rate_limited.fetch_add(1, std::memory_order_relaxed);
      auto refused = error(ErrorCode::rate_limited, "too many failed logins; try again later");
      refused.headers.emplace_back("Retry-After", std::to_string((wait + 999) / 1000));
      return answer(std::move(refused));
    }
    auto stored = core_.account_service.credentials(body.handle);
    if (!stored) {
      core_.login_throttle.failed(body.handle, address, core_.clock.now());
      return answer(error(ErrorCode::unauthorized, "wrong handle or password"));
    }
    auto shared_answer = std::make_shared<Answer>(std::move(answer));
    const auto user_id = stored->user.id;
    auto on_verified = [this, user_id, handle = body.handle, address, shared_answer](bool ok) {
      auto token = ok ? new_token() : std::string();
      core_.home.post([this, ok, user_id, handle, address, token, shared_answer]() {
        if (!ok) {
          core_.login_throttle.failed(handle, address, core_.clock.now());
          return (*shared_answer)(error(ErrorCode::unauthorized, "wrong handle or password"));
        }
        core_.login_throttle.succeeded(handle);
        core_.account_service.open_session(
            user_id, token_hash(token),
            [this, token, shared_answer](domain::Result<domain::SessionOpened> r) {
              if (!r.ok()) return (*shared_answer)(domain_error(r.error()));
              (*shared_answer)(signed_in(r.value().user, token, 200));
            });
      });
    };
    if (!hasher_.verify(stored->password_hash, std::move(body.password), on_verified)) {
      (*shared_answer)(error(ErrorCode::unavailable, "too many logins at once; try again"));
    }
  });
}

void HttpApi::logout(HttpCall call, Answer answer) {
  if (!call.token) return answer(error(ErrorCode::unauthorized, "not signed in"));
  auto hash = token_hash(*call.token);
  core_.home.post([this, hash, answer = std::move(answer)]() mutable {
    core_.account_service.end_session(
        hash, [this, hash, answer = std::move(answer)](domain::Result<bool> r) {
          if (!r.ok()) return answer(domain_error(r.error()));
          core_.bus.end_session(hash);
          HttpAnswer a{200, protocol::encode_status_ok(), "application/json", {}};
          a.headers.emplace_back(
              "Set-Cookie", std::string(kCookie) + "=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0");
          answer(std::move(a));
        });
  });
}

void HttpApi::session(HttpCall call, Answer answer) {
  if (!call.token) return answer(error(ErrorCode::unauthorized, "not signed in"));
  authenticate(*call.token, [answer = std::move(answer)](std::optional<Authenticated> who) {
    if (!who) return answer(error(ErrorCode::unauthorized, "session is not valid"));
    answer({200, protocol::encode_session(user_view(who->user)), "application/json", {}});
  });
}

void HttpApi::authenticate(std::string token,
                           std::function<void(std::optional<Authenticated>)> done) {
  auto hash = token_hash(token);
  core_.home.post([this, hash = std::move(hash), done = std::move(done)]() {
    auto user = core_.account_service.authenticate(hash);
    if (!user) return done(std::nullopt);
    done(Authenticated{std::move(*user), hash});
  });
}

}  // namespace staffroom::app
