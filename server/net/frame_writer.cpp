#include "net/frame_writer.hpp"

#include <array>
#include <span>

namespace staffroom::net {

namespace asio = boost::asio;

namespace {

// 32 frames (64 buffers) per writev: Asio hands at most 64 buffers to one system call.
constexpr std::size_t kFramesPerWrite = 32;
// A queue that once held a burst gives its memory back when it empties.
constexpr std::size_t kKeepCapacity = 64;

}  // namespace

void FrameWriter::push(app::Frame payload, protocol::WsOpcode opcode) {
  bytes_ += payload->size();
  frames_.push_back(Out{std::move(payload), opcode});
}

void FrameWriter::drop_unstarted() {
  const std::size_t keep = head_ + (sent_ > 0 ? 1 : 0);
  while (frames_.size() > keep) {
    bytes_ -= frames_.back().payload->size();
    frames_.pop_back();
  }
  compact();
}

FrameWriter::Result FrameWriter::write(asio::ip::tcp::socket& socket,
                                       boost::system::error_code& ec) {
  while (!empty()) {
    std::array<std::array<char, protocol::kWsMaxHeader>, kFramesPerWrite> headers;
    std::array<asio::const_buffer, 2 * kFramesPerWrite> buffers;
    std::size_t count = 0, attempted = 0;
    const std::size_t frames = std::min(size(), kFramesPerWrite);
    for (std::size_t i = 0; i < frames; ++i) {
      const Out& out = frames_[head_ + i];
      const std::size_t header =
          protocol::ws_frame_header(out.opcode, out.payload->size(), headers[i].data());
      asio::const_buffer head(headers[i].data(), header);
      asio::const_buffer body(out.payload->data(), out.payload->size());
      if (i == 0 && sent_ > 0) {  // resume a frame the last call left half written
        if (sent_ < header) {
          head += sent_;
        } else {
          head = asio::const_buffer();
          body += sent_ - header;
        }
      }
      buffers[count++] = head;
      buffers[count++] = body;
      attempted += head.size() + body.size();
    }
    const std::size_t written =
        socket.write_some(std::span<const asio::const_buffer>(buffers.data(), count), ec);
    if (ec == asio::error::would_block || ec == asio::error::try_again) {
      ec.clear();
      return Result::blocked;
    }
    if (ec) return Result::failed;
    advance(written);
    if (written < attempted) {  // the socket buffer is full
      compact();
      return Result::blocked;
    }
  }
  compact();
  return Result::drained;
}

void FrameWriter::advance(std::size_t written) {
  while (written > 0 && !empty()) {
    const Out& out = frames_[head_];
    const std::size_t total =
        protocol::ws_frame_header_size(out.payload->size()) + out.payload->size();
    const std::size_t left = total - sent_;
    if (written < left) {
      sent_ += written;
      return;
    }
    written -= left;
    sent_ = 0;
    bytes_ -= out.payload->size();
    frames_[head_].payload.reset();
    ++head_;
  }
}

void FrameWriter::compact() {
  if (head_ == 0) return;
  if (empty()) {
    frames_.clear();
    head_ = 0;
    if (frames_.capacity() > kKeepCapacity) std::vector<Out>().swap(frames_);
    return;
  }
  if (head_ >= frames_.size() / 2) {
    frames_.erase(frames_.begin(), frames_.begin() + static_cast<std::ptrdiff_t>(head_));
    head_ = 0;
  }
}

}  // namespace staffroom::net
