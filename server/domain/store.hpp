// Storage as the domain sees it: an asynchronous writer and synchronous readers.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "domain/changes.hpp"
#include "domain/lane.hpp"
#include "domain/types.hpp"

namespace staffroom::domain {

/// A stored account with its password hash (only the accounts model sees the hash).
struct StoredUser {
  User user;
  std::string password_hash;
};

/// A stored session: which user a token hash belongs to.
struct StoredSession {
  std::string token_hash;
  UserId user_id = 0;
};

/// Everything the domain keeps in memory, loaded once at start-up.
struct Snapshot {
  std::vector<StoredUser> users;
  std::vector<StoredSession> sessions;
  std::vector<Channel> channels;
  std::vector<Membership> memberships;
};

using CommitCallback = std::function<void(Committed)>;

/// Commits changes in order on one writer; the callback runs after the commit (or failure),
/// on the writer's thread, in the order the changes were appended.
class Writer {
 public:
  virtual ~Writer() = default;
  virtual void append(Change change, CommitCallback on_committed) = 0;
  /// As append, but `on_committed` runs on `lane`, in append order among the callbacks for
  /// that lane. A writer may hand a whole batch's callbacks for a lane over as one task: one
  /// hop (and one wake-up of the lane's thread) per batch instead of one per change.
  virtual void append_on(Change change, Lane& lane, CommitCallback on_committed) {
    append(std::move(change), [&lane, then = std::move(on_committed)](Committed c) mutable {
      lane.post([then = std::move(then), c = std::move(c)]() mutable { then(std::move(c)); });
    });
  }
};

/// Read-only queries; each call is synchronous and is made off the network threads.
class Reader {
 public:
  virtual ~Reader() = default;
  virtual Snapshot load() = 0;
  /// Posts with after < seq < before (either bound optional), `limit` of them, oldest first.
  /// Without `after` the page is the newest `limit` below `before`.
  virtual HistoryPage history(ChannelId channel, std::optional<Seq> after_seq,
                              std::optional<Seq> before_seq, int limit) = 0;
  /// The thread that `post` belongs to (as root or reply), or nothing.
  virtual std::optional<Thread> thread(PostId post) = 0;
  /// Other members' undeleted posts with seq > after_seq in the channel.
  virtual std::int64_t unread(ChannelId channel, UserId user, Seq after_seq) = 0;
  /// Undeleted posts with seq > after_seq in the channel that mention `user`.
  virtual std::int64_t unread_mentions(ChannelId channel, UserId user, Seq after_seq) = 0;
  /// One post with its reactions, deleted or not.
  virtual std::optional<Post> post(PostId post) = 0;
  /// Earlier bodies of a post, oldest first.
  virtual std::vector<PostVersion> versions(PostId post) = 0;
  /// The user's mentions, newest first, with id < before_id, in the given channels only.
  virtual std::vector<Mention> mentions(UserId user, const std::vector<ChannelId>& channels,
                                        std::optional<std::int64_t> before_id, int limit) = 0;
  /// Logged events of a channel with seq > after_seq, oldest first, at most `limit`.
  virtual std::vector<LoggedEvent> events_after(ChannelId channel, Seq after_seq, int limit) = 0;
  /// Full-text search over undeleted posts of `channels`: every word must match (each is
  /// quoted on its own, so FTS syntax is plain text), best first.
  virtual std::vector<SearchHit> search(const std::vector<std::string>& words,
                                        const std::vector<ChannelId>& channels, int limit) = 0;
};

/// Makes one Reader per reading thread (each owns its own connection).
class ReaderFactory {
 public:
  virtual ~ReaderFactory() = default;
  virtual std::unique_ptr<Reader> open_reader() = 0;
};

}  // namespace staffroom::domain
