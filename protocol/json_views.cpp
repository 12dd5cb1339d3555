#include "protocol/json_views.hpp"

#include "protocol/encoder.hpp"

namespace staffroom::protocol::json_views {

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
          {"mentions", c.mentions},
          {"last_seq", c.last_seq},
          {"archived", c.archived}};
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

json to_json(const MemberView& m) { return {{"user", to_json(m.user)}, {"role", m.role}}; }

}  // namespace staffroom::protocol::json_views
