#include "app/dispatcher.hpp"

#include <array>

#include "app/channel_ops.hpp"
#include "app/post_ops.hpp"
#include "app/session_ops.hpp"
#include "app/views.hpp"
#include "protocol/codec.hpp"
#include "protocol/event_encoder.hpp"

namespace staffroom::app {

using protocol::ErrorCode;

Dispatcher::Dispatcher(Core& core, const MarkdownRenderer& renderer, KnownHandles& handles,
                       Metrics& metrics)
    : context_{core, renderer, handles, metrics} {}

const Dispatcher::Entry* Dispatcher::find(std::string_view op) {
  static const std::array<Entry, 22> table{{
      {"channel.create", Access::user, &ops::channel_create},
      {"channel.list", Access::user, &ops::channel_list},
      {"channel.join", Access::user, &ops::channel_join},
      {"channel.leave", Access::user, &ops::channel_leave},
      {"channel.read", Access::user, &ops::channel_read},
      {"channel.update", Access::user, &ops::channel_update},
      {"channel.archive", Access::user, &ops::channel_archive},
      {"channel.members", Access::user, &ops::channel_members},
      {"channel.invite", Access::user, &ops::channel_invite},
      {"channel.remove", Access::user, &ops::channel_remove},
      {"channel.set_role", Access::user, &ops::channel_set_role},
      {"user.search", Access::user, &ops::user_search},
      {"post.create", Access::user, &ops::post_create},
      {"post.history", Access::user, &ops::post_history},
      {"thread.get", Access::user, &ops::thread_get},
      {"post.edit", Access::user, &ops::post_edit},
      {"post.versions", Access::user, &ops::post_versions},
      {"post.delete", Access::user, &ops::post_delete},
      {"post.react", Access::user, &ops::post_react},
      {"mention.list", Access::user, &ops::mention_list},
      {"search", Access::user, &ops::search},
      {"session.resume", Access::user, &ops::session_resume},
  }};
  for (const auto& entry : table) {
    if (entry.op == op) return &entry;
  }
  return nullptr;
}

void Dispatcher::opened(ClientConnection& connection, const domain::User& user) {
  send_frame(connection, protocol::encode_hello(user_view(user), STAFFROOM_VERSION));
}

void Dispatcher::binary_frame(ClientConnection& connection) {
  send_frame(connection, protocol::encode_error_reply(std::nullopt, ErrorCode::bad_request,
                                                      "binary frames are not supported"));
  connection.end_initial_hold();
}

void Dispatcher::dispatch(const std::shared_ptr<ClientConnection>& connection,
                          std::string_view frame) {
  context_.metrics.ws_requests.fetch_add(1, std::memory_order_relaxed);
  auto decoded = protocol::decode_request(frame);
  if (auto* error = std::get_if<protocol::DecodeError>(&decoded)) {
    send_frame(*connection, protocol::encode_error_reply(error->id, error->code, error->message));
    connection->end_initial_hold();
    return;
  }
  auto& request = std::get<protocol::Request>(decoded);
  const auto* entry = find(request.op);
  if (entry == nullptr) {
    send_frame(*connection, protocol::encode_error_reply(request.id, ErrorCode::bad_request,
                                                         "unknown op '" + request.op + "'"));
    connection->end_initial_hold();
    return;
  }
  Call call{connection, std::move(request)};
  if (entry->access == Access::admin) {
    context_.core.home.post([this, entry, call = std::move(call)]() mutable {
      const auto* user = context_.core.accounts.find(call.connection->user_id());
      if (user == nullptr || !user->admin) {
        send_frame(*call.connection,
                   protocol::encode_error_reply(call.request.id, ErrorCode::forbidden,
                                                "this op is for administrators"));
        return;
      }
      entry->handler(context_, std::move(call));
    });
  } else {
    entry->handler(context_, std::move(call));
  }
  // After the handler: a resume has put its holds in place before the initial hold ends.
  connection->end_initial_hold();
}

}  // namespace staffroom::app
