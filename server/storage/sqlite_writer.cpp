#include "storage/sqlite_writer.hpp"

#include <pthread.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <exception>
#include <iterator>
#include <utility>

#include "storage/change_applier.hpp"
#include "storage/checkpointer.hpp"
#include "storage/database.hpp"
#include "storage/lane_handoff.hpp"
#include "storage/schema.hpp"
#include "storage/small_page_cache.hpp"
#include "storage/wal_buffer_vfs.hpp"
#include "storage/writer_lock.hpp"

namespace staffroom::storage {
namespace {

domain::Committed failure(domain::ErrorKind kind, std::string message) {
  domain::Committed committed;
  committed.error = domain::Error::of(kind, std::move(message));
  committed.changed = false;
  return committed;
}

// Callbacks are the caller's code; one that throws must not kill the writer thread or
// keep the rest of the batch from hearing about its commit.
template <typename Callback, typename... Args>
void invoke_quietly(const Callback& callback, Args&&... args) noexcept {
  if (!callback) return;
  try {
    callback(std::forward<Args>(args)...);
  } catch (...) {
  }
}

// A change run without a savepoint failed after writing: only the whole batch can be undone.
struct UnguardedChangeFailed {};

}  // namespace

SqliteWriter::SqliteWriter(WriterOptions options) : options_(std::move(options)) {
  connection_ = std::make_unique<Connection>(options_.path, Connection::Mode::read_write_create,
                                             WalBufferVfs::name());
  lock_ = std::make_unique<WriterLock>(options_.path);
  configure_writer(*connection_, options_.synchronous_full);
  {
    // An upgrade may copy a whole table (step 7: every post's seq entry): see SmallPageCache.
    SmallPageCache small(*connection_, 2048);
    migrate(*connection_);
  }
  applier_ = std::make_unique<ChangeApplier>(*connection_);
  // WAL pages (4 KiB each, 32 MiB) after which the background thread checkpoints: a longer WAL
  // copies hot pages fewer times, and the copying no longer holds up commits.
  constexpr int kCheckpointPages = 8000;
  checkpointer_ =
      std::make_unique<Checkpointer>(options_.path, kCheckpointPages, options_.on_checkpoint);
  checkpointer_->attach(*connection_);
  thread_ = std::thread([this] { run(); });
}

SqliteWriter::~SqliteWriter() { stop(); }

void SqliteWriter::append(domain::Change change, domain::CommitCallback on_committed) {
  enqueue(Pending{std::move(change), std::move(on_committed), nullptr});
}

void SqliteWriter::append_on(domain::Change change, domain::Lane& lane,
                             domain::CommitCallback on_committed) {
  enqueue(Pending{std::move(change), std::move(on_committed), &lane});
}

void SqliteWriter::enqueue(Pending pending) {
  {
    std::lock_guard lock(mutex_);
    if (!stopping_) {
      queue_.push_back(std::move(pending));
      last_append_ = std::chrono::steady_clock::now();
      // Notify under the lock: stop() + destruction cannot slip in between. A pacing writer
      // wakes at its deadline anyway; waking it per append would cost a context switch each.
      if (!pacing_ || queue_.size() >= kMostGathered) wake_.notify_one();
      return;
    }
  }
  auto refused = failure(domain::ErrorKind::unavailable, "storage is shut down");
  if (pending.lane == nullptr) return invoke_quietly(pending.on_committed, std::move(refused));
  pending.lane->post([then = std::move(pending.on_committed), c = std::move(refused)]() mutable {
    if (then) then(std::move(c));
  });
}

void SqliteWriter::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  std::lock_guard join_lock(join_mutex_);
  // From a callback (the writer thread itself) joining would deadlock; run() ends on its own
  // and the destructor finishes the rest.
  if (thread_.get_id() == std::this_thread::get_id()) return;
  if (thread_.joinable()) thread_.join();
  if (checkpointer_) {
    checkpointer_->detach(*connection_);
    checkpointer_->stop();
  }
}

void SqliteWriter::run() {
  pthread_setname_np(pthread_self(), "db-writer");  // as `top -H` and /proc show it
  using Clock = std::chrono::steady_clock;
  std::vector<Pending> batch;
  Clock::time_point last_start;
  std::size_t last_size = 0;
  for (;;) {
    {
      std::unique_lock lock(mutex_);
      wake_.wait(lock, [this] { return !queue_.empty() || stopping_; });
      if (queue_.empty()) return;  // stopping, and everything appended has been committed
      // One change at a time means one client waiting on its own acks: no one to gather.
      if (last_size > 1) pace(lock, last_start, last_size);
      batch.swap(queue_);
    }
    last_start = Clock::now();
    last_size = batch.size();
    std::vector<domain::Committed> results = commit_batch(batch);
    const auto took = Clock::now() - last_start;
    call_back(batch, results);
    invoke_quietly(options_.on_commit, batch.size(), took);
    if (auto failure = applier_->take_upkeep_failure()) {
      invoke_quietly(options_.on_upkeep_failed, *failure);
    }
    batch.clear();
    // Between batches, after the acks: work here delays the next batch, not this one's.
    applier_->between_batches();
    checkpointer_->run_due(*connection_);
  }
}

