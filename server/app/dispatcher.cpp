#include "app/dispatcher.hpp"

#include <array>

#include "app/error_mapping.hpp"
#include "app/views.hpp"
#include "protocol/codec.hpp"
#include "protocol/encoder.hpp"

namespace staffroom::app {
namespace {

using protocol::ErrorCode;

void send(const std::shared_ptr<ClientConnection>& connection, std::string frame) {
  connection->send(std::make_shared<const std::string>(std::move(frame)));
}

/// A completion that answers the call: the encoded result, or the typed error.
template <class T, class Encode>
domain::Done<T> answer(Dispatcher::Call& call, Encode encode) {
  return [connection = call.connection, id = call.request.id,
          encode = std::move(encode)](domain::Result<T> result) {
    if (!result.ok()) {
      const auto& e = result.error();
      send(connection,
           protocol::encode_error_reply(id, to_code(e.kind), e.message, retry_after_seconds(e)));
      return;
    }
    send(connection, encode(id, result.value()));
  };
}

domain::Done<domain::ChannelInfo> answer_channel(Dispatcher::Call& call) {
  return answer<domain::ChannelInfo>(call, [](std::int64_t id, const domain::ChannelInfo& info) {
    return protocol::encode_channel_reply(id, channel_view(info));
  });
}

}  // namespace

Dispatcher::Dispatcher(Core& core, const MarkdownRenderer& renderer, Metrics& metrics)
    : core_(core), renderer_(renderer), metrics_(metrics) {}

const Dispatcher::Entry* Dispatcher::find(std::string_view op) {
  static const std::array<Entry, 8> table{{
      {"channel.create", Access::user, &Dispatcher::channel_create},
      {"channel.list", Access::user, &Dispatcher::channel_list},
      {"channel.join", Access::user, &Dispatcher::channel_join},
      {"channel.leave", Access::user, &Dispatcher::channel_leave},
      {"channel.read", Access::user, &Dispatcher::channel_read},
      {"post.create", Access::user, &Dispatcher::post_create},
      {"post.history", Access::user, &Dispatcher::post_history},
      {"thread.get", Access::user, &Dispatcher::thread_get},
  }};
  for (const auto& entry : table) {
    if (entry.op == op) return &entry;
  }
  return nullptr;
}

void Dispatcher::dispatch(const std::shared_ptr<ClientConnection>& connection,
                          std::string_view frame) {
  metrics_.ws_requests.fetch_add(1, std::memory_order_relaxed);
  auto decoded = protocol::decode_request(frame);
  if (auto* error = std::get_if<protocol::DecodeError>(&decoded)) {
    send(connection, protocol::encode_error_reply(error->id, error->code, error->message));
    return;
  }
  auto& request = std::get<protocol::Request>(decoded);
  const auto* entry = find(request.op);
  if (entry == nullptr) {
    send(connection, protocol::encode_error_reply(request.id, ErrorCode::bad_request,
                                                  "unknown op '" + request.op + "'"));
    return;
  }
  Call call{connection, std::move(request), false};
  if (entry->access == Access::admin) {
    core_.home.post([this, entry, call = std::move(call)]() mutable {
      const auto* user = core_.accounts.find(call.connection->user_id());
      if (user == nullptr || !user->admin) {
        send(call.connection, protocol::encode_error_reply(call.request.id, ErrorCode::forbidden,
                                                           "this op is for administrators"));
        return;
      }
      call.admin = true;
      (this->*(entry->handler))(std::move(call));
    });
    return;
  }
  (this->*(entry->handler))(std::move(call));
}

void Dispatcher::opened(ClientConnection& connection, const domain::User& user) {
  connection.send(std::make_shared<const std::string>(
      protocol::encode_hello(user_view(user), STAFFROOM_VERSION)));
}

void Dispatcher::binary_frame(ClientConnection& connection) {
  connection.send(std::make_shared<const std::string>(protocol::encode_error_reply(
      std::nullopt, ErrorCode::bad_request, "binary frames are not supported")));
}

// Handlers run on the connection's strand and hop to the home lane for the domain call.

void Dispatcher::channel_create(Call call) {
  const auto& r = std::get<protocol::ChannelCreate>(call.request.body);
  domain::ChannelInput input{
      r.slug, r.title, r.description,
      r.is_private ? domain::Visibility::private_ : domain::Visibility::public_};
  core_.home.post([this, input = std::move(input), call = std::move(call)]() mutable {
    core_.community.create_channel(call.connection->user_id(), std::move(input),
                                   answer_channel(call));
  });
}

void Dispatcher::channel_list(Call call) {
  core_.home.post([this, call = std::move(call)]() mutable {
    core_.community.list_channels(
        call.connection->user_id(),
        answer<std::vector<domain::ChannelInfo>>(
            call, [](std::int64_t id, const std::vector<domain::ChannelInfo>& infos) {
              std::vector<protocol::ChannelView> views;
              views.reserve(infos.size());
              for (const auto& info : infos) views.push_back(channel_view(info));
              return protocol::encode_channels_reply(id, views);
            }));
  });
}

void Dispatcher::channel_join(Call call) {
  const auto channel = std::get<protocol::ChannelJoin>(call.request.body).channel_id;
  core_.home.post([this, channel, call = std::move(call)]() mutable {
    core_.community.join(call.connection->user_id(), channel, answer_channel(call));
  });
}

void Dispatcher::channel_leave(Call call) {
  const auto channel = std::get<protocol::ChannelLeave>(call.request.body).channel_id;
  core_.home.post([this, channel, call = std::move(call)]() mutable {
    core_.community.leave(call.connection->user_id(), channel, answer_channel(call));
  });
}

void Dispatcher::channel_read(Call call) {
  const auto r = std::get<protocol::ChannelRead>(call.request.body);
  core_.home.post([this, r, call = std::move(call)]() mutable {
    core_.community.mark_read(call.connection->user_id(), r.channel_id, r.seq,
                              answer_channel(call));
  });
}

void Dispatcher::post_create(Call call) {
  auto& r = std::get<protocol::PostCreate>(call.request.body);
  // Render here, on the connection's strand, so the home lane never waits on Markdown.
  domain::PostInput input{r.channel_id, std::move(r.body), {}, r.thread_id, std::move(r.client_id)};
  input.html = renderer_.render(input.body);
  core_.home.post([this, input = std::move(input), call = std::move(call)]() mutable {
    core_.community.create_post(
        call.connection->user_id(), std::move(input),
        answer<domain::PostCreated>(call, [](std::int64_t id, const domain::PostCreated& created) {
          return protocol::encode_post_reply(id, post_view(created.post), created.duplicate);
        }));
  });
}

void Dispatcher::post_history(Call call) {
  const auto r = std::get<protocol::PostHistory>(call.request.body);
  core_.home.post([this, r, call = std::move(call)]() mutable {
    core_.community.history(
        call.connection->user_id(), r.channel_id, r.after_seq, r.before_seq, r.limit,
        answer<domain::HistoryPage>(call, [](std::int64_t id, const domain::HistoryPage& page) {
          return protocol::encode_history_reply(id, post_views(page.posts), page.has_more);
        }));
  });
}

void Dispatcher::thread_get(Call call) {
  const auto post = std::get<protocol::ThreadGet>(call.request.body).post_id;
  core_.home.post([this, post, call = std::move(call)]() mutable {
    core_.community.thread(
        call.connection->user_id(), post,
        answer<domain::Thread>(call, [](std::int64_t id, const domain::Thread& thread) {
          return protocol::encode_thread_reply(id, post_view(thread.root),
                                               post_views(thread.replies));
        }));
  });
}

}  // namespace staffroom::app
