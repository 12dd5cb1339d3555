#include "load_options.hpp"

#include <CLI/CLI.hpp>
#include <iostream>
#include <sstream>

namespace staffroom::load {

namespace {

// "20:10,200:5" -> {{20,10},{200,5}}
std::optional<std::vector<Step>> parse_steps(const std::string& text) {
  std::vector<Step> steps;
  std::stringstream in(text);
  std::string item;
  while (std::getline(in, item, ',')) {
    const auto colon = item.find(':');
    if (colon == std::string::npos) return std::nullopt;
    try {
      Step s{std::stod(item.substr(0, colon)), std::stod(item.substr(colon + 1))};
      if (s.rate < 0 || s.seconds <= 0) return std::nullopt;
      steps.push_back(s);
    } catch (const std::exception&) {
      return std::nullopt;
    }
  }
  return steps;
}

}  // namespace

ParsedLoadOptions parse_load_options(int argc, char** argv) {
  LoadOptions o;
  std::string steps;
  CLI::App app{"staffroom-load: open-loop WebSocket load generator (loopback only)"};
  app.add_option("--protocol", o.protocol, "staffroom or plain")
      ->check(CLI::IsMember({"staffroom", "plain"}));
  app.add_option("--host", o.host, "server address (loopback only)")
      ->check(CLI::IsMember({"127.0.0.1", "localhost"}));
  app.add_option("--port", o.port, "server port")->required();
  app.add_option("--channels", o.channels, "channels")->check(CLI::Range(1, 10000));
  app.add_option("--subscribers", o.subscribers, "connections per channel (publishers included)")
      ->check(CLI::Range(1, 100000));
  app.add_option("--publishers", o.publishers, "publishing connections per channel")
      ->check(CLI::Range(0, 100000));
  app.add_option("--accounts", o.accounts, "accounts per channel")->check(CLI::Range(1, 1000));
  app.add_option("--body-bytes", o.body_bytes, "post body size")->check(CLI::Range(40, 16000));
  app.add_option("--steps", steps, "RATE:SECONDS,... total posts/s per step");
  app.add_option("--idle-seconds", o.idle_seconds, "with no steps: hold time");
  app.add_option("--closed-loop", o.closed_loop, "posts in flight per publisher (no rate)")
      ->check(CLI::Range(0, 1000));
  app.add_option("--drain-seconds", o.drain_seconds, "wait for missing deliveries");
  app.add_option("--stop-p99-ms", o.stop_p99_ms, "stop the sweep past this last-recipient p99");
  app.add_option("--stall", o.stall, "subscribers of channel 0 that stop reading");
  app.add_option("--stall-step", o.stall_step, "step from which they stall");
  app.add_option("--stall-every", o.stall_every, "one at a time, the next this many steps later")
      ->check(CLI::Range(0, 1000));
  app.add_option("--stall-rcvbuf", o.stall_rcvbuf, "their SO_RCVBUF bytes");
  app.add_option("--stall-wait", o.stall_wait, "seconds to wait for their close at the end");
  app.add_option("--connect-parallel", o.connect_parallel, "handshakes in flight")
      ->check(CLI::Range(1, 10000));
  app.add_option("--per-source-ip", o.per_source_ip, "connections per 127.0.0.x source")
      ->check(CLI::Range(1, 28000));
  app.add_option("--connect-timeout", o.connect_timeout, "seconds to connect and join all");
  app.add_option("--max-seconds", o.max_seconds, "hard bound on the run");
  app.add_option("--wake-us", o.wake_us,
                 "open loop: least microseconds between the sender's wake-ups")
      ->check(CLI::Range(0.0, 100000.0));
  app.add_option("--server-pid", o.server_pid, "server process for CPU time and RSS");
  app.add_option("--state", o.state_file, "accounts/channels file (reused when present)");
  app.add_flag("--setup-only", o.setup_only, "register, create, join, save state, exit");
  app.add_option("--reader", o.reader, "auto (io_uring where allowed) or asio")
      ->check(CLI::IsMember({"auto", "asio"}));
  app.add_option("--run-tag", o.run_tag, "client_id prefix, unique per run");
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    return {std::nullopt, code == 0 ? 0 : 2};
  }
  if (!steps.empty()) {
    auto parsed = parse_steps(steps);
    if (!parsed) {
      std::cerr << "staffroom-load: --steps wants RATE:SECONDS,..." << std::endl;
      return {std::nullopt, 2};
    }
    o.steps = std::move(*parsed);
  }
  if (o.protocol == "plain" && o.channels != 1) {
    std::cerr << "staffroom-load: the plain protocol has one channel" << std::endl;
    return {std::nullopt, 2};
  }
  if (o.publishers > o.subscribers || o.accounts > o.subscribers) {
    std::cerr << "staffroom-load: publishers and accounts must not exceed subscribers" << std::endl;
    return {std::nullopt, 2};
  }
  if (o.stall > 0 && o.stall + o.publishers > o.subscribers) {
    std::cerr << "staffroom-load: --stall needs that many non-publishing subscribers" << std::endl;
    return {std::nullopt, 2};
  }
  if (o.stall > 0 && !o.steps.empty() &&
      o.stall_step + (o.stall - 1) * o.stall_every >= static_cast<int>(o.steps.size())) {
    std::cerr << "staffroom-load: the last stall would begin after the last step" << std::endl;
    return {std::nullopt, 2};
  }
  return {std::move(o), 0};
}

}  // namespace staffroom::load
