// Posts and replies: writing, editing, deleting, reacting, and every read of them.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "domain/access.hpp"
#include "domain/community.hpp"
#include "domain/rate_limiter.hpp"

namespace staffroom::domain {

struct PostInput {
  ChannelId channel_id = 0;
  std::string body;
  std::string html;  // rendered once, before it reaches the domain
  std::optional<PostId> thread_id;
  std::optional<std::string> client_id;
  std::vector<std::string> mentioned_handles;  // found by the renderer, lowercase
};

struct PostCreated {
  Post post;
  bool duplicate = false;
};

struct MentionPage {
  std::vector<Mention> mentions;
  bool has_more = false;
};

/// Post rules. Every method runs on the home lane; callbacks run on the home lane or a read
/// thread and must not touch the model.
class PostService {
 public:
  /// `checks` must run its jobs one at a time in order: edits, deletes and reactions read
  /// their post there before writing, so they reach the writer in the order they arrived.
  PostService(ChannelDirectory& directory, const Accounts& accounts, Writer& writer, Lane& home,
              ReadLane& reads, ReadLane& checks, const Clock& clock, Notifier& notifier,
              RateLimiter limiter);

  void create(UserId user, PostInput input, Done<PostCreated> done);
  /// The author only; the old body is kept as a version.
  void edit(UserId user, PostId post, std::string body, std::string html, Done<Post> done);
  /// The author, the channel's owners and moderators, or a server admin.
  void remove(UserId user, PostId post, Done<Post> done);
  void react(UserId user, PostId post, std::string emoji, bool on, Done<Post> done);

  void history(UserId user, ChannelId channel, std::optional<Seq> after_seq,
               std::optional<Seq> before_seq, int limit, Done<HistoryPage> done);
  void thread(UserId user, PostId post, Done<Thread> done);
  /// The author, the channel's owners and moderators, or a server admin.
  void versions(UserId user, PostId post, Done<std::vector<PostVersion>> done);
  void search(UserId user, const std::string& query, std::optional<ChannelId> channel, int limit,
              Done<std::vector<SearchHit>> done);
  void mentions(UserId user, std::optional<std::int64_t> before_id, int limit,
                Done<MentionPage> done);

 private:
  /// Reads the post, then continues on the home lane once the caller may see it.
  void with_post(UserId user, PostId post, std::function<void(Result<Post>)> then);
  void commit_post_change(Change change, std::function<void(const Post&, Seq)> notify,
                          Done<Post> done);

  ChannelDirectory& directory_;
  const Accounts& accounts_;
  Access access_;
  Writer& writer_;
  Lane& home_;
  ReadLane& reads_;
  ReadLane& checks_;
  const Clock& clock_;
  Notifier& notifier_;
  RateLimiter limiter_;
};

}  // namespace staffroom::domain