void SqliteWriter::pace(std::unique_lock<std::mutex>& lock,
                        std::chrono::steady_clock::time_point start, std::size_t size) {
  // Each commit costs a WAL write of every page it touched and, with synchronous=FULL, an
  // fsync: at 5,000 posts/s, committing whatever had arrived made ~1,900 small commits a second
  // (2-3 posts each). On the 2-vCPU test VM that fsync rate also stalled the other vCPU ~10 ms
  // every 100 ms, while ~900/s did not.
  pacing_ = true;
  const auto full = [this] { return stopping_ || queue_.size() >= kMostGathered; };
  bool done = wake_.wait_until(lock, start + options_.commit_interval, full);
  if (size >= options_.busy_batch) {
    const auto least = options_.busy_commit_interval;
    const auto most = std::max(least, options_.most_busy_commit_interval);
    const auto interval = std::clamp(
        options_.busy_interval_per_change * static_cast<std::int64_t>(size), least, most);
    const auto due = start + interval;
    while (!done) {
      const auto quiet_end = last_append_ + options_.busy_quiet;
      const auto now = std::chrono::steady_clock::now();
      if (now >= due || now >= quiet_end) break;
      done = wake_.wait_until(lock, std::min(due, quiet_end), full);
    }
  }
  pacing_ = false;
}

void SqliteWriter::call_back(std::vector<Pending>& batch, std::vector<domain::Committed>& results) {
  // Callbacks for a lane go over as one LaneHandoff per lane, in append order; the rest run
  // here. Batches are small in lanes (in practice there is one: the home lane).
  std::vector<std::pair<domain::Lane*, std::shared_ptr<LaneHandoff>>> handoffs;
  for (std::size_t i = 0; i < batch.size(); ++i) {
    Pending& pending = batch[i];
    if (pending.lane == nullptr) {
      invoke_quietly(pending.on_committed, std::move(results[i]));
      continue;
    }
    auto found = std::find_if(handoffs.begin(), handoffs.end(),
                              [&](const auto& h) { return h.first == pending.lane; });
    if (found == handoffs.end()) {
      handoffs.emplace_back(pending.lane, std::make_shared<LaneHandoff>(*pending.lane));
      found = std::prev(handoffs.end());
    }
    found->second->add(std::move(pending.on_committed), std::move(results[i]));
  }
  for (auto& [lane, handoff] : handoffs) LaneHandoff::start(std::move(handoff));
}

std::vector<domain::Committed> SqliteWriter::commit_batch(const std::vector<Pending>& batch) {
  std::vector<domain::Committed> results;
  // Almost always the first attempt commits. A new post that throws part-way (a storage error
  // between its seq and its row, or between its row and its seq index entry) sends the batch
  // round again, every change in a savepoint, so it fails alone as it would have before.
  if (!try_batch(batch, false, results)) try_batch(batch, true, results);
  return results;
}

bool SqliteWriter::try_batch(const std::vector<Pending>& batch, bool guarded,
                             std::vector<domain::Committed>& results) {
  results.clear();
  results.reserve(batch.size());
  try {
    Transaction transaction(*connection_, Transaction::Kind::immediate);
    applier_->begin_batch();
    for (const Pending& pending : batch) {
      const bool in_savepoint = ChangeApplier::needs_savepoint(pending.change, guarded);
      applier_->before(in_savepoint);
      results.push_back(apply_one(pending.change, in_savepoint));
      // Some errors (I/O, disk full) make SQLite roll the whole transaction back itself:
      // the earlier changes of this batch are gone too, so the batch fails as one.
      if (!connection_->in_transaction()) {
        throw StorageError("the write transaction was rolled back by SQLite");
      }
    }
    applier_->before_commit();
    transaction.commit();
    applier_->committed();
  } catch (const UnguardedChangeFailed&) {
    return false;  // the transaction's destructor rolled the batch back
  } catch (const std::exception& error) {
    results.assign(batch.size(), failure(domain::ErrorKind::internal,
                                         std::string("storage failure: ") + error.what()));
  } catch (...) {
    results.assign(batch.size(), failure(domain::ErrorKind::internal, "storage failure"));
  }
  return true;
}

domain::Committed SqliteWriter::apply_one(const domain::Change& change, bool in_savepoint) {
  if (!in_savepoint) {
    try {
      // A refusal (Committed.error) has written nothing: nothing to roll back.
      return applier_->apply(change);
    } catch (...) {
      throw UnguardedChangeFailed{};
    }
  }
  const auto mark = applier_->mark();
  try {
    Savepoint savepoint(*connection_, "change");
    domain::Committed committed = applier_->apply(change);
    if (committed.error) {
      savepoint.rollback();
      applier_->rolled_back(mark);
    } else {
      savepoint.release();
    }
    return committed;
  } catch (const std::exception& error) {
    // The savepoint's destructor has rolled this change back; the batch goes on.
    applier_->rolled_back(mark);
    return failure(domain::ErrorKind::internal, std::string("storage failure: ") + error.what());
  } catch (...) {
    applier_->rolled_back(mark);
    return failure(domain::ErrorKind::internal, "storage failure");
  }
}

}  // namespace staffroom::storage
