// Token buckets per key (a user): `rate` per second, up to `burst` at once.
#pragma once

#include <cstdint>
#include <unordered_map>

#include "domain/types.hpp"

namespace staffroom::domain {

/// Refuses work past a sustained rate while allowing short bursts (Synapse's rc_message).
/// Not thread-safe: it lives on the home lane.
class RateLimiter {
 public:
  /// rate <= 0 means unlimited.
  RateLimiter(double rate_per_second, int burst);

  /// Takes a token and returns 0, or returns the milliseconds until one is available.
  Timestamp take(std::int64_t key, Timestamp now);

 private:
  struct Bucket {
    double tokens = 0;
    Timestamp at = 0;
  };
  double rate_;
  double burst_;
  std::unordered_map<std::int64_t, Bucket> buckets_;
};

}  // namespace staffroom::domain
