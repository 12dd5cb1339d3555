#include "post_marker.hpp"

#include <charconv>

namespace staffroom::load {

namespace {
constexpr std::string_view kTag = "LDMK ";

template <typename T>
bool read_number(std::string_view& text, T& out) {
  const auto* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, out);
  if (ec != std::errc() || ptr == end || *ptr != ' ') return false;
  text.remove_prefix(static_cast<std::size_t>(ptr - text.data()) + 1);
  return true;
}
}  // namespace

std::string PostMarker::body(int body_bytes) const {
  std::string text(kTag);
  text += std::to_string(channel) + ' ' + std::to_string(sequence) + ' ' +
          std::to_string(scheduled_ns) + ' ';
  if (text.size() < static_cast<std::size_t>(body_bytes)) {
    text.append(static_cast<std::size_t>(body_bytes) - text.size(), 'x');
  }
  return text;
}

std::optional<PostMarker> PostMarker::find(std::string_view frame) {
  const auto at = frame.find(kTag);
  if (at == std::string_view::npos) return std::nullopt;
  auto rest = frame.substr(at + kTag.size());
  PostMarker m;
  if (!read_number(rest, m.channel) || !read_number(rest, m.sequence) ||
      !read_number(rest, m.scheduled_ns)) {
    return std::nullopt;
  }
  return m;
}

FrameKind classify_staffroom_frame(std::string_view frame) {
  // {"channel_id":3,"event":"post.created","post":{...},"seq":9}
  if (frame.substr(0, 48).find("\"event\":\"post.created\"") != std::string_view::npos) {
    return FrameKind::post_event;
  }
  // {"duplicate":false,"id":7,"ok":true,"post":{...}}
  if (frame.starts_with("{\"duplicate\":false")) return FrameKind::post_reply;
  if (frame.starts_with("{\"duplicate\":true")) return FrameKind::duplicate_reply;
  return FrameKind::other;
}

}  // namespace staffroom::load
