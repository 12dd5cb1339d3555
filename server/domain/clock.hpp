// The domain's source of time, an interface so tests can use a fake clock.
#pragma once

#include "domain/types.hpp"

namespace staffroom::domain {

/// Tells the current time; SystemClock in production, a fake in tests.
class Clock {
 public:
  virtual ~Clock() = default;
  virtual Timestamp now() const = 0;
};

/// The real UTC wall clock.
class SystemClock final : public Clock {
 public:
  Timestamp now() const override;
};

}  // namespace staffroom::domain
