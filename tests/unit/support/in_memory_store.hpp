// A synchronous in-memory Writer + Reader for domain tests (no SQLite, no threads).
#pragma once

#include <map>
#include <vector>

#include "domain/clock.hpp"
#include "domain/lane.hpp"
#include "domain/read_lane.hpp"
#include "domain/store.hpp"

namespace staffroom::testing {

/// Commits each change at once and answers reads from plain vectors, with the same rules as
/// the SQLite store (seq per channel, idempotent client_id, thread roots).
class InMemoryStore final : public domain::Writer, public domain::Reader {
 public:
  void append(domain::Change change, domain::CommitCallback done) override;
  domain::Snapshot load() override { return snapshot_; }
  domain::HistoryPage history(domain::ChannelId channel, std::optional<domain::Seq> after,
                              std::optional<domain::Seq> before, int limit) override;
  std::optional<domain::Thread> thread(domain::PostId post) override;
  std::int64_t unread(domain::ChannelId channel, domain::UserId user, domain::Seq after) override;
  std::int64_t unread_mentions(domain::ChannelId channel, domain::UserId user,
                               domain::Seq after) override;
  std::optional<domain::Post> post(domain::PostId post) override;
  std::vector<domain::PostVersion> versions(domain::PostId post) override;
  std::vector<domain::Mention> mentions(domain::UserId user,
                                        const std::vector<domain::ChannelId>& channels,
                                        std::optional<std::int64_t> before_id, int limit) override;
  std::vector<domain::LoggedEvent> events_after(domain::ChannelId channel, domain::Seq after,
                                                int limit) override;
  std::vector<domain::SearchHit> search(const std::vector<std::string>& words,
                                        const std::vector<domain::ChannelId>& channels,
                                        int limit) override;

  std::size_t commits = 0;
  /// When set, the next append fails with this error.
  std::optional<domain::Error> fail_next;

 private:
  domain::Committed apply(const domain::Change& change);
  domain::Channel* channel(domain::ChannelId id);

  domain::Seq next_seq(domain::ChannelId channel, std::string kind,
                       std::optional<domain::PostId> post = {});
  domain::Post* find_post(domain::PostId id);

  domain::Snapshot snapshot_;
  std::vector<domain::Post> posts_;
  std::vector<std::pair<domain::PostId, domain::PostVersion>> versions_;
  std::vector<std::pair<domain::UserId, domain::PostId>> mentions_;
  std::vector<domain::LoggedEvent> events_;
};

/// Runs each task at once, on the caller's stack.
class InlineLane final : public domain::Lane, public domain::ReadLane {
 public:
  explicit InlineLane(domain::Reader& reader) : reader_(reader) {}
  void post(domain::Task task) override { task(); }
  void post(std::function<void(domain::Reader&)> job) override { job(reader_); }

 private:
  domain::Reader& reader_;
};

/// A clock the test moves by hand.
class FakeClock final : public domain::Clock {
 public:
  domain::Timestamp now() const override { return now_; }
  void advance(domain::Timestamp ms) { now_ += ms; }

 private:
  domain::Timestamp now_ = 1'700'000'000'000;
};

}  // namespace staffroom::testing
