// A Prometheus histogram with fixed bucket bounds that any thread may add to without a lock.
#pragma once

#include <array>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <string>

namespace staffroom::app {

/// Cumulative on render (Prometheus `le` buckets); each bucket is counted once per observation
/// (the first bound it fits under), so observing touches two or three atomics, not every bucket.
template <std::size_t N>
class Histogram {
 public:
  /// `bounds`: ascending upper bounds, in the unit the series is rendered in.
  explicit constexpr Histogram(std::array<double, N> bounds) : bounds_(bounds) {}

  void observe(double value) {
    std::size_t i = 0;
    while (i < N && value > bounds_[i]) ++i;
    counts_[i].fetch_add(1, std::memory_order_relaxed);
    // Summed in millionths, so the sum stays exact in an integer atomic.
    sum_millionths_.fetch_add(static_cast<std::uint64_t>(value * 1e6 + 0.5),
                              std::memory_order_relaxed);
  }

  /// Appends the HELP, TYPE, bucket, _sum and _count lines of `name`.
  void render(std::string& out, const char* name, const char* help) const;

 private:
  std::array<double, N> bounds_;
  std::array<std::atomic<std::uint64_t>, N + 1> counts_{};  // the last one: above every bound
  std::atomic<std::uint64_t> sum_millionths_{0};
};

/// A bound or a sum as Prometheus reads it: the shortest text that keeps its value ("0.005",
/// "64").
std::string metric_number(double value);

template <std::size_t N>
void Histogram<N>::render(std::string& out, const char* name, const char* help) const {
  out += std::string("# HELP ") + name + ' ' + help + "\n# TYPE " + name + " histogram\n";
  std::uint64_t below = 0;
  for (std::size_t i = 0; i <= N; ++i) {
    below += counts_[i].load(std::memory_order_relaxed);
    const std::string le = i < N ? metric_number(bounds_[i]) : "+Inf";
    out += std::string(name) + "_bucket{le=\"" + le + "\"} " + std::to_string(below) + '\n';
  }
  const double sum = static_cast<double>(sum_millionths_.load(std::memory_order_relaxed)) / 1e6;
  out += std::string(name) + "_sum " + metric_number(sum) + '\n';
  out += std::string(name) + "_count " + std::to_string(below) + '\n';
}

}  // namespace staffroom::app
