// append_on: a batch's callbacks reach their lane as one task, in order, and survive a throw.
#include <catch2/catch.hpp>

#include <deque>
#include <future>
#include <mutex>
#include <stdexcept>
#include <vector>

#include "domain/lane.hpp"
#include "storage/sqlite_writer.hpp"
#include "storage_fixture.hpp"

using namespace staffroom;
using namespace staffroom::storage;
using namespace staffroom::storage::testing;

namespace {

// A lane whose tasks wait until the test runs them.
class QueuedLane final : public domain::Lane {
 public:
  void post(domain::Task task) override {
    std::lock_guard lock(mutex_);
    tasks_.push_back(std::move(task));
  }
  std::size_t size() {
    std::lock_guard lock(mutex_);
    return tasks_.size();
  }
  // Runs the first task; returns false if there was none.
  bool run_one() {
    domain::Task task;
    {
      std::lock_guard lock(mutex_);
      if (tasks_.empty()) return false;
      task = std::move(tasks_.front());
      tasks_.pop_front();
    }
    task();
    return true;
  }

 private:
  std::mutex mutex_;
  std::deque<domain::Task> tasks_;
};

// Appends `changes` while the writer thread is held, so they commit as one batch; returns once
// the batch has committed (its callbacks wait on `lane`).
void one_batch(SqliteWriter& writer, QueuedLane& lane, std::vector<domain::Change> changes,
               std::vector<domain::CommitCallback> callbacks) {
  while_writer_held(writer, [&] {
    for (std::size_t i = 0; i < changes.size(); ++i) {
      writer.append_on(std::move(changes[i]), lane, std::move(callbacks[i]));
    }
  });
  writer.stop();  // commits the batch and hands its callbacks over
}

struct Fixture : OneChannel {
  QueuedLane lane;
};

}  // namespace

TEST_CASE("a batch's callbacks go to their lane as one task, in order", "[storage][writer]") {
  Fixture f;
  std::vector<domain::Seq> seqs;
  std::vector<domain::Change> changes;
  std::vector<domain::CommitCallback> callbacks;
  for (int i = 0; i < 20; ++i) {
    changes.push_back(post(1, 1, "post " + std::to_string(i)));
    callbacks.push_back([&seqs](domain::Committed c) { seqs.push_back(c.seq); });
  }
  one_batch(f.writer, f.lane, std::move(changes), std::move(callbacks));
  CHECK(seqs.empty());  // nothing runs on the writer thread
  REQUIRE(f.lane.size() == 1);
  f.lane.run_one();
  std::vector<domain::Seq> expected;
  for (domain::Seq s = 2; s < 22; ++s) expected.push_back(s);
  CHECK(seqs == expected);
}

TEST_CASE("a throwing callback does not lose the rest of its handoff", "[storage][writer]") {
  Fixture f;
  std::vector<int> ran;
  std::vector<domain::CommitCallback> callbacks;
  for (int i = 0; i < 5; ++i) {
    callbacks.push_back([&ran, i](domain::Committed) {
      ran.push_back(i);
      if (i == 1) throw std::runtime_error("callback failed");
    });
  }
  one_batch(f.writer, f.lane,
            {post(1, 1, "a"), post(1, 1, "b"), post(1, 1, "c"), post(1, 1, "d"), post(1, 1, "e")},
            std::move(callbacks));
  REQUIRE(f.lane.size() == 1);
  CHECK_THROWS_AS(f.lane.run_one(), std::runtime_error);
  CHECK(ran == std::vector<int>{0, 1});
  REQUIRE(f.lane.size() == 1);  // the rest, re-posted
  f.lane.run_one();
  CHECK(ran == std::vector<int>{0, 1, 2, 3, 4});
  CHECK_FALSE(f.lane.run_one());
}

TEST_CASE("append_on after stop answers unavailable on the lane", "[storage][writer]") {
  Fixture f;
  f.writer.stop();
  std::optional<domain::Committed> result;
  f.writer.append_on(post(1, 1, "late"), f.lane,
                     [&result](domain::Committed c) { result = std::move(c); });
  CHECK_FALSE(result);
  REQUIRE(f.lane.run_one());
  REQUIRE(result);
  REQUIRE(result->error);
  CHECK(result->error->kind == domain::ErrorKind::unavailable);
}
