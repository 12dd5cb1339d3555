#include "ring_reader.hpp"

#include <liburing.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace staffroom::load {

namespace {

constexpr unsigned kGroup = 7;  // the provided-buffer group every recv draws from
constexpr unsigned kSubmissions = 1024;
constexpr std::uint64_t kCancelTag = ~std::uint64_t{0};

std::uint64_t tag(std::uint32_t id, std::uint32_t generation) {
  return (static_cast<std::uint64_t>(generation) << 32) | id;
}

bool is_power_of_two(unsigned n) { return n != 0 && (n & (n - 1)) == 0; }

}  // namespace

// The ways to set the ring up, best first. With deferred task work the kernel queues each
// arrival's copy until this thread asks for completions (a few io_uring_enter calls for a
// burst) and rings an eventfd to say there is some (6.1+). Without it every arrival interrupts the
// thread, an inter-processor interrupt each while it runs, which is costly in a VM; cooperative
// task work waits for its next system call instead (5.19+). Measured in S2 at 200 posts/s:
// delivery p99 7.8 ms deferred, 12.9 ms cooperative, 48 ms plain.
const RingReader::Setup RingReader::kSetups[] = {
    {IORING_SETUP_DEFER_TASKRUN | IORING_SETUP_SINGLE_ISSUER, true, false,
     "io_uring (deferred task work)"},
    {IORING_SETUP_COOP_TASKRUN | IORING_SETUP_TASKRUN_FLAG, false, true,
     "io_uring (cooperative task work)"},
    {0, false, false, "io_uring"},
};

std::unique_ptr<RingReader> RingReader::create(std::string& why, unsigned buffers,
                                               unsigned buffer_bytes) {
  if (!is_power_of_two(buffers) || buffers > 32768 || buffer_bytes == 0) {
    why = "buffers must be a power of two up to 32768";
    return nullptr;
  }
  for (const Setup& setup : kSetups) {
    auto ring = std::make_unique<io_uring>();
    io_uring_params params{};
    // Room for a completion from every buffer at once: the completion queue does not overflow
    // before the buffers run out (which ends a recv with -ENOBUFS, and it is re-armed). The
    // kernel wants at least as many completions as submissions.
    params.flags = IORING_SETUP_CQSIZE | setup.flags;
    params.cq_entries = std::max(buffers * 2, 2 * kSubmissions);
    const int rc = io_uring_queue_init_params(kSubmissions, ring.get(), &params);
    if (rc == -EINVAL) continue;  // an older kernel that lacks this setup's flags
    if (rc < 0) {
      why = std::string("io_uring: ") + std::strerror(-rc);
      return nullptr;
    }
    io_uring_probe* probe = io_uring_get_probe_ring(ring.get());
    const bool recv = probe != nullptr && io_uring_opcode_supported(probe, IORING_OP_RECV);
    if (probe != nullptr) io_uring_free_probe(probe);
    if (!recv) {
      io_uring_queue_exit(ring.get());
      why = "io_uring without recv";
      return nullptr;
    }
    std::unique_ptr<RingReader> reader(
        new RingReader(std::move(ring), buffers, buffer_bytes, setup));
    if (reader->buffer_ring_ == nullptr) {
      why = "io_uring without provided-buffer rings";
      return nullptr;
    }
    if (!setup.deferred) return reader;
    reader->event_fd_ = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    if (reader->event_fd_ >= 0 &&
        io_uring_register_eventfd(reader->ring_.get(), reader->event_fd_) == 0) {
      return reader;
    }
  }
  why = "no io_uring setup this kernel accepts";
  return nullptr;
}

