#include "latency_histogram.hpp"

#include <algorithm>
#include <bit>

namespace staffroom::load {

namespace {
constexpr std::size_t kLinear = 1024;  // exact buckets for 0..1023 ns
constexpr unsigned kSubBits = 7;       // 128 sub-buckets per power of two
constexpr unsigned kMaxExponent = 50;  // ~13 days: nothing real lies beyond
constexpr std::size_t kBuckets = kLinear + (kMaxExponent - 9) * (std::size_t{1} << kSubBits);
}  // namespace

LatencyHistogram::LatencyHistogram() : buckets_(kBuckets, 0) {}

std::size_t LatencyHistogram::bucket_of(std::uint64_t value) {
  if (value < kLinear) return static_cast<std::size_t>(value);
  const unsigned exponent =
      std::min(static_cast<unsigned>(std::bit_width(value)) - 1, kMaxExponent);
  const std::uint64_t sub = (value >> (exponent - kSubBits)) & ((1u << kSubBits) - 1);
  return kLinear + (exponent - 10) * (std::size_t{1} << kSubBits) + static_cast<std::size_t>(sub);
}

std::uint64_t LatencyHistogram::value_of(std::size_t bucket) {
  if (bucket < kLinear) return bucket;
  const std::size_t offset = bucket - kLinear;
  const unsigned exponent = static_cast<unsigned>(offset >> kSubBits) + 10;
  const std::uint64_t sub = offset & ((std::size_t{1} << kSubBits) - 1);
  // The middle of the bucket: half a sub-bucket above its lower edge.
  const std::uint64_t low = (std::uint64_t{1} << exponent) | (sub << (exponent - kSubBits));
  return low + (std::uint64_t{1} << (exponent - kSubBits - 1));
}

void LatencyHistogram::record(std::int64_t nanos) {
  const auto value = static_cast<std::uint64_t>(std::max<std::int64_t>(nanos, 0));
  ++buckets_[bucket_of(value)];
  ++count_;
  max_ = std::max(max_, static_cast<std::int64_t>(value));
  sum_ += static_cast<long double>(value);
}

void LatencyHistogram::merge(const LatencyHistogram& other) {
  for (std::size_t i = 0; i < buckets_.size(); ++i) buckets_[i] += other.buckets_[i];
  count_ += other.count_;
  max_ = std::max(max_, other.max_);
  sum_ += other.sum_;
}

double LatencyHistogram::mean() const {
  return count_ == 0 ? 0.0 : static_cast<double>(sum_ / static_cast<long double>(count_));
}

std::int64_t LatencyHistogram::quantile(double q) const {
  if (count_ == 0) return 0;
  const auto rank = static_cast<std::uint64_t>(q * static_cast<double>(count_ - 1)) + 1;
  std::uint64_t seen = 0;
  for (std::size_t i = 0; i < buckets_.size(); ++i) {
    seen += buckets_[i];
    if (seen >= rank) return std::min(static_cast<std::int64_t>(value_of(i)), max_);
  }
  return max_;
}

}  // namespace staffroom::load
