#include "net/frame_writer.hpp"

#include <algorithm>
#include <cerrno>

namespace staffroom::net {

namespace {

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

void FrameWriter::gather(GatheredWrite& out) const {
  out.count = 0;
  out.attempted = 0;
  const std::size_t frames = std::min(size(), GatheredWrite::kFrames);
  for (std::size_t i = 0; i < frames; ++i) {
    const Out& frame = frames_[head_ + i];
    char* header = out.headers[i].data();
    std::size_t header_size =
        protocol::ws_frame_header(frame.opcode, frame.payload->size(), header);
    const char* body = frame.payload->data();
    std::size_t body_size = frame.payload->size();
    if (i == 0 && sent_ > 0) {  // resume a frame the last write left half written
      const std::size_t skip_header = std::min(sent_, header_size);
      header += skip_header;
      header_size -= skip_header;
      body += sent_ - skip_header;
      body_size -= sent_ - skip_header;
    }
    if (header_size > 0) out.buffers[out.count++] = iovec{header, header_size};
    // const_cast: iovec is shared by reads and writes; a send never writes through it.
    if (body_size > 0) out.buffers[out.count++] = iovec{const_cast<char*>(body), body_size};
    out.attempted += header_size + body_size;
  }
}

bool FrameWriter::took(const GatheredWrite& offered, std::size_t written) {
  advance(written);
  compact();
  return written >= offered.attempted;
}

FrameWriter::Result FrameWriter::write(int fd, int& error) {
  error = 0;
  GatheredWrite out;
  out.fd = fd;
  while (!empty()) {
    gather(out);
    send_gathered(out);
    if (out.result == -EAGAIN || out.result == -EWOULDBLOCK) return Result::blocked;
    if (out.result < 0) {
      error = static_cast<int>(-out.result);
      return Result::failed;
    }
    if (!took(out, static_cast<std::size_t>(out.result))) return Result::blocked;
  }
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
