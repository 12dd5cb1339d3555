// staffroom-load: opens N WebSocket connections to a Staffroom server (or, with --protocol
// plain, to any broadcast server), runs open-loop post steps and prints a JSON report.
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <exception>
#include <iostream>
#include <optional>

#include "account_registry.hpp"
#include "load_driver.hpp"
#include "load_options.hpp"
#include "ring_pump.hpp"

int main(int argc, char** argv) {
  using namespace staffroom::load;
  auto parsed = parse_load_options(argc, argv);
  if (!parsed.options) return parsed.exit_code;
  const auto options = *parsed.options;
  try {
    AccountRegistry accounts;
    const bool reused = !options.state_file.empty() &&
                        accounts.load(options.state_file, options.channels, options.accounts);
    if (options.protocol == "staffroom" && !reused) {
      accounts.register_all(options.port, options.channels, options.accounts, "bench-");
    }
    // The ring outlives the io_context: handlers that still hold clients stop their watches.
    std::string no_ring = "--reader asio";
    auto ring = options.reader == "auto" ? RingReader::create(no_ring) : nullptr;
    boost::asio::io_context ioc(1);
    std::optional<RingPump> pump;
    if (ring) pump.emplace(ioc, *ring).start();
    nlohmann::json report;
    LoadDriver driver(ioc, options, accounts, ring.get());
    bool finished = false;
    boost::asio::co_spawn(ioc, driver.run(report), [&](std::exception_ptr e) {
      finished = true;
      if (pump) pump->stop();
      ioc.stop();
      if (e) std::rethrow_exception(e);
    });
    // Bounded in time whatever the server does.
    boost::asio::steady_timer bound(
        ioc, std::chrono::milliseconds(static_cast<long>(options.max_seconds * 1e3)));
    bound.async_wait([&](const boost::system::error_code& ec) {
      if (!ec) ioc.stop();
    });
    ioc.run();
    if (!finished) {
      std::cerr << "staffroom-load: stopped at --max-seconds" << std::endl;
      return 3;
    }
    if (options.protocol == "staffroom" && !reused && !options.state_file.empty()) {
      accounts.save(options.state_file);
    }
    report["accounts_reused"] = reused;
    report["wake_us"] = options.wake_us;
    report["reader"] = ring ? std::string(ring->kind()) : "asio (" + no_ring + ")";
    if (ring) {
      report["reader_rearms"] = ring->rearms();
      report["reader_refusals"] = ring->refusals();  // connections that fell back to Asio
    }
    std::cout << report.dump() << std::endl;
    return report.value("ok", false) ? 0 : 1;
  } catch (const std::exception& e) {
    std::cerr << "staffroom-load: " << e.what() << std::endl;
    return 1;
  }
}
