#include "protocol/encoder.hpp"

#include <cstdio>
#include <ctime>
#include <nlohmann/json.hpp>

namespace staffroom::protocol {
namespace {

using nlohmann::json;

// Replacement keeps a stray invalid byte from turning a whole reply into an exception.
std::string dump(const json& j) { return j.dump(-1, ' ', false, json::error_handler_t::replace); }

json optional_int(const std::optional<std::int64_t>& v) { return v ? json(*v) : json(nullptr); }

json to_json(const UserView& u) {
  return {{"id", u.id},
          {"handle", u.handle},
          {"display_name", u.display_name},
          {"role", u.admin ? "admin" : "member"},
          {"created_at", format_timestamp(u.created_at)}};
}

json to_json(const ChannelView& c) {
  return {{"id", c.id},
          {"slug", c.slug},
          {"title", c.title},
          {"description", c.description},
          {"visibility", c.is_private ? "private" : "public"},
          {"created_at", format_timestamp(c.created_at)},
          {"created_by", c.created_by},
          {"member", c.member},
          {"role", c.role ? json(*c.role) : json(nullptr)},
          {"member_count", c.member_count},
          {"unread", c.unread},
          {"last_seq", c.last_seq}};
}

json to_json(const PostView& p) {
  json reactions = json::array();
  for (const auto& r : p.reactions) {
    reactions.push_back(
        {{"emoji", r.emoji}, {"count", r.user_ids.size()}, {"user_ids", r.user_ids}});
  }
  return {
      {"id", p.id},
      {"channel_id", p.channel_id},
      {"seq", p.seq},
      {"thread_id", optional_int(p.thread_id)},
      {"author",
       {{"id", p.author.id}, {"handle", p.author.handle}, {"display_name", p.author.display_name}}},
      {"body", p.deleted ? "" : p.body},
      {"html", p.deleted ? "" : p.html},
      {"created_at", format_timestamp(p.created_at)},
      {"edited_at", p.edited_at ? json(format_timestamp(*p.edited_at)) : json(nullptr)},
      {"deleted", p.deleted},
      {"reactions", std::move(reactions)},
      {"reply_count", p.reply_count},
      {"client_id", p.client_id ? json(*p.client_id) : json(nullptr)}};
}

json posts_json(const std::vector<PostView>& posts) {
  json out = json::array();
  for (const auto& p : posts) out.push_back(to_json(p));
  return out;
}

json ok(std::int64_t id) { return {{"id", id}, {"ok", true}}; }

json error_object(ErrorCode code, std::string_view message) {
  return {{"code", error_name(code)}, {"message", message}};
}

}  // namespace

std::string format_timestamp(Millis ms) {
  const std::time_t seconds = static_cast<std::time_t>(ms >= 0 ? ms / 1000 : (ms - 999) / 1000);
  const auto millis = static_cast<int>(ms - static_cast<Millis>(seconds) * 1000);
  std::tm tm{};
  gmtime_r(&seconds, &tm);
  char buffer[96];  // roomy: the compiler cannot prove the year has four digits
  std::snprintf(buffer, sizeof buffer, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, millis);
  return buffer;
}

std::string encode_error_reply(std::optional<std::int64_t> id, ErrorCode code,
                               std::string_view message, std::int64_t retry_after_seconds) {
  auto error = error_object(code, message);
  if (retry_after_seconds > 0) error["retry_after"] = retry_after_seconds;
  return dump({{"id", optional_int(id)}, {"ok", false}, {"error", std::move(error)}});
}

std::string encode_channel_reply(std::int64_t id, const ChannelView& channel) {
  auto j = ok(id);
  j["channel"] = to_json(channel);
  return dump(j);
}

std::string encode_channels_reply(std::int64_t id, const std::vector<ChannelView>& channels) {
  auto j = ok(id);
  j["channels"] = json::array();
  for (const auto& c : channels) j["channels"].push_back(to_json(c));
  return dump(j);
}

std::string encode_post_reply(std::int64_t id, const PostView& post, bool duplicate) {
  auto j = ok(id);
  j["post"] = to_json(post);
  j["duplicate"] = duplicate;
  return dump(j);
}

std::string encode_history_reply(std::int64_t id, const std::vector<PostView>& posts,
                                 bool has_more) {
  auto j = ok(id);
  j["posts"] = posts_json(posts);
  j["has_more"] = has_more;
  return dump(j);
}

std::string encode_thread_reply(std::int64_t id, const PostView& root,
                                const std::vector<PostView>& replies) {
  auto j = ok(id);
  j["root"] = to_json(root);
  j["replies"] = posts_json(replies);
  return dump(j);
}

std::string encode_hello(const UserView& user, std::string_view version) {
  return dump({{"event", "hello"}, {"user", to_json(user)}, {"server", {{"version", version}}}});
}

std::string encode_post_created(std::int64_t channel_id, std::int64_t seq, const PostView& post) {
  return dump({{"event", "post.created"},
               {"channel_id", channel_id},
               {"seq", seq},
               {"post", to_json(post)}});
}

std::string encode_member_joined(std::int64_t channel_id, std::int64_t seq, const UserView& user,
                                 const ChannelView& channel) {
  return dump({{"event", "member.joined"},
               {"channel_id", channel_id},
               {"seq", seq},
               {"user", to_json(user)},
               {"channel", to_json(channel)}});
}

std::string encode_member_left(std::int64_t channel_id, std::int64_t seq, const UserView& user) {
  return dump({{"event", "member.left"},
               {"channel_id", channel_id},
               {"seq", seq},
               {"user", to_json(user)}});
}

std::string encode_http_error(ErrorCode code, std::string_view message) {
  return dump({{"error", error_object(code, message)}});
}

std::string encode_auth(const UserView& user, std::string_view token) {
  return dump({{"user", to_json(user)}, {"token", token}});
}

std::string encode_session(const UserView& user) { return dump({{"user", to_json(user)}}); }

std::string encode_status_ok() { return dump({{"status", "ok"}}); }

std::string encode_health(std::string_view version, std::int64_t uptime_seconds) {
  return dump({{"status", "ok"}, {"version", version}, {"uptime_seconds", uptime_seconds}});
}

}  // namespace staffroom::protocol
