#include "latency_json.hpp"

namespace staffroom::load {

nlohmann::json latency_ms(const LatencyHistogram& h) {
  const auto ms = [](std::int64_t nanos) { return static_cast<double>(nanos) / 1e6; };
  return {
      {"count", h.count()},          {"p50", ms(h.quantile(0.50))},   {"p90", ms(h.quantile(0.90))},
      {"p99", ms(h.quantile(0.99))}, {"p999", ms(h.quantile(0.999))}, {"max", ms(h.max())},
      {"mean", h.mean() / 1e6}};
}

}  // namespace staffroom::load
