// What a benchmark post carries in its body (channel, sequence, scheduled send time) and how
// frames are recognised without parsing their JSON on the hot path.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace staffroom::load {

/// The identity and scheduled send time of one post, written into and read from its body.
struct PostMarker {
  int channel = 0;
  std::uint32_t sequence = 0;
  std::int64_t scheduled_ns = 0;  // steady clock

  /// "LDMK <channel> <sequence> <scheduled_ns> " then 'x' up to body_bytes.
  std::string body(int body_bytes) const;
  /// The first marker in a frame (a plain frame, a post.created event or a post.create reply).
  static std::optional<PostMarker> find(std::string_view frame);
};

/// What a Staffroom frame is, decided from its first bytes (keys are serialised sorted).
enum class FrameKind { post_event, post_reply, duplicate_reply, other };
FrameKind classify_staffroom_frame(std::string_view frame);

}  // namespace staffroom::load
