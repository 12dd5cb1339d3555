// The machine's floor for fan-out: one thread writes a bare message to every socket, nothing else.
#pragma once

#include <atomic>
#include <cstdint>
#include <string>
#include <vector>

#include "latency_histogram.hpp"
#include "ring_reader.hpp"

namespace staffroom::load {

struct FloorOptions {
  int subscribers = 1000;
  /// Subscribers split into this many equal groups (channels); broadcast k goes to group k %
  /// groups.
  int groups = 1;
  double rate = 20;  // broadcasts per second, open loop
  double seconds = 5;
  int body_bytes = 200;
  int sender_cpu = -1;  // -1: not pinned
  int receiver_cpu = -1;
  double grace_seconds = 5;     // after the schedule's end, how long either side goes on
  std::string reader = "auto";  // "auto": io_uring where allowed, like staffroom-load; "epoll"
};

struct FloorResult {
  std::int64_t broadcasts = 0;
  std::int64_t writes = 0;    // messages written whole
  std::int64_t expected = 0;  // deliveries the schedule asked for
  std::int64_t received = 0;
  double sender_cpu_seconds = 0;
  double send_seconds = 0;
  LatencyHistogram broadcast;  // scheduled send time → last subscriber has it
  LatencyHistogram delivery;   // scheduled send time → each subscriber has it
};

/// What no WebSocket server can beat on this machine: S2/S3's deliveries as plain write()s of
/// the same size over loopback TCP, from one thread (pinned like the server) to one epoll
/// reader (pinned like the load generator, and reading the same way), open loop, latency from
/// the scheduled time. No framing, JSON, storage or queues: the kernel's cost per delivery and
/// nothing more.
class FloorProbe {
 public:
  /// Throws std::invalid_argument unless 1 <= groups <= subscribers, rate > 0 and the body
  /// holds the 16-byte header.
  explicit FloorProbe(FloorOptions options);
  ~FloorProbe();
  FloorProbe(const FloorProbe&) = delete;
  FloorProbe& operator=(const FloorProbe&) = delete;

  /// Connects the socket pairs and runs the schedule; both sides stop at the schedule's end
  /// plus the grace, whatever the machine keeps up with (what is not through by then counts as
  /// lost). Throws std::runtime_error on set-up failures (file descriptors, ports).
  FloorResult run();
  /// How the subscribers were read (after run()).
  const std::string& reader() const { return reader_kind_; }

 private:
  void connect_pairs();
  void send_all(FloorResult& result, std::int64_t start_ns, std::int64_t deadline_ns);
  /// Writes one message whole (waiting for room, as a full socket makes a server wait);
  /// false past the deadline or on an error.
  bool write_whole(int fd, const char* data, std::size_t size, std::int64_t deadline_ns);
  void receive_all(FloorResult& result, std::int64_t deadline_ns);

  struct Reception {  // what every subscriber adds to
    FloorResult& result;
    std::size_t size;       // bytes per message
    int per_group;          // subscribers per broadcast
    std::vector<int> have;  // per broadcast: subscribers that have it
  };
  class Subscriber;

  FloorOptions options_;
  std::size_t per_group_;
  std::vector<int> senders_;            // the "server" ends
  std::vector<int> receivers_;          // the "subscriber" ends
  std::atomic<bool> abandoned_{false};  // one side failed: the other stops too
  std::string reader_kind_;
};

}  // namespace staffroom::load
