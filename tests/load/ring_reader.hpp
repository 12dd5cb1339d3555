// Reads many sockets through one io_uring, with no system call per message received.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

struct io_uring;
struct io_uring_buf_ring;
struct io_uring_sqe;

namespace staffroom::load {

/// One multishot recv per socket into a shared ring of provided buffers: the kernel copies each
/// arrival into a buffer and posts a completion, and the reader hands the bytes on and returns
/// the buffer, all in shared memory. A generator that read with recv() spent about 7 µs of its
/// one core per delivery (two recv calls and an epoll wake-up each), more than the servers it
/// measures spend sending; S2's latency and S3's rate were the generator's, not the server's.
/// Single-threaded: every call, and every callback, on the thread that drains it.
class RingReader {
 public:
  /// Where one socket's bytes go.
  class Receiver {
   public:
    virtual ~Receiver() = default;
    /// Bytes in arrival order; valid only during the call (the buffer goes back to the ring).
    virtual void on_ring_bytes(char* data, std::size_t size) = 0;
    /// Reading ended by itself: 0 at the end of the stream, else a negative errno. -EINVAL
    /// and -EOPNOTSUPP mean this kernel cannot read this way: read the socket another way.
    virtual void on_ring_end(int result) = 0;
  };
  using WatchId = std::uint32_t;

  /// Null, with the reason in `why`, when the kernel offers no io_uring (a container's seccomp
  /// profile often refuses it) or no provided-buffer rings (before 5.19). The thread that
  /// creates it is the only one that may use it.
  static std::unique_ptr<RingReader> create(std::string& why, unsigned buffers = 8192,
                                            unsigned buffer_bytes = 4096);
  ~RingReader();
  RingReader(const RingReader&) = delete;
  RingReader& operator=(const RingReader&) = delete;

  /// Starts reading `fd` into `receiver` until stop(); the socket stays the caller's to write
  /// and close (after stop()).
  WatchId watch(int fd, Receiver& receiver);
  /// Stops asking for more; bytes already taken from the socket still reach the receiver.
  void pause(WatchId id);
  void resume(WatchId id);
  /// Forgets the receiver at once: nothing reaches it after this returns.
  void stop(WatchId id);

  /// Handles the completions that are ready, up to `limit` (so timers and the publishers'
  /// writes get their turn under a flood; what is left makes fd() readable again), and sends
  /// the requests they call for. Returns how many completions there were.
  std::size_t drain(std::size_t limit = kDrainLimit);
  static constexpr std::size_t kDrainLimit = 16384;
  /// Blocks until a completion is ready or `timeout_ms` passes (for a thread of its own).
  void wait(int timeout_ms);
  /// Readable when completions are ready: for an event loop to poll.
  int fd() const;
  /// How the ring was set up, for the report.
  const char* kind() const { return setup_.name; }
  /// Multishot recvs re-armed because the buffers ran out (sized too small if it grows fast).
  std::uint64_t rearms() const { return rearms_; }
  /// Sockets whose reads the kernel refused (-EINVAL/-EOPNOTSUPP): read another way.
  std::uint64_t refusals() const { return refusals_; }

 private:
  struct Watch {
    Receiver* receiver = nullptr;  // null: stopped, waiting for the request's last completion
    int fd = -1;
    std::uint32_t generation = 0;
    bool armed = false;   // a recv request is in the kernel
    bool wanted = false;  // it should be
    bool cancelling = false;
  };

  struct Setup {
    unsigned flags;
    bool deferred;      // completions come only when asked for; an eventfd says when to ask
    bool taskrun_flag;  // the ring's flags say when pending work needs a system call
    const char* name;
  };
  static const Setup kSetups[];

  RingReader(std::unique_ptr<io_uring> ring, unsigned buffers, unsigned buffer_bytes,
             const Setup& setup);
  void arm(WatchId id);
  void cancel(WatchId id);
  void handle(std::uint64_t user_data, int result, unsigned flags);
  void give_back(unsigned buffer_id);
  void release(WatchId id);
  io_uring_sqe* next_sqe();

  std::unique_ptr<io_uring> ring_;
  Setup setup_;
  io_uring_buf_ring* buffer_ring_ = nullptr;
  char* memory_ = nullptr;  // the buffers, one mapping
  std::size_t memory_bytes_ = 0;
  std::size_t ring_bytes_ = 0;
  unsigned buffers_;
  unsigned buffer_bytes_;
  std::vector<Watch> watches_;
  std::vector<WatchId> free_;
  std::uint64_t rearms_ = 0;
  std::uint64_t refusals_ = 0;
  int event_fd_ = -1;  // with deferred task work: rung when arrivals wait to be copied
};

}  // namespace staffroom::load
