// /metrics histograms: cumulative buckets, exact sums, the commit and checkpoint times.
#include <catch2/catch.hpp>
#include <map>
#include <sstream>
#include <string>

#include "app/histogram.hpp"
#include "app/metrics.hpp"

using staffroom::app::Histogram;
using staffroom::app::metric_number;
using staffroom::app::Metrics;

namespace {

// "name value" lines of a Prometheus text rendering, keyed by everything before the value.
std::map<std::string, std::string> samples(const std::string& text) {
  std::map<std::string, std::string> out;
  std::istringstream lines(text);
  std::string line;
  while (std::getline(lines, line)) {
    if (line.empty() || line[0] == '#') continue;
    const auto space = line.rfind(' ');
    out[line.substr(0, space)] = line.substr(space + 1);
  }
  return out;
}

}  // namespace

TEST_CASE("a histogram renders cumulative buckets, a sum and a count", "[app][metrics]") {
  Histogram<3> h({0.001, 0.01, 0.1});
  for (double v : {0.0005, 0.001, 0.002, 0.05, 0.05, 3.0}) h.observe(v);
  std::string text;
  h.render(text, "x_seconds", "How long.");
  CHECK(text.find("# HELP x_seconds How long.\n# TYPE x_seconds histogram\n") == 0);
  const auto s = samples(text);
  CHECK(s.at("x_seconds_bucket{le=\"0.001\"}") == "2");  // a bound is inclusive (le)
  CHECK(s.at("x_seconds_bucket{le=\"0.01\"}") == "3");
  CHECK(s.at("x_seconds_bucket{le=\"0.1\"}") == "5");
  CHECK(s.at("x_seconds_bucket{le=\"+Inf\"}") == "6");
  CHECK(s.at("x_seconds_count") == "6");
  CHECK(s.at("x_seconds_sum") == "3.1035");
}

TEST_CASE("metric numbers: whole numbers exactly, fractions as written", "[app][metrics]") {
  CHECK(metric_number(512) == "512");
  CHECK(metric_number(12345678901.0) == "12345678901");
  CHECK(metric_number(0.0005) == "0.0005");
  CHECK(metric_number(0.256) == "0.256");
  CHECK(metric_number(0) == "0");
}

TEST_CASE("/metrics carries commit and checkpoint times beside the batch sizes", "[app][metrics]") {
  Metrics metrics;
  metrics.observe_commit(30, 0.003);
  metrics.observe_commit(1, 0.0004);
  metrics.observe_commit(300, 0.040);  // a stalled commit
  metrics.observe_checkpoint(0.020);
  const auto s = samples(metrics.render());
  CHECK(s.at("staffroom_commits_total") == "3");
  CHECK(s.at("staffroom_checkpoints_total") == "1");
  CHECK(s.at("staffroom_storage_upkeep_failures_total") == "0");
  CHECK(s.at("staffroom_search_index_failures_total") == "0");
  CHECK(s.at("staffroom_commit_batch_size_bucket{le=\"1\"}") == "1");
  CHECK(s.at("staffroom_commit_batch_size_bucket{le=\"32\"}") == "2");
  CHECK(s.at("staffroom_commit_batch_size_bucket{le=\"512\"}") == "3");
  CHECK(s.at("staffroom_commit_batch_size_sum") == "331");
  CHECK(s.at("staffroom_commit_seconds_bucket{le=\"0.0005\"}") == "1");
  CHECK(s.at("staffroom_commit_seconds_bucket{le=\"0.004\"}") == "2");
  CHECK(s.at("staffroom_commit_seconds_bucket{le=\"0.032\"}") == "2");
  CHECK(s.at("staffroom_commit_seconds_bucket{le=\"0.064\"}") == "3");
  CHECK(s.at("staffroom_commit_seconds_count") == "3");
  CHECK(s.at("staffroom_checkpoint_seconds_bucket{le=\"0.016\"}") == "0");
  CHECK(s.at("staffroom_checkpoint_seconds_bucket{le=\"0.032\"}") == "1");
  CHECK(s.at("staffroom_checkpoint_seconds_count") == "1");
}
