#include "net/send_batch.hpp"

#include <liburing.h>
#include <sys/socket.h>

#include <array>
#include <cerrno>
#include <cstring>

namespace staffroom::net {

namespace {

// A kernel may set up rings but refuse an opcode.
bool can_send(io_uring& ring) {
  io_uring_probe* probe = io_uring_get_probe_ring(&ring);
  const bool sends = probe != nullptr && io_uring_opcode_supported(probe, IORING_OP_SENDMSG);
  if (probe != nullptr) io_uring_free_probe(probe);
  return sends;
}

// A ring that can send messages, or null.
std::unique_ptr<io_uring> make_ring() {
  auto ring = std::make_unique<io_uring>();
  // Completions are only ever reaped by this thread, inside its own io_uring_enter: the
  // kernel need not interrupt it to post them (6.1+; older kernels take the plain setup).
  if (io_uring_queue_init(SendBatch::kCapacity, ring.get(),
                          IORING_SETUP_SINGLE_ISSUER | IORING_SETUP_DEFER_TASKRUN) != 0 &&
      io_uring_queue_init(SendBatch::kCapacity, ring.get(), 0) != 0) {
    return nullptr;
  }
  if (can_send(*ring)) return ring;
  io_uring_queue_exit(ring.get());
  return nullptr;
}

// The ring itself refused the request (not the socket): the write is made without it.
// A result no completion can carry: marks a request the kernel has not answered yet.
constexpr long kPending = 1L << 40;

bool refused_by_ring(long result) { return result == -EINVAL || result == -EOPNOTSUPP; }

}  // namespace

SendBatch::SendBatch(bool try_io_uring) {
  if (try_io_uring) ring_ = make_ring();
}

SendBatch::~SendBatch() {
  if (ring_) io_uring_queue_exit(ring_.get());
}

std::string SendBatch::probe() {
  io_uring ring{};
  const int rc = io_uring_queue_init(8, &ring, 0);
  if (rc < 0) return std::strerror(-rc);
  const bool sends = can_send(ring);
  io_uring_queue_exit(&ring);
  return sends ? std::string() : std::string("no sendmsg through io_uring");
}

GatheredWrite* SendBatch::add(int fd) {
  if (full()) return nullptr;
  if (used_ == slots_.size()) slots_.push_back(std::make_unique<GatheredWrite>());
  GatheredWrite& slot = *slots_[used_++];
  slot.fd = fd;
  slot.count = 0;
  slot.attempted = 0;
  slot.result = 0;
  return &slot;
}

void SendBatch::run() {
  if (used_ == 0) return;
  if (ring_) {
    run_with_ring();
  } else {
    run_with_syscalls(0);
  }
}

void SendBatch::run_with_syscalls(std::size_t from) {
  for (std::size_t i = from; i < used_; ++i) send_gathered(*slots_[i]);
}

void SendBatch::run_with_ring() {
  io_uring* ring = ring_.get();
  // The kernel copies each msghdr when it takes the request; they live until run() returns.
  std::array<msghdr, kCapacity> messages;
  for (std::size_t i = 0; i < used_; ++i) {
    slots_[i]->result = kPending;
    messages[i] = message_of(*slots_[i]);
    io_uring_sqe* sqe = io_uring_get_sqe(ring);  // never null: the ring holds kCapacity
    io_uring_prep_sendmsg(sqe, slots_[i]->fd, &messages[i], kGatheredSendFlags);
    io_uring_sqe_set_data64(sqe, i);
  }
  // The kernel takes requests in order; a non-blocking send completes as it is taken.
  std::size_t taken = 0;
  while (taken < used_) {
    const int rc = io_uring_submit(ring);
    if (rc > 0) {
      taken += static_cast<std::size_t>(rc);
    } else if (rc != -EINTR) {
      break;  // refused (out of memory, say): what was not taken is written without the ring
    }
  }
  std::size_t reaped = 0;
  bool keep_ring = taken == used_;
  while (reaped < taken) {
    io_uring_cqe* cqe = nullptr;
    unsigned head = 0, seen = 0;
    io_uring_for_each_cqe(ring, head, cqe) {
      GatheredWrite& write = *slots_[io_uring_cqe_get_data64(cqe)];
      write.result = cqe->res;
      if (refused_by_ring(write.result)) {
        send_gathered(write);
        keep_ring = false;
      }
      ++seen;
    }
    io_uring_cq_advance(ring, seen);
    reaped += seen;
    if (reaped == taken) break;
    const int rc = io_uring_wait_cqe_nr(ring, &cqe, static_cast<unsigned>(taken - reaped));
    if (rc < 0 && rc != -EINTR && rc != -EAGAIN) {
      // Cannot happen on this thread's own ring; rather than spin, give the unreaped
      // writes up (their sessions close) and stop using the ring.
      for (std::size_t i = 0; i < taken; ++i) {
        if (slots_[i]->result == kPending) slots_[i]->result = -ECANCELED;
      }
      keep_ring = false;
      break;
    }
  }
  if (keep_ring) return;
  run_with_syscalls(taken);
  io_uring_queue_exit(ring);  // drops the requests it never took
  ring_.reset();
}

}  // namespace staffroom::net
