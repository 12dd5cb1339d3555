// Process-wide counters rendered in Prometheus text format for GET /metrics.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <string>

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
  std::atomic<std::uint64_t> queue_drops{0};
  std::atomic<std::uint64_t> rate_limited{0};

  void observe_commit_batch(std::size_t size);
  std::string render() const;

 private:
  static constexpr std::array<std::size_t, 10> kBuckets{1, 2, 4, 8, 16, 32, 64, 128, 256, 512};
  std::array<std::atomic<std::uint64_t>, kBuckets.size()> batch_buckets_{};
  std::atomic<std::uint64_t> batch_count_{0};
  std::atomic<std::uint64_t> batch_sum_{0};
};

}  // namespace staffroom::app
