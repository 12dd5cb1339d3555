// The last post encoded on this thread, so a post's reply and its event share one encoding.
#pragma once

#include "domain/types.hpp"
#include "protocol/views.hpp"

namespace staffroom::app {

/// A post goes out as its author's reply and as an event to the channel, built one after the
/// other on the same thread; encoding the post (its body and HTML escaped, its timestamps
/// formatted) was most of the cost of each. The memo keeps one post and its JSON per thread.
class PostJsonMemo {
 public:
  /// The post as JSON, encoded only when it differs from the last post asked for on this
  /// thread. The view lasts until the next call on this thread: use it to build one frame.
  static protocol::PostJson of(const domain::Post& post);
};

}  // namespace staffroom::app
