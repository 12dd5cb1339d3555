#include "domain/clock.hpp"

#include <chrono>

namespace staffroom::domain {

Timestamp SystemClock::now() const {
  using namespace std::chrono;
  return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

}  // namespace staffroom::domain
