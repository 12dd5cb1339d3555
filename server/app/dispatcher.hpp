// The op table: decode -> authorise -> domain call -> encode reply (Redis's command table).
#pragma once

#include <memory>
#include <string_view>

#include "app/op_support.hpp"

namespace staffroom::app {

/// Who may call an op; checked in one place before the handler runs.
enum class Access { user, admin };

/// Routes each WebSocket request frame to its handler and answers it exactly once.
class Dispatcher {
 public:
  Dispatcher(Core& core, const MarkdownRenderer& renderer, KnownHandles& handles, Metrics& metrics);

  /// Handles one text frame from `connection` (called on the connection's thread).
  void dispatch(const std::shared_ptr<ClientConnection>& connection, std::string_view frame);
  /// Greets a new connection with `hello`; called before it can receive any event.
  void opened(ClientConnection& connection, const domain::User& user);
  /// Answers a binary frame, which the protocol does not use.
  void binary_frame(ClientConnection& connection);

  using Handler = void (*)(OpContext& ctx, Call call);
  struct Entry {
    std::string_view op;
    Access access;
    Handler handler;
  };

 private:
  static const Entry* find(std::string_view op);

  OpContext context_;
};

}  // namespace staffroom::app
