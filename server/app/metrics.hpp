// Process-wide counters rendered in Prometheus text format for GET /metrics.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <string>

#include "app/histogram.hpp"

namespace staffroom::app {

/// Lock-free counters; any thread may bump them.
class Metrics {
 public:
  std::atomic<std::int64_t> connections{0};
  std::atomic<std::int64_t> io_uring{0};  // 1 when socket writes are batched through io_uring
  std::atomic<std::uint64_t> connections_total{0};
  std::atomic<std::uint64_t> http_requests{0};
  std::atomic<std::uint64_t> ws_requests{0};
  std::atomic<std::uint64_t> posts{0};
  std::atomic<std::uint64_t> events{0};
  std::atomic<std::uint64_t> deliveries{0};
  std::atomic<std::uint64_t> ring_batches{0};
  std::atomic<std::uint64_t> ring_writes{0};
  std::atomic<std::uint64_t> commits{0};
  std::atomic<std::uint64_t> checkpoints{0};
  std::atomic<std::uint64_t> upkeep_failures{0};
  std::atomic<std::uint64_t> search_index_failures{0};
  std::atomic<std::uint64_t> queue_drops{0};
  std::atomic<std::uint64_t> rate_limited{0};

  /// A committed (or failed) batch: its size, and how long its transaction took from BEGIN to
  /// durable COMMIT (the fsync included).
  void observe_commit(std::size_t size, double seconds);
  /// A completed WAL checkpoint and how long it took (its copy and the database file's fsync).
  void observe_checkpoint(double seconds);
  std::string render() const;

 private:
  Histogram<10> batch_sizes_{{1, 2, 4, 8, 16, 32, 64, 128, 256, 512}};
  // From well under one fsync to far past any ack target: an operator reads stalls off these.
  Histogram<11> commit_seconds_{
      {0.0005, 0.001, 0.002, 0.004, 0.008, 0.016, 0.032, 0.064, 0.128, 0.256, 1}};
  Histogram<9> checkpoint_seconds_{{0.001, 0.004, 0.016, 0.032, 0.064, 0.128, 0.256, 1, 4}};
};

}  // namespace staffroom::app
