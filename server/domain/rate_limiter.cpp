#include "domain/rate_limiter.hpp"

#include <algorithm>
#include <cmath>

namespace staffroom::domain {

RateLimiter::RateLimiter(double rate_per_second, int burst)
    : rate_(rate_per_second), burst_(std::max(1, burst)) {}

Timestamp RateLimiter::take(std::int64_t key, Timestamp now) {
  if (rate_ <= 0) return 0;
  auto [it, fresh] = buckets_.try_emplace(key, Bucket{burst_, now});
  auto& b = it->second;
  if (!fresh && now > b.at) {
    b.tokens = std::min(burst_, b.tokens + static_cast<double>(now - b.at) * rate_ / 1000.0);
    b.at = now;
  }
  if (b.tokens >= 1.0) {
    b.tokens -= 1.0;
    return 0;
  }
  return static_cast<Timestamp>(std::ceil((1.0 - b.tokens) * 1000.0 / rate_));
}

}  // namespace staffroom::domain