RingReader::RingReader(std::unique_ptr<io_uring> ring, unsigned buffers, unsigned buffer_bytes,
                       const Setup& setup)
    : ring_(std::move(ring)), setup_(setup), buffers_(buffers), buffer_bytes_(buffer_bytes) {
  ring_bytes_ = sizeof(io_uring_buf) * buffers_;
  memory_bytes_ = static_cast<std::size_t>(buffers_) * buffer_bytes_;
  void* entries =
      mmap(nullptr, ring_bytes_, PROT_READ | PROT_WRITE, MAP_ANONYMOUS | MAP_PRIVATE, -1, 0);
  // Touched now, not by the first deliveries: a page fault each would land in their latency.
  void* memory = mmap(nullptr, memory_bytes_, PROT_READ | PROT_WRITE,
                      MAP_ANONYMOUS | MAP_PRIVATE | MAP_POPULATE, -1, 0);
  if (entries == MAP_FAILED || memory == MAP_FAILED) {
    if (entries != MAP_FAILED) munmap(entries, ring_bytes_);
    if (memory != MAP_FAILED) munmap(memory, memory_bytes_);
    return;
  }
  memory_ = static_cast<char*>(memory);
  io_uring_buf_reg registration{};
  registration.ring_addr = reinterpret_cast<std::uint64_t>(entries);
  registration.ring_entries = buffers_;
  registration.bgid = kGroup;
  if (io_uring_register_buf_ring(ring_.get(), &registration, 0) != 0) {
    munmap(entries, ring_bytes_);
    return;
  }
  buffer_ring_ = static_cast<io_uring_buf_ring*>(entries);
  io_uring_buf_ring_init(buffer_ring_);
  const int mask = io_uring_buf_ring_mask(buffers_);
  for (unsigned i = 0; i < buffers_; ++i) {
    io_uring_buf_ring_add(buffer_ring_, memory_ + static_cast<std::size_t>(i) * buffer_bytes_,
                          buffer_bytes_, static_cast<unsigned short>(i), mask, static_cast<int>(i));
  }
  io_uring_buf_ring_advance(buffer_ring_, static_cast<int>(buffers_));
}

RingReader::~RingReader() {
  // Exiting the ring cancels every request; the buffers are unmapped after it.
  if (buffer_ring_ != nullptr) io_uring_unregister_buf_ring(ring_.get(), kGroup);
  io_uring_queue_exit(ring_.get());
  if (buffer_ring_ != nullptr) munmap(buffer_ring_, ring_bytes_);
  if (memory_ != nullptr) munmap(memory_, memory_bytes_);
  if (event_fd_ >= 0) close(event_fd_);
}

int RingReader::fd() const { return event_fd_ >= 0 ? event_fd_ : ring_->ring_fd; }

io_uring_sqe* RingReader::next_sqe() {
  io_uring_sqe* sqe = io_uring_get_sqe(ring_.get());
  if (sqe == nullptr) {
    io_uring_submit(ring_.get());  // the queue is full: make room
    sqe = io_uring_get_sqe(ring_.get());
  }
  return sqe;
}

RingReader::WatchId RingReader::watch(int fd, Receiver& receiver) {
  WatchId id;
  if (!free_.empty()) {
    id = free_.back();
    free_.pop_back();
  } else {
    id = static_cast<WatchId>(watches_.size());
    watches_.emplace_back();
  }
  auto& w = watches_[id];
  w.receiver = &receiver;
  w.fd = fd;
  w.wanted = true;
  arm(id);
  return id;
}

void RingReader::arm(WatchId id) {
  auto& w = watches_[id];
  io_uring_sqe* sqe = next_sqe();
  if (sqe == nullptr) return;  // cannot happen after a submit; the watch then stays idle
  io_uring_prep_recv_multishot(sqe, w.fd, nullptr, 0, 0);
  sqe->flags |= IOSQE_BUFFER_SELECT;
  sqe->buf_group = kGroup;
  io_uring_sqe_set_data64(sqe, tag(id, w.generation));
  w.armed = true;
  w.cancelling = false;
  io_uring_submit(ring_.get());
}

void RingReader::cancel(WatchId id) {
  auto& w = watches_[id];
  if (!w.armed || w.cancelling) return;
  io_uring_sqe* sqe = next_sqe();
  if (sqe == nullptr) return;
  io_uring_prep_cancel64(sqe, tag(id, w.generation), 0);
  io_uring_sqe_set_data64(sqe, kCancelTag);
  w.cancelling = true;
  io_uring_submit(ring_.get());
}

void RingReader::pause(WatchId id) {
  if (id >= watches_.size() || watches_[id].receiver == nullptr) return;
  watches_[id].wanted = false;
  cancel(id);
}

void RingReader::resume(WatchId id) {
  if (id >= watches_.size() || watches_[id].receiver == nullptr) return;
  auto& w = watches_[id];
  w.wanted = true;
  // A request still being cancelled re-arms when its last completion comes.
  if (!w.armed) arm(id);
}

void RingReader::stop(WatchId id) {
  if (id >= watches_.size() || watches_[id].receiver == nullptr) return;
  auto& w = watches_[id];
  w.receiver = nullptr;
  w.wanted = false;
  if (w.armed) {
    cancel(id);  // the slot is reused once the request's last completion has come
  } else {
    release(id);
  }
}

void RingReader::release(WatchId id) {
  auto& w = watches_[id];
  w.fd = -1;
  ++w.generation;
  free_.push_back(id);
}

