#include "app/histogram.hpp"

#include <cmath>
#include <cstdio>

namespace staffroom::app {

std::string metric_number(double value) {
  char text[32];
  // Whole numbers (counts, sums of counts) exactly; fractions (seconds) to nine significant
  // digits, which keeps bounds like 0.005 as written.
  const bool whole = std::fabs(value) < 1e15 && value == std::floor(value);
  const int n = std::snprintf(text, sizeof text, whole ? "%.0f" : "%.9g", value);
  return std::string(text, n > 0 ? static_cast<std::size_t>(n) : 0);
}

}  // namespace staffroom::app
