#include "stall_windows.hpp"

#include "latency_json.hpp"

namespace staffroom::load {

StallWindows::StallWindows(int count, int first, int every, int subscribers)
    : count_(count), first_(first), every_(every), subscribers_(subscribers) {}

std::vector<int> StallWindows::starting_at(int step) const {
  std::vector<int> starting;
  for (int k = 0; k < count_; ++k) {
    if (first_ + k * every_ == step) starting.push_back(subscribers_ - 1 - k);
  }
  return starting;
}

void StallWindows::record(int step, const StepCounts& counts) {
  if (count_ <= 0) return;
  Pool* pool = !starting_at(step).empty() ? &stalled_ : step >= first_ - 1 ? &clean_ : nullptr;
  if (pool == nullptr) return;
  pool->steps.push_back(step);
  pool->broadcast.merge(counts.broadcast);
  pool->delivery.merge(counts.delivery);
}

nlohmann::json StallWindows::pool_json(const Pool& pool) {
  return {{"steps", pool.steps},
          {"broadcast_ms", latency_ms(pool.broadcast)},
          {"delivery_ms", latency_ms(pool.delivery)}};
}

nlohmann::json StallWindows::report() const {
  return {{"clean", pool_json(clean_)}, {"stalled", pool_json(stalled_)}};
}

}  // namespace staffroom::load