void RingReader::give_back(unsigned buffer_id) {
  io_uring_buf_ring_add(buffer_ring_, memory_ + static_cast<std::size_t>(buffer_id) * buffer_bytes_,
                        buffer_bytes_, static_cast<unsigned short>(buffer_id),
                        io_uring_buf_ring_mask(buffers_), 0);
  io_uring_buf_ring_advance(buffer_ring_, 1);
}

std::size_t RingReader::drain(std::size_t limit) {
  std::size_t handled = 0;
  if (setup_.deferred) {
    std::uint64_t signals = 0;
    if (read(event_fd_, &signals, sizeof signals) < 0) signals = 0;  // none since the last drain
  }
  // With deferred task work one io_uring_enter runs only a slice of the queued arrivals (6.13+
  // caps it), and what it leaves rings no eventfd: ask again until two asks in a row bring
  // nothing (a slice may hold only arrivals that complete nothing yet).
  for (int idle = 0; handled < limit && idle < (setup_.deferred ? 2 : 1);) {
    if (setup_.deferred ||
        (setup_.taskrun_flag && (IO_URING_READ_ONCE(*ring_->sq.kflags) & IORING_SQ_TASKRUN))) {
      io_uring_get_events(ring_.get());
    }
    const std::size_t before = handled;
    io_uring_cqe* cqe = nullptr;
    while (handled < limit && io_uring_peek_cqe(ring_.get(), &cqe) == 0) {
      const std::uint64_t user_data = io_uring_cqe_get_data64(cqe);
      const int result = cqe->res;
      const unsigned flags = cqe->flags;
      io_uring_cqe_seen(ring_.get(), cqe);
      ++handled;
      handle(user_data, result, flags);
    }
    idle = handled == before ? idle + 1 : 0;
  }
  // Stopped by the bound: the eventfd was read, so it is rung again for what is left (the
  // ring's own descriptor stays readable while completions wait, and Asio's wait re-checks).
  if (setup_.deferred && handled >= limit) {
    const std::uint64_t one = 1;
    if (write(event_fd_, &one, sizeof one) < 0) return handled;  // the counter cannot overflow
  }
  return handled;
}

void RingReader::handle(std::uint64_t user_data, int result, unsigned flags) {
  if (user_data == kCancelTag) return;
  const auto id = static_cast<WatchId>(user_data & 0xFFFFFFFFu);
  const bool more = (flags & IORING_CQE_F_MORE) != 0;
  const bool has_buffer = (flags & IORING_CQE_F_BUFFER) != 0;
  const unsigned buffer_id = flags >> IORING_CQE_BUFFER_SHIFT;
  const auto generation = static_cast<std::uint32_t>(user_data >> 32);
  if (id >= watches_.size() || watches_[id].generation != generation) {
    if (has_buffer) give_back(buffer_id);  // cannot happen: a slot is reused after its end
    return;
  }
  if (!more) watches_[id].armed = false;
  if (result > 0 && has_buffer) {
    // The receiver may stop, pause or add watches (growing the vector): look it up again after.
    if (Receiver* receiver = watches_[id].receiver) {
      receiver->on_ring_bytes(memory_ + static_cast<std::size_t>(buffer_id) * buffer_bytes_,
                              static_cast<std::size_t>(result));
    }
    give_back(buffer_id);
  } else if (has_buffer) {
    give_back(buffer_id);
  }
  // A receiver that stopped inside the call may have released the slot already.
  if (more || watches_[id].generation != generation) return;
  auto& w = watches_[id];
  w.cancelling = false;
  if (w.receiver == nullptr) return release(id);
  if (result == -EINVAL || result == -EOPNOTSUPP) ++refusals_;
  if (result > 0 || result == -ENOBUFS || result == -ECANCELED) {
    // The request ended while the socket is still wanted: the buffers ran out (they are back
    // now), or the kernel ended the multishot, or a pause was undone before it took effect.
    if (result == -ENOBUFS) ++rearms_;
    if (w.wanted && !w.armed) arm(id);  // a resume inside the call may have armed it
    return;
  }
  w.wanted = false;
  w.receiver->on_ring_end(result);
}

void RingReader::wait(int timeout_ms) {
  __kernel_timespec timeout{};
  timeout.tv_sec = timeout_ms / 1000;
  timeout.tv_nsec = static_cast<long long>(timeout_ms % 1000) * 1'000'000;
  io_uring_cqe* cqe = nullptr;
  io_uring_wait_cqe_timeout(ring_.get(), &cqe, &timeout);
}

}  // namespace staffroom::load
