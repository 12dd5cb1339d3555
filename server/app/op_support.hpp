// What every op handler shares: its context, the call, and the one way to answer it.
#pragma once

#include <memory>
#include <string>

#include "app/core.hpp"
#include "app/error_mapping.hpp"
#include "app/event_bus.hpp"
#include "app/known_handles.hpp"
#include "app/markdown_renderer.hpp"
#include "app/metrics.hpp"
#include "protocol/encoder.hpp"
#include "protocol/requests.hpp"

namespace staffroom::app {

/// Long-lived services the handlers use.
struct OpContext {
  Core& core;
  const MarkdownRenderer& renderer;
  KnownHandles& handles;
  Metrics& metrics;
};

/// One decoded request from one connection.
struct Call {
  std::shared_ptr<ClientConnection> connection;
  protocol::Request request;
};

inline void send_frame(ClientConnection& connection, std::string frame) {
  connection.send(std::make_shared<const std::string>(std::move(frame)));
}

inline void send_error(ClientConnection& connection, std::int64_t id, const domain::Error& e,
                       Metrics& metrics) {
  if (e.kind == domain::ErrorKind::rate_limited) {
    metrics.rate_limited.fetch_add(1, std::memory_order_relaxed);
  }
  send_frame(connection,
             protocol::encode_error_reply(id, to_code(e.kind), e.message, retry_after_seconds(e)));
}

inline void send_error(const Call& call, const domain::Error& e, Metrics& metrics) {
  send_error(*call.connection, call.request.id, e, metrics);
}

/// A completion that answers the call exactly once: the encoded result or the typed error.
template <class T, class Encode>
domain::Done<T> answer(const Call& call, Metrics& metrics, Encode encode) {
  return [connection = call.connection, id = call.request.id, &metrics,
          encode = std::move(encode)](domain::Result<T> result) {
    if (!result.ok()) return send_error(*connection, id, result.error(), metrics);
    send_frame(*connection, encode(id, result.value()));
  };
}

/// Runs `work(user, call)` on the home lane, where the model lives.
template <class Work>
void at_home(OpContext& ctx, Call&& call, Work work) {
  ctx.core.home.post([&ctx, call = std::move(call), work = std::move(work)]() mutable {
    work(call.connection->user_id(), call);
  });
}

/// Renders a body with @mentions of known handles linked.
inline RenderedBody render_body(OpContext& ctx, const std::string& body) {
  auto known = ctx.handles.snapshot();
  return ctx.renderer.render(body, [&known](const std::string& h) { return known->count(h) > 0; });
}

}  // namespace staffroom::app
