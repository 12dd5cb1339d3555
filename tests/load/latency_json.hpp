// A latency histogram as the reports' JSON: count, percentiles and max in milliseconds.
#pragma once

#include <nlohmann/json.hpp>

#include "latency_histogram.hpp"

namespace staffroom::load {

/// {"count", "p50", "p90", "p99", "p999", "max", "mean"}; times in milliseconds.
nlohmann::json latency_ms(const LatencyHistogram& h);

}  // namespace staffroom::load
