// A log-linear latency histogram (under 1 % error) that merges and answers percentiles.
#pragma once

#include <cstdint>
#include <vector>

namespace staffroom::load {

/// Records nanosecond latencies in fixed buckets: exact below 1 µs, 128 per power of two above.
class LatencyHistogram {
 public:
  LatencyHistogram();

  void record(std::int64_t nanos);
  void merge(const LatencyHistogram& other);

  std::uint64_t count() const { return count_; }
  std::int64_t max() const { return max_; }
  double mean() const;
  /// The value at quantile q (0..1), in nanoseconds; 0 when empty.
  std::int64_t quantile(double q) const;

 private:
  static std::size_t bucket_of(std::uint64_t value);
  static std::uint64_t value_of(std::size_t bucket);

  std::vector<std::uint64_t> buckets_;
  std::uint64_t count_ = 0;
  std::int64_t max_ = 0;
  long double sum_ = 0;
};

}  // namespace staffroom::load
