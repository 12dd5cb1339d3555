#include "app/metrics.hpp"

namespace staffroom::app {
namespace {

void series(std::string& out, const char* name, const char* type, const char* help,
            std::uint64_t value) {
  out += "# HELP ";
  out += name;
  out += ' ';
  out += help;
  out += "\n# TYPE ";
  out += name;
  out += ' ';
  out += type;
  out += '\n';
  out += name;
  out += ' ';
  out += std::to_string(value);
  out += '\n';
}

}  // namespace

void Metrics::observe_commit(std::size_t size, double seconds) {
  commits.fetch_add(1, std::memory_order_relaxed);
  batch_sizes_.observe(static_cast<double>(size));
  commit_seconds_.observe(seconds);
}

void Metrics::observe_checkpoint(double seconds) {
  checkpoints.fetch_add(1, std::memory_order_relaxed);
  checkpoint_seconds_.observe(seconds);
}

std::string Metrics::render() const {
  std::string out;
  auto get = [](const auto& a) {
    return static_cast<std::uint64_t>(a.load(std::memory_order_relaxed));
  };
  series(out, "staffroom_connections", "gauge", "Open WebSocket connections.", get(connections));
  series(out, "staffroom_connections_total", "counter", "WebSocket connections accepted.",
         get(connections_total));
  series(out, "staffroom_http_requests_total", "counter", "HTTP requests served.",
         get(http_requests));
  series(out, "staffroom_ws_requests_total", "counter", "WebSocket request frames handled.",
         get(ws_requests));
  series(out, "staffroom_posts_total", "counter", "Posts committed.", get(posts));
  series(out, "staffroom_events_total", "counter", "Events fanned out.", get(events));
  series(out, "staffroom_deliveries_total", "counter", "Event copies queued to connections.",
         get(deliveries));
  series(out, "staffroom_io_uring", "gauge",
         "1 when several connections' writes go to the kernel in one system call (io_uring).",
         get(io_uring));
  series(out, "staffroom_ring_batches_total", "counter",
         "io_uring submissions of a turn's connection writes (one system call each).",
         get(ring_batches));
  series(out, "staffroom_ring_writes_total", "counter",
         "Connection writes made through those submissions.", get(ring_writes));
  series(out, "staffroom_commits_total", "counter", "Storage transactions committed.",
         get(commits));
  series(out, "staffroom_checkpoints_total", "counter",
         "WAL checkpoints completed (committed pages copied into the database file).",
         get(checkpoints));
  series(out, "staffroom_storage_upkeep_failures_total", "counter",
         "Storage upkeep steps (seq index moves) that failed and were undone; changes still "
         "committed. The log says why.",
         get(upkeep_failures));
  series(out, "staffroom_search_index_failures_total", "counter",
         "Search index rounds that failed and were undone (retried a second later); posts are "
         "not affected, only how soon searches find them. The log says why.",
         get(search_index_failures));
  series(out, "staffroom_queue_drops_total", "counter",
         "Connections closed for exceeding the send queue.", get(queue_drops));
  series(out, "staffroom_rate_limited_total", "counter",
         "Requests refused for going over a rate limit (posts, failed logins).", get(rate_limited));
  batch_sizes_.render(out, "staffroom_commit_batch_size", "Changes per committed transaction.");
  commit_seconds_.render(out, "staffroom_commit_seconds",
                         "Seconds from BEGIN to durable COMMIT per storage transaction (the "
                         "fsync included).");
  checkpoint_seconds_.render(
      out, "staffroom_checkpoint_seconds",
      "Seconds per WAL checkpoint (the copy and the database file's fsync).");
  return out;
}

}  // namespace staffroom::app
