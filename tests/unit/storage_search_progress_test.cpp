// SearchProgress: how searches wait for the index and how the indexer is woken.
#include <catch2/catch.hpp>

#include <chrono>
#include <thread>

#include "storage/search_progress.hpp"

using namespace staffroom::storage;
using namespace std::chrono_literals;

TEST_CASE("SearchProgress: searches wait for a mark, at most their bound", "[storage][search]") {
  SearchProgress progress;
  CHECK(progress.wait_for({0, 0}, 0ms));
  const auto before = std::chrono::steady_clock::now();
  CHECK_FALSE(progress.wait_for({5, 0}, 30ms));
  CHECK(std::chrono::steady_clock::now() - before >= 30ms);

  std::thread indexer([&] {
    std::this_thread::sleep_for(20ms);
    progress.reached({5, 2});
  });
  CHECK(progress.wait_for({5, 1}, 10s));
  indexer.join();
  CHECK(progress.indexed() == SearchMark{5, 2});

  // The indexer, woken by a commit, gathers; a search that waits cuts that short.
  progress.wake();
  std::thread search([&] { progress.wait_for({9, 9}, 10s); });
  const auto woken = std::chrono::steady_clock::now();
  CHECK(progress.wait_for_work(10s, 10s));
  CHECK(std::chrono::steady_clock::now() - woken < 5s);
  progress.reached({9, 9});
  search.join();

  progress.stop();
  const auto stopped = std::chrono::steady_clock::now();
  CHECK_FALSE(progress.wait_for_work(10s, 10s));
  CHECK_FALSE(progress.rest(10s));
  CHECK(std::chrono::steady_clock::now() - stopped < 5s);
}
