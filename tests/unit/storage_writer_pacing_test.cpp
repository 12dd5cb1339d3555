// The writer's group commit: batches under load, the commit interval and its busy variant, and
// what each batch reports.
#include <catch2/catch.hpp>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <mutex>
#include <numeric>
#include <thread>
#include <vector>

#include "storage/sqlite_writer.hpp"
#include "storage_fixture.hpp"

using namespace staffroom;
using namespace staffroom::storage;
using namespace staffroom::storage::testing;

namespace {

// A commit callback that counts the commits that succeeded.
domain::CommitCallback counting(std::atomic<int>& committed) {
  return [&committed](domain::Committed r) { committed += !r.error; };
}

// stop() ends a pacing wait at once and commits the one change that waited in it.
void stop_commits_the_waiting(SqliteWriter& writer, const std::atomic<int>& waiting) {
  const auto stopping = std::chrono::steady_clock::now();
  writer.stop();
  CHECK(waiting == 1);
  CHECK(std::chrono::steady_clock::now() - stopping < std::chrono::seconds(5));
}

// Commits user u1 and channel 1, then `count` posts gathered into one batch (the fourth), and
// waits until the writer has reported it: with busy_batch <= count, a busy batch.
void commit_busy_batch(SqliteWriter& writer, BatchLog& batches, int count) {
  commit(writer, user("u1"));
  commit(writer, channel("a", 1));
  while_writer_held(writer, [&] {
    for (int i = 0; i < count; ++i) writer.append(post(1, 1, "gathered"), {});
  });
  REQUIRE(eventually([&] {
    std::lock_guard lock(batches.mutex);
    return batches.sizes.size() == 4 && batches.sizes[3] == static_cast<std::size_t>(count);
  }));
}

}  // namespace

TEST_CASE("group commit batches under load and reports every change", "[storage][writer]") {
  TempDir dir;
  BatchLog batches;
  constexpr int threads = 4;
  constexpr int per_thread = 500;
  std::atomic<int> committed{0};
  {
    SqliteWriter writer({dir.file("db"), true, batches.hook()});
    commit(writer, user("u1"));
    commit(writer, channel("a", 1));
    std::vector<std::thread> posters;
    for (int t = 0; t < threads; ++t) {
      posters.emplace_back([&writer, &committed] {
        for (int i = 0; i < per_thread; ++i) {
          writer.append(post(1, 1, "x"), [&committed](domain::Committed result) {
            if (!result.error) ++committed;
          });
        }
      });
    }
    for (auto& poster : posters) poster.join();
    writer.stop();
  }
  CHECK(committed == threads * per_thread);
  std::lock_guard lock(batches.mutex);
  // The two set-up changes came in batches of their own.
  CHECK(std::accumulate(batches.sizes.begin(), batches.sizes.end(), std::size_t{0}) ==
        threads * per_thread + 2);
  CHECK(*std::max_element(batches.sizes.begin(), batches.sizes.end()) > 1);
  CHECK(batches.sizes.size() < static_cast<std::size_t>(threads * per_thread));
}

TEST_CASE("under load a batch waits out the commit interval; a lone change never does",
          "[storage][writer]") {
  using namespace std::chrono_literals;
  TempDir dir;
  BatchLog batches;
  WriterOptions options{dir.file("db"), true, batches.hook()};
  // Far longer than any wait below: a paced batch would show (the crowd's is a busy batch).
  options.commit_interval = 10s;
  options.busy_commit_interval = 10s;
  SqliteWriter writer(options);
  const auto started = std::chrono::steady_clock::now();
  // One change after a batch of one: a client alone with its acks is not held.
  commit(writer, user("u1"));
  commit(writer, channel("a", 1));
  CHECK(std::chrono::steady_clock::now() - started < 5s);

  // A batch of three (gathered while the writer was held) makes the next one wait.
  while_writer_held(writer, [&] {
    for (int i = 0; i < 3; ++i) writer.append(post(1, 1, "gathered"), {});
  });
  std::atomic<int> paced{0};
  REQUIRE(eventually([&] {
    std::lock_guard lock(batches.mutex);
    return batches.sizes.size() == 4;  // u1, channel, the hold's MarkRead, the three posts
  }));
  writer.append(post(1, 1, "paced"), counting(paced));
  std::this_thread::sleep_for(300ms);
  CHECK(paced == 0);  // still gathering

  // A full batch does not wait for the interval.
  std::atomic<int> crowd{0};
  for (std::size_t i = 1; i < SqliteWriter::kMostGathered; ++i) {
    writer.append(post(1, 1, "crowd"), counting(crowd));
  }
  eventually([&] { return crowd == static_cast<int>(SqliteWriter::kMostGathered) - 1; });
  CHECK(paced == 1);
  CHECK(crowd == static_cast<int>(SqliteWriter::kMostGathered) - 1);

  // After that batch the next waits again; stop() ends the wait and commits what it gathered.
  std::atomic<int> last{0};
  writer.append(post(1, 1, "last"), counting(last));
  stop_commits_the_waiting(writer, last);
}

