// Token buckets and the failed-login throttle, driven by explicit timestamps.
#include <catch2/catch.hpp>

#include "domain/login_throttle.hpp"
#include "domain/rate_limiter.hpp"

using namespace staffroom::domain;

TEST_CASE("a token bucket allows the burst, then the rate", "[domain]") {
  RateLimiter limiter(2.0, 4);  // 2/s, burst 4
  Timestamp t = 1000;
  for (int i = 0; i < 4; ++i) CHECK(limiter.take(7, t) == 0);
  const auto wait = limiter.take(7, t);
  CHECK(wait == 500);
  CHECK(limiter.take(8, t) == 0);  // another user has a bucket of their own
  CHECK(limiter.take(7, t + 500) == 0);
  CHECK(limiter.take(7, t + 500) > 0);
  CHECK(limiter.take(7, t + 100000) == 0);  // refills, but never past the burst
  for (int i = 0; i < 3; ++i) CHECK(limiter.take(7, t + 100000) == 0);
  CHECK(limiter.take(7, t + 100000) > 0);
}

TEST_CASE("rate 0 is unlimited", "[domain]") {
  RateLimiter limiter(0, 1);
  for (int i = 0; i < 1000; ++i) REQUIRE(limiter.take(1, 0) == 0);
}

TEST_CASE("five failed logins per handle or address within 15 minutes lock further attempts",
          "[domain]") {
  LoginThrottle throttle;
  const Timestamp t0 = 1'000'000;
  for (int i = 0; i < 5; ++i) {
    CHECK(throttle.wait("ana", "10.0.0.1", t0 + i) == 0);
    throttle.failed("ana", "10.0.0.1", t0 + i);
  }
  CHECK(throttle.wait("ana", "10.0.0.2", t0 + 10) > 0);  // per handle
  CHECK(throttle.wait("ben", "10.0.0.1", t0 + 10) > 0);  // per address
  CHECK(throttle.wait("ben", "10.0.0.2", t0 + 10) == 0);
  const auto wait = throttle.wait("ana", "10.0.0.9", t0 + 60'000);
  CHECK(wait == 15 * 60 * 1000 - 60'000);
  CHECK(throttle.wait("ana", "10.0.0.9", t0 + 15 * 60 * 1000) == 0);
}

TEST_CASE("a correct password clears the handle's failures", "[domain]") {
  LoginThrottle throttle;
  for (int i = 0; i < 4; ++i) throttle.failed("ana", "a1", i);
  throttle.succeeded("ana");
  throttle.failed("ana", "a2", 10);
  CHECK(throttle.wait("ana", "a3", 11) == 0);
}
