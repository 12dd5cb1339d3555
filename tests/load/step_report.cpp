#include "step_report.hpp"

#include "latency_json.hpp"

#include <algorithm>

namespace staffroom::load {

using json = nlohmann::json;

namespace {
double per_second(std::uint64_t n, std::int64_t nanos) {
  return nanos <= 0 ? 0.0 : static_cast<double>(n) * 1e9 / static_cast<double>(nanos);
}
}  // namespace

json StepReport::latency(const LatencyHistogram& h) { return latency_ms(h); }

json StepReport::idle(const ProcStats& before, const ProcStats& after, int connections) {
  const double n = connections;
  return {{"rss_before_kib", before.rss_kib},
          {"rss_after_kib", after.rss_kib},
          {"rss_per_connection_kib", static_cast<double>(after.rss_kib - before.rss_kib) / n},
          {"rss_anon_per_connection_kib",
           static_cast<double>(after.rss_anon_kib - before.rss_anon_kib) / n}};
}

json StepReport::generator(const ProcStats& before, const ProcStats& after, double seconds,
                           std::int64_t waits, const LatencyHistogram& send_lag) {
  json j = {{"seconds", seconds}, {"timer_waits", waits}, {"send_lag_ms", latency(send_lag)}};
  if (before.valid && after.valid) j["cpu_s"] = after.cpu_seconds() - before.cpu_seconds();
  return j;
}

json StepReport::make(const Step& step, const StepCounts& c, std::int64_t start_ns,
                      const ProcStats& before, const ProcStats& after) {
  // Rates over the time from the step's start to its last delivery (or ack): a server that
  // falls behind is charged for the time it takes to catch up.
  const auto delivery_span = std::max<std::int64_t>(c.last_delivery_ns - start_ns,
                                                    static_cast<std::int64_t>(step.seconds * 1e9));
  const auto ack_span = std::max<std::int64_t>(c.last_ack_ns - start_ns,
                                               static_cast<std::int64_t>(step.seconds * 1e9));
  json j = {{"rate", step.rate},
            {"seconds", step.seconds},
            {"posts", c.posts},
            {"expected", c.expected},
            {"deliveries", c.deliveries},
            {"lost", c.lost},
            {"duplicates", c.duplicates},
            {"late", c.late},
            {"acks", c.acks},
            {"errors", c.errors},
            {"delivered_per_s", per_second(c.deliveries, delivery_span)},
            {"acked_per_s", per_second(c.acks, ack_span)},
            {"delivery_ms", latency(c.delivery)},
            {"broadcast_ms", latency(c.broadcast)},
            {"ack_ms", latency(c.ack)}};
  if (before.valid && after.valid) {
    const double cpu = after.cpu_seconds() - before.cpu_seconds();
    j["server"] = {
        {"cpu_s", cpu},
        {"user_s", after.user_seconds - before.user_seconds},
        {"sys_s", after.system_seconds - before.system_seconds},
        {"rss_kib", after.rss_kib},
        {"rss_anon_kib", after.rss_anon_kib},
        {"deliveries_per_cpu_s", cpu > 0 ? static_cast<double>(c.deliveries) / cpu : 0.0},
        {"acks_per_cpu_s", cpu > 0 ? static_cast<double>(c.acks) / cpu : 0.0}};
    if (before.write_bytes >= 0 && after.write_bytes >= 0) {
      const auto written = after.write_bytes - before.write_bytes;
      j["server"]["write_bytes"] = written;
      if (c.acks > 0) {
        j["server"]["write_bytes_per_ack"] =
            static_cast<double>(written) / static_cast<double>(c.acks);
      }
    }
  }
  return j;
}

}  // namespace staffroom::load