TEST_CASE("each batch reports how long its transaction took, not its callbacks",
          "[storage][writer]") {
  using namespace std::chrono_literals;
  TempDir dir;
  BatchLog batches;
  {
    SqliteWriter writer({dir.file("db"), true, batches.hook()});
    commit(writer, user("u1"));
    commit(writer, channel("a", 1));
    // A slow callback (a lane far behind, a client's handler) is not the storage's time.
    std::atomic<bool> called{false};
    writer.append(post(1, 1, "slow to hear about"), [&called](domain::Committed) {
      std::this_thread::sleep_for(400ms);
      called = true;
    });
    REQUIRE(eventually([&] { return called.load(); }));
    writer.stop();
  }
  std::lock_guard lock(batches.mutex);
  REQUIRE(batches.times.size() == batches.sizes.size());
  REQUIRE(batches.times.size() == 3);
  // A synchronous=FULL commit of a real file takes some time, never none.
  for (const auto took : batches.times) CHECK(took > 0ns);
  CHECK(batches.times[2] < 400ms);
}
TEST_CASE("after a busy batch the next waits out the busy interval; after a smaller one not",
          "[storage][writer]") {
  using namespace std::chrono_literals;
  TempDir dir;
  BatchLog batches;
  WriterOptions options{dir.file("db"), true, batches.hook()};
  options.commit_interval = 0us;       // smaller batches are not paced at all
  options.busy_commit_interval = 10s;  // far longer than any wait below: a paced batch would show
  options.busy_batch = 4;
  options.busy_quiet = 10s;  // nothing below counts as quiet
  SqliteWriter writer(options);
  commit(writer, user("u1"));
  commit(writer, channel("a", 1));
  // The n-th batch the writer reported, once it has (callbacks run before the report).
  const auto batch = [&](std::size_t n) -> std::size_t {
    const bool seen = eventually([&] {
      std::lock_guard lock(batches.mutex);
      return batches.sizes.size() >= n;
    });
    std::lock_guard lock(batches.mutex);
    return seen ? batches.sizes[n - 1] : 0;
  };
  const auto gather = [&](int count) {
    while_writer_held(writer, [&] {
      for (int i = 0; i < count; ++i) writer.append(post(1, 1, "gathered"), {});
    });
  };

  // Batches: u1, the channel, the hold's MarkRead, then three gathered (below busy_batch).
  gather(3);
  REQUIRE(batch(4) == 3);
  std::atomic<int> prompt{0};
  writer.append(post(1, 1, "prompt"), counting(prompt));
  CHECK(eventually([&] { return prompt == 1; }));  // not held for 10 s

  // Then the prompt post, the next hold's MarkRead and four gathered: a busy batch.
  REQUIRE(batch(5) == 1);
  gather(4);
  REQUIRE(batch(7) == 4);
  std::atomic<int> paced{0};
  writer.append(post(1, 1, "paced"), counting(paced));
  std::this_thread::sleep_for(300ms);
  CHECK(paced == 0);  // still gathering

  stop_commits_the_waiting(writer, paced);
}

TEST_CASE("past the commit interval a busy batch's successor starts once changes stop coming",
          "[storage][writer]") {
  using namespace std::chrono_literals;
  TempDir dir;
  BatchLog batches;
  WriterOptions options{dir.file("db"), true, batches.hook()};
  options.commit_interval = 0us;
  options.busy_commit_interval = 60s;  // longer than the test: only quiet ends the wait
  options.busy_batch = 4;
  options.busy_quiet = 150ms;
  SqliteWriter writer(options);
  commit_busy_batch(writer, batches, 4);

  // A post every 30 ms for 600 ms: never quiet for 150 ms, so nothing commits meanwhile.
  std::atomic<int> committed{0};
  for (int i = 0; i < 20; ++i) {
    writer.append(post(1, 1, "steady"), counting(committed));
    std::this_thread::sleep_for(30ms);
  }
  CHECK(committed == 0);
  // Then none: the batch starts once 150 ms pass without one, long before the 60 s.
  const auto last = std::chrono::steady_clock::now();
  REQUIRE(eventually([&] { return committed == 20; }));
  CHECK(std::chrono::steady_clock::now() - last >= 100ms);
  std::lock_guard lock(batches.mutex);
  CHECK(batches.sizes.back() == 20);
}

namespace {

// The growing busy wait, with busy_commit_interval `least`, busy_interval_per_change
// `per_change` and most_busy_commit_interval `most`: after a busy batch of `size`, a post
// appended at once is still waiting `waiting` later, then commits within `within`.
void check_growing_wait(std::chrono::microseconds least, std::chrono::microseconds per_change,
                        std::chrono::microseconds most, int size, std::chrono::milliseconds waiting,
                        std::chrono::milliseconds within) {
  using namespace std::chrono_literals;
  TempDir dir;
  BatchLog batches;
  WriterOptions options{dir.file("db"), true, batches.hook()};
  options.commit_interval = 0us;
  options.busy_commit_interval = least;
  options.busy_interval_per_change = per_change;
  options.most_busy_commit_interval = most;
  options.busy_batch = 4;
  options.busy_quiet = 600s;  // nothing below counts as quiet
  SqliteWriter writer(options);
  commit_busy_batch(writer, batches, size);
  std::atomic<int> paced{0};
  const auto appended = std::chrono::steady_clock::now();
  writer.append(post(1, 1, "paced"), counting(paced));
  std::this_thread::sleep_for(waiting);
  CHECK(paced == 0);
  REQUIRE(eventually([&] { return paced == 1; }));
  CHECK(std::chrono::steady_clock::now() - appended < within);
}

}  // namespace

TEST_CASE("the bigger a busy batch, the longer its successor may wait, up to a bound",
          "[storage][writer]") {
  using namespace std::chrono_literals;
  // 8 changes at 60 s each would be 480 s; the 2 s bound ends the wait. Still waiting at
  // 400 ms: longer than the least (100 ms).
  check_growing_wait(100ms, 60s, 2s, 8, 400ms, 5s);
}

TEST_CASE("a busy batch's successor waits in proportion to its size", "[storage][writer]") {
  using namespace std::chrono_literals;
  // 6 changes at 300 ms: 1.8 s, between the least (50 ms: it would have gone by 600 ms) and
  // the most (a minute: it would not commit within 6 s).
  check_growing_wait(50ms, 300ms, 60s, 6, 600ms, 6s);
}
