// staffroom: flags and config, logging, wiring, signals. Nothing else.
#include <sched.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <utility>
#include <vector>

#include "app/core.hpp"
#include "app/credentials.hpp"
#include "app/dispatcher.hpp"
#include "app/http_api.hpp"
#include "app/known_handles.hpp"
#include "app/markdown_renderer.hpp"
#include "app/metrics.hpp"
#include "app/options.hpp"
#include "domain/clock.hpp"
#include "net/hub.hpp"
#include "net/io_pool.hpp"
#include "net/listener.hpp"
#include "net/net_context.hpp"
#include "net/send_batch.hpp"
#include "net/static_files.hpp"
#include "net/strand_lane.hpp"
#include "storage/backup.hpp"
#include "storage/read_pool.hpp"
#include "storage/search_index_file.hpp"
#include "storage/search_indexer.hpp"
#include "storage/search_progress.hpp"
#include "storage/sqlite_reader.hpp"
#include "storage/sqlite_writer.hpp"

namespace {

namespace asio = boost::asio;
namespace fs = std::filesystem;
using namespace staffroom;

// The CPUs this process may use (taskset-aware, unlike hardware_concurrency).
unsigned usable_cpus() {
  cpu_set_t set;
  CPU_ZERO(&set);
  if (sched_getaffinity(0, sizeof set, &set) == 0) {
    const int n = CPU_COUNT(&set);
    if (n > 0) return static_cast<unsigned>(n);
  }
  return 1;
}

std::string default_static_dir(const char* argv0) {
  std::error_code ec;
  const auto exe = fs::canonical("/proc/self/exe", ec);
  if (!ec && fs::is_directory(exe.parent_path() / "client-web")) {
    return (exe.parent_path() / "client-web").string();
  }
  (void)argv0;
  return STAFFROOM_SOURCE_DIR "/client-web";
}

std::string url_host(const std::string& listen) {
  return listen.find(':') != std::string::npos ? "[" + listen + "]" : listen;
}

// Stops the io_context once every WebSocket has closed, or at the deadline (their own 1 s
// close deadline drops stalled peers, so this rarely waits that long).
void wait_for_sessions(asio::steady_timer& timer, const net::Hub& hub, net::IoPool& pool,
                       std::chrono::steady_clock::time_point deadline) {
  if (hub.size() == 0 || std::chrono::steady_clock::now() >= deadline) return pool.stop();
  timer.expires_after(std::chrono::milliseconds(20));
  timer.async_wait([&timer, &hub, &pool, deadline](const boost::system::error_code& ec) {
    if (!ec) wait_for_sessions(timer, hub, pool, deadline);
  });
}

void log_write_path(bool io_uring, app::Metrics& metrics) {
  if (!io_uring) return spdlog::info("socket writes: one system call each (--io-uring off)");
  const auto why = net::SendBatch::probe();
  if (!why.empty()) {
    return spdlog::warn("io_uring is not available ({}): one system call per socket write", why);
  }
  metrics.io_uring.store(1);
  spdlog::info("socket writes: batched through io_uring");
}

int serve(const app::Options& options) {
  const auto db_path = (fs::path(options.data_dir) / "staffroom.db").string();
  app::Metrics metrics;
  net::IoPool pool(usable_cpus());
  auto& ioc = pool.context(0);
  net::Hub hub(metrics, pool, options.io_uring);
  log_write_path(options.io_uring, metrics);
  net::StrandLane home(ioc);
  domain::SystemClock clock;

  // The search index follows commits on a thread of its own (SearchIndexer).
  storage::SearchProgress search_progress;
  storage::WriterOptions writer_options{
      db_path, options.synchronous_full,
      [&metrics, &search_progress](std::size_t batch, std::chrono::nanoseconds took) {
        metrics.observe_commit(batch, std::chrono::duration<double>(took).count());
        search_progress.wake();
      }};
  writer_options.on_checkpoint = [&metrics](std::chrono::nanoseconds took) {
    metrics.observe_checkpoint(std::chrono::duration<double>(took).count());
  };
  writer_options.on_upkeep_failed = [&metrics](const std::string& what) {
    metrics.upkeep_failures.fetch_add(1, std::memory_order_relaxed);
    spdlog::warn("storage upkeep failed and was undone; changes still commit: {}", what);
  };
  storage::SqliteWriter writer(std::move(writer_options));
  storage::SearchIndexer::Hooks search_hooks;
  search_hooks.on_failure = [&metrics](const std::string& what) {
    metrics.search_index_failures.fetch_add(1, std::memory_order_relaxed);
    spdlog::warn("{}; retrying in a second", what);
  };
  search_hooks.on_built = [](std::size_t posts, std::chrono::nanoseconds took) {
    spdlog::info("search index built: {} posts in {:.1f} s", posts,
                 std::chrono::duration<double>(took).count());
  };
  storage::SearchIndexer indexer(db_path, search_progress, std::move(search_hooks));
  if (indexer.started_fresh()) {
    spdlog::info(
        "search index {}: building it from the posts; older posts become findable "
        "as it catches up",
        storage::search_index_path(db_path));
  }
  indexer.start();
  storage::SqliteReaderFactory readers(db_path, &search_progress);
  const auto snapshot = readers.open_reader()->load();
  storage::ReadPool reads(readers, 2);
  storage::ReadPool ordered_reads(readers, 1);  // keeps edits/deletes/reactions in arrival order

  app::Core core(snapshot, writer, reads, ordered_reads, home, clock, hub, metrics,
                 options.registration, domain::RateLimiter(options.post_rate, options.post_burst));
  app::MarkdownRenderer renderer;
  app::PasswordHasher hasher(2);
  std::vector<std::string> handles;
  for (const auto& u : snapshot.users) handles.push_back(u.user.handle);
  app::KnownHandles known_handles(handles);
  app::Dispatcher dispatcher(core, renderer, known_handles, metrics);
  app::HttpApi api(core, hasher, known_handles, metrics,
                   options.public_url.rfind("https://", 0) == 0);
  net::StaticFiles files(options.static_dir);
  net::NetContext context{api,
                          dispatcher,
                          metrics,
                          hub,
                          files,
                          {},
                          options.send_queue_messages,
                          options.send_queue_kib * 1024,
                          std::chrono::seconds(options.idle_timeout_seconds),
                          STAFFROOM_VERSION};

  auto listener = std::make_shared<net::Listener>(
      pool,
      asio::ip::tcp::endpoint(asio::ip::make_address(options.listen),
                              static_cast<unsigned short>(options.port)),
      context);
  context.allowed_origins = app::effective_origins(options, listener->port());
  listener->run();
  // SIGINT/SIGTERM: stop accepting, close sockets with 1001, give them 1 s, then stop.
  asio::signal_set signals(ioc, SIGINT, SIGTERM);
  asio::steady_timer grace(ioc);
  signals.async_wait([&](const boost::system::error_code& ec, int signal) {
    if (ec) return;
    spdlog::info("signal {}: shutting down", signal);
    listener->stop();
    hub.close_all();
    wait_for_sessions(grace, hub, pool,
                      std::chrono::steady_clock::now() + std::chrono::milliseconds(1200));
  });

  spdlog::info("data in {}, web client from {}, {} users, {} channels", db_path, files.root(),
               snapshot.users.size(), snapshot.channels.size());
  std::cout << "staffroom listening on http://" << url_host(options.listen) << ':'
            << listener->port() << std::endl;

  pool.run();

  // Everything appended is committed before exit; no callback may run into a dead core.
  hasher.stop();
  writer.stop();
  indexer.stop();
  reads.stop();
  ordered_reads.stop();
  spdlog::info("stopped cleanly");
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  auto parsed = app::parse_options(argc, argv);
  if (!parsed.options) {
    (parsed.exit_code == 0 ? std::cout : std::cerr) << parsed.message << std::endl;
    return parsed.exit_code;
  }
  auto options = std::move(*parsed.options);
  spdlog::set_level(spdlog::level::from_str(options.log_level));  // validated by parse_options
  spdlog::set_default_logger(spdlog::stderr_color_mt("staffroom"));
  spdlog::set_level(spdlog::level::from_str(options.log_level));
  if (options.static_dir.empty()) options.static_dir = default_static_dir(argv[0]);

  std::error_code ec;
  fs::create_directories(options.data_dir, ec);
  if (ec || !fs::is_directory(options.data_dir)) {
    std::cerr << "staffroom: --data-dir " << options.data_dir << ": cannot create it ("
              << ec.message() << ")" << std::endl;
    return 2;
  }
  try {
    if (options.backup_path) {
      storage::backup_database((fs::path(options.data_dir) / "staffroom.db").string(),
                               *options.backup_path);
      std::cout << "backup written to " << *options.backup_path << std::endl;
      return 0;
    }
    return serve(options);
  } catch (const std::exception& e) {
    std::cerr << "staffroom: " << e.what() << std::endl;
    return 1;
  }
}
