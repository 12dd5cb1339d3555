// Frames waiting behind a catch-up replay, metered into a connection's send queue.
#pragma once

#include <cstddef>
#include <vector>

#include "app/event_bus.hpp"

namespace staffroom::net {

/// A FIFO of frames (a vector and a head index: no memory at all while empty, unlike a
/// std::deque, which matters with thousands of idle connections). `live` frames arrived after
/// the replay began and count against the send-queue bound; replayed ones do not.
class ReplayQueue {
 public:
  struct Item {
    app::Frame frame;
    bool live;
  };

  bool empty() const { return head_ == items_.size(); }
  std::size_t live() const { return live_; }

  void push(app::Frame frame, bool live) {
    if (live) ++live_;
    items_.push_back(Item{std::move(frame), live});
  }

  Item pop() {
    Item item = std::move(items_[head_++]);
    if (item.live) --live_;
    if (empty()) {
      std::vector<Item>().swap(items_);
      head_ = 0;
    }
    return item;
  }

 private:
  std::vector<Item> items_;
  std::size_t head_ = 0;
  std::size_t live_ = 0;
};

}  // namespace staffroom::net
