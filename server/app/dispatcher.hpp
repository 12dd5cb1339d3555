// The op table: decode -> authorise -> domain call -> encode reply (Redis's command table).
#pragma once

#include <memory>
#include <string_view>

#include "app/core.hpp"
#include "app/event_bus.hpp"
#include "app/markdown_renderer.hpp"
#include "app/metrics.hpp"
#include "protocol/requests.hpp"

namespace staffroom::app {

/// Who may call an op; checked in one place before the handler runs.
enum class Access { user, admin };

/// Routes each WebSocket request frame to its handler and answers it exactly once.
class Dispatcher {
 public:
  Dispatcher(Core& core, const MarkdownRenderer& renderer, Metrics& metrics);

  /// Handles one text frame from `connection` (called on the connection's strand).
  void dispatch(const std::shared_ptr<ClientConnection>& connection, std::string_view frame);
  /// Greets a new connection with `hello`; called before it can receive any event.
  void opened(ClientConnection& connection, const domain::User& user);
  /// Answers a binary frame, which the protocol does not use.
  void binary_frame(ClientConnection& connection);

  struct Call {
    std::shared_ptr<ClientConnection> connection;
    protocol::Request request;
    bool admin = false;
  };
  using Handler = void (Dispatcher::*)(Call call);
  struct Entry {
    std::string_view op;
    Access access;
    Handler handler;
  };

 private:
  void channel_create(Call call);
  void channel_list(Call call);
  void channel_join(Call call);
  void channel_leave(Call call);
  void channel_read(Call call);
  void post_create(Call call);
  void post_history(Call call);
  void thread_get(Call call);

  static const Entry* find(std::string_view op);

  Core& core_;
  const MarkdownRenderer& renderer_;
  Metrics& metrics_;
};

}  // namespace staffroom::app
