#include "protocol/encoder.hpp"

#include <chrono>
#include <cstdio>
#include <ctime>

#include "protocol/json_text.hpp"
#include "protocol/json_views.hpp"
#include "protocol/post_json.hpp"

namespace staffroom::protocol {

using namespace json_views;

std::string format_timestamp(Millis ms) {
  const std::time_t seconds = static_cast<std::time_t>(ms >= 0 ? ms / 1000 : (ms - 999) / 1000);
  const auto millis = static_cast<int>(ms - static_cast<Millis>(seconds) * 1000);
  // Every post carries one or two of these: the calendar arithmetic and the digits by hand,
  // not gmtime_r and snprintf (a tenth of the time).
  namespace chrono = std::chrono;
  const auto day = chrono::floor<chrono::days>(chrono::sys_seconds(chrono::seconds(seconds)));
  const chrono::year_month_day date(day);
  const chrono::hh_mm_ss time(chrono::seconds(seconds) - day.time_since_epoch());
  const int year = static_cast<int>(date.year());
  if (year < 0 || year > 9999) {
    std::tm tm{};
    gmtime_r(&seconds, &tm);
    char buffer[96];  // roomy: the compiler cannot prove the year has four digits
    std::snprintf(buffer, sizeof buffer, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
                  tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, millis);
    return buffer;
  }
  std::string out = "0000-00-00T00:00:00.000Z";
  const auto put = [&out](std::size_t at, int value, int digits) {
    for (int i = digits - 1; i >= 0; --i, value /= 10) {
      out[at + static_cast<std::size_t>(i)] = static_cast<char>('0' + value % 10);
    }
  };
  put(0, year, 4);
  put(5, static_cast<int>(static_cast<unsigned>(date.month())), 2);
  put(8, static_cast<int>(static_cast<unsigned>(date.day())), 2);
  put(11, static_cast<int>(time.hours().count()), 2);
  put(14, static_cast<int>(time.minutes().count()), 2);
  put(17, static_cast<int>(time.seconds().count()), 2);
  put(20, millis, 3);
  return out;
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

// Replies that carry posts are written directly (post_json): they are most of the traffic.
// Keys stay in the sorted order the nlohmann-built frames have.

std::string encode_post_reply(std::int64_t id, const PostView& post,
                              std::optional<bool> duplicate) {
  return encode_post_reply(id, PostJson{post_json::encode(post)}, duplicate);
}

std::string encode_post_reply(std::int64_t id, PostJson post, std::optional<bool> duplicate) {
  JsonText out(post.text.size() + 64);
  out.raw("{");
  if (duplicate) out.raw(R"("duplicate":)").boolean(*duplicate).raw(",");
  out.raw(R"("id":)").integer(id).raw(R"(,"ok":true,"post":)");
  return out.raw(post.text).raw("}").take();
}

std::string encode_history_reply(std::int64_t id, const std::vector<PostView>& posts,
                                 bool has_more) {
  JsonText out(1024);
  out.raw(R"({"has_more":)").boolean(has_more).raw(R"(,"id":)").integer(id);
  out.raw(R"(,"ok":true,"posts":)");
  post_json::write_all(out, posts);
  return out.raw("}").take();
}

std::string encode_thread_reply(std::int64_t id, const PostView& root,
                                const std::vector<PostView>& replies) {
  JsonText out(1024);
  out.raw(R"({"id":)").integer(id).raw(R"(,"ok":true,"replies":)");
  post_json::write_all(out, replies);
  out.raw(R"(,"root":)");
  post_json::write(out, root);
  return out.raw("}").take();
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

std::string encode_member_reply(std::int64_t id, const MemberView& member) {
  auto j = ok(id);
  j["member"] = to_json(member);
  return dump(j);
}

std::string encode_members_reply(std::int64_t id, const std::vector<MemberView>& members) {
  auto j = ok(id);
  j["members"] = json::array();
  for (const auto& m : members) j["members"].push_back(to_json(m));
  return dump(j);
}

std::string encode_users_reply(std::int64_t id, const std::vector<UserView>& users) {
  auto j = ok(id);
  j["users"] = json::array();
  for (const auto& u : users) j["users"].push_back(to_json(u));
  return dump(j);
}

std::string encode_versions_reply(std::int64_t id, const std::vector<VersionView>& versions) {
  auto j = ok(id);
  j["versions"] = json::array();
  for (const auto& v : versions) {
    j["versions"].push_back(
        {{"body", v.body}, {"html", v.html}, {"written_at", format_timestamp(v.written_at)}});
  }
  return dump(j);
}

std::string encode_mentions_reply(std::int64_t id, const std::vector<MentionView>& mentions,
                                  bool has_more) {
  auto j = ok(id);
  j["mentions"] = json::array();
  for (const auto& m : mentions) {
    j["mentions"].push_back({{"id", m.id},
                             {"channel_id", m.channel_id},
                             {"post", to_json(m.post)},
                             {"created_at", format_timestamp(m.created_at)}});
  }
  j["has_more"] = has_more;
  return dump(j);
}

std::string encode_search_reply(std::int64_t id, const std::vector<SearchHitView>& hits) {
  auto j = ok(id);
  j["hits"] = json::array();
  for (const auto& h : hits)
    j["hits"].push_back({{"post", to_json(h.post)}, {"snippet", h.snippet}});
  return dump(j);
}

std::string encode_resume_reply(std::int64_t id, std::int64_t replayed,
                                const std::vector<std::int64_t>& reset) {
  auto j = ok(id);
  j["replayed"] = replayed;
  j["reset"] = reset;
  return dump(j);
}

}  // namespace staffroom::protocol
