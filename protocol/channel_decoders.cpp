#include <algorithm>

#include "protocol/decoders.hpp"
#include "protocol/limits.hpp"
#include "protocol/utf8.hpp"

namespace staffroom::protocol::decoders {

std::string lowercase(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

bool only_chars(std::string_view s, std::string_view extra) {
  return std::all_of(s.begin(), s.end(), [&](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
           extra.find(c) != std::string_view::npos;
  });
}

namespace {

std::optional<std::string> title(FieldReader& f, bool required) {
  auto t = required ? std::optional(f.text("title", 1, limits::kTitleMax))
                    : f.optional_text("title", 1, limits::kTitleMax);
  if (!f.failed() && t && is_blank(*t)) f.fail("'title' must not be blank");
  return t;
}

}  // namespace

RequestBody channel_create(FieldReader& f) {
  ChannelCreate r;
  r.slug = lowercase(f.text("slug", limits::kSlugMin, limits::kSlugMax));
  if (!f.failed() && !only_chars(r.slug, "_-")) {
    f.fail("'slug' may only contain a-z, 0-9, '_' and '-'");
  }
  r.title = title(f, true).value_or("");
  r.description = f.optional_text("description", 0, limits::kDescriptionMax, true).value_or("");
  const auto visibility = f.optional_text("visibility", 1, 16).value_or("public");
  if (visibility == "private") {
    r.is_private = true;
  } else if (visibility != "public") {
    f.fail("'visibility' must be \"public\" or \"private\"");
  }
  return r;
}

RequestBody channel_list(FieldReader& f) {
  return ChannelList{f.optional_bool("archived").value_or(false)};
}
RequestBody channel_join(FieldReader& f) { return ChannelJoin{f.id("channel_id")}; }
RequestBody channel_leave(FieldReader& f) { return ChannelLeave{f.id("channel_id")}; }
RequestBody channel_read(FieldReader& f) { return ChannelRead{f.id("channel_id"), f.id("seq")}; }
RequestBody channel_members(FieldReader& f) { return ChannelMembers{f.id("channel_id")}; }
RequestBody channel_invite(FieldReader& f) {
  return ChannelInvite{f.id("channel_id"), f.id("user_id")};
}
RequestBody channel_remove(FieldReader& f) {
  return ChannelRemove{f.id("channel_id"), f.id("user_id")};
}

RequestBody channel_update(FieldReader& f) {
  ChannelUpdate r;
  r.channel_id = f.id("channel_id");
  r.title = title(f, false);
  r.description = f.optional_text("description", 0, limits::kDescriptionMax, true);
  if (!f.failed() && !r.title && !r.description) f.fail("give 'title' or 'description'");
  return r;
}

RequestBody channel_archive(FieldReader& f) {
  return ChannelArchive{f.id("channel_id"), f.optional_bool("archived").value_or(true)};
}

RequestBody channel_set_role(FieldReader& f) {
  ChannelSetRole r{f.id("channel_id"), f.id("user_id"), f.text("role", 1, 16)};
  if (!f.failed() && r.role != "owner" && r.role != "moderator" && r.role != "member") {
    f.fail("'role' must be \"owner\", \"moderator\" or \"member\"");
  }
  return r;
}

RequestBody user_search(FieldReader& f) {
  UserSearch r;
  r.q = lowercase(f.optional_text("q", 0, limits::kDisplayNameMax).value_or(""));
  r.limit = static_cast<int>(f.optional_int("limit", 1, 50).value_or(20));
  return r;
}

RequestBody session_resume(FieldReader& f) {
  SessionResume r;
  const auto* channels = f.raw("channels");
  if (channels == nullptr || !channels->is_array()) {
    f.fail("'channels' must be an array of {channel_id, seq}");
    return r;
  }
  if (channels->size() > limits::kResumeChannelsMax) {
    f.fail("at most " + std::to_string(limits::kResumeChannelsMax) + " channels per resume");
    return r;
  }
  for (const auto& entry : *channels) {
    if (!entry.is_object()) {
      f.fail("each entry of 'channels' must be an object {channel_id, seq}");
      return r;
    }
    FieldReader point(entry);
    ResumePoint p{point.id("channel_id"), point.id("seq")};
    if (point.failed()) {
      f.fail("in 'channels': " + point.error());
      return r;
    }
    r.channels.push_back(p);
  }
  return r;
}

}  // namespace staffroom::protocol::decoders
