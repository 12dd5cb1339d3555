// staffroom-floor: the fan-out floor of this machine (see FloorProbe); prints one JSON line.
#include <sys/resource.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <exception>
#include <iostream>
#include <nlohmann/json.hpp>

#include "floor_probe.hpp"
#include "latency_json.hpp"

namespace {

// 9,000 subscribers are 18,000 descriptors (both ends live here): allow what the hard limit does.
void raise_file_limit() {
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur < limit.rlim_max) {
    limit.rlim_cur = limit.rlim_max;
    setrlimit(RLIMIT_NOFILE, &limit);
  }
}

}  // namespace

int main(int argc, char** argv) {
  staffroom::load::FloorOptions o;
  CLI::App app{"staffroom-floor: bare loopback writes to N sockets, open loop (no server)"};
  app.add_option("--subscribers", o.subscribers, "sockets written per broadcast")
      ->check(CLI::Range(1, 20000));
  app.add_option("--groups", o.groups, "equal groups (channels); broadcast k goes to group k % G")
      ->check(CLI::Range(1, 20000));
  app.add_option("--rate", o.rate, "broadcasts per second")->check(CLI::Range(0.1, 100000.0));
  app.add_option("--seconds", o.seconds, "how long to send")->check(CLI::Range(0.1, 600.0));
  app.add_option("--body-bytes", o.body_bytes, "bytes per message")->check(CLI::Range(16, 65536));
  app.add_option("--sender-cpu", o.sender_cpu, "pin the writing thread (-1: no)");
  app.add_option("--receiver-cpu", o.receiver_cpu, "pin the reading thread (-1: no)");
  app.add_option("--grace", o.grace_seconds, "wait this long for stragglers")
      ->check(CLI::Range(0.0, 60.0));
  app.add_option("--reader", o.reader, "auto (io_uring where allowed) or epoll")
      ->check(CLI::IsMember({"auto", "epoll"}));
  CLI11_PARSE(app, argc, argv);
  raise_file_limit();
  try {
    staffroom::load::FloorProbe probe(o);
    const auto r = probe.run();
    const std::int64_t expected = r.expected;
    nlohmann::json report = {
        {"ok", r.received == expected},
        {"subscribers", o.subscribers},
        {"groups", o.groups},
        {"rate", o.rate},
        {"seconds", o.seconds},
        {"body_bytes", o.body_bytes},
        {"reader", probe.reader()},
        {"broadcasts", r.broadcasts},
        {"writes", r.writes},
        {"received", r.received},
        {"lost", expected - r.received},
        {"send_seconds", r.send_seconds},
        {"writes_per_s", static_cast<double>(r.writes) / std::max(r.send_seconds, 1e-9)},
        {"sender_cpu_s", r.sender_cpu_seconds},
        {"sender_cpu_us_per_write",
         1e6 * r.sender_cpu_seconds / static_cast<double>(std::max<std::int64_t>(r.writes, 1))},
        {"broadcast_ms", staffroom::load::latency_ms(r.broadcast)},
        {"delivery_ms", staffroom::load::latency_ms(r.delivery)}};
    std::cout << report.dump() << std::endl;
    return report["ok"].get<bool>() ? 0 : 1;
  } catch (const std::exception& e) {
    std::cerr << "staffroom-floor: " << e.what() << std::endl;
    return 1;
  }
}
