#include "domain/post_service.hpp"

#include <algorithm>
#include <exception>
#include <sstream>
#include <utility>

#include "domain/commit.hpp"
#include "domain/guarded_read.hpp"

namespace staffroom::domain {
namespace {

std::vector<std::string> words_of(const std::string& query) {
  std::vector<std::string> words;
  std::istringstream in(query);
  for (std::string w; in >> w && words.size() < 16;) words.push_back(w);
  return words;
}

}  // namespace

PostService::PostService(ChannelDirectory& directory, const Accounts& accounts, Writer& writer,
                         Lane& home, ReadLane& reads, ReadLane& checks, const Clock& clock,
                         Notifier& notifier, RateLimiter limiter)
    : directory_(directory),
      accounts_(accounts),
      access_(directory, accounts),
      writer_(writer),
      home_(home),
      reads_(reads),
      checks_(checks),
      clock_(clock),
      notifier_(notifier),
      limiter_(limiter) {}

void PostService::create(UserId user, PostInput input, Done<PostCreated> done) {
  auto in = access_.writable(input.channel_id, user);
  if (!in.ok()) return done(in.error());
  const auto* author = accounts_.find(user);
  if (author == nullptr) return done(Error::of(ErrorKind::unauthorized, "unknown user"));
  if (const auto wait = limiter_.take(user, clock_.now()); wait > 0) {
    auto error = Error::of(ErrorKind::rate_limited, "posting too fast; wait a moment");
    error.retry_after_ms = wait;
    return done(std::move(error));
  }
  std::vector<UserId> mentioned;
  for (const auto& handle : input.mentioned_handles) {
    const auto* who = accounts_.find_by_handle(handle);
    // Only members hear of it: telling others would leak a private channel's existence.
    if (who != nullptr && who->user.id != user && directory_.role(input.channel_id, who->user.id)) {
      mentioned.push_back(who->user.id);
    }
  }
  NewPost change{
      input.channel_id,      author_of(*author),         input.thread_id, std::move(input.body),
      std::move(input.html), std::move(input.client_id), clock_.now(),    mentioned};
  commit_then(writer_, home_, std::move(change),
              [this, mentioned, done = std::move(done)](Committed c) {
                if (c.error) return done(*c.error);
                if (!c.post)
                  return done(Error::of(ErrorKind::internal, "post missing after commit"));
                if (!c.duplicate) {
                  directory_.set_last_seq(c.post->channel_id, c.post->seq);
                  notifier_.post_created(*c.post, directory_.members(c.post->channel_id));
                  for (auto who : mentioned) notifier_.mentioned(who, *c.post);
                }
                done(PostCreated{std::move(*c.post), c.duplicate});
              });
}

void PostService::with_post(UserId user, PostId post, std::function<void(Result<Post>)> then) {
  checks_.post([this, user, post, then = std::move(then)](Reader& reader) mutable {
    std::optional<Post> found;
    try {
      found = reader.post(post);
    } catch (const std::exception& e) {
      return then(Error::of(ErrorKind::internal, std::string("storage read failed: ") + e.what()));
    }
    // Visibility is decided on the home lane, which owns the membership model.
    home_.post([this, user, post, found = std::move(found), then = std::move(then)]() {
      if (!found || !access_.visible(found->channel_id, user).ok()) {
        return then(post_not_found(post));
      }
      then(std::move(*found));
    });
  });
}

void PostService::commit_post_change(Change change, std::function<void(const Post&, Seq)> notify,
                                     Done<Post> done) {
  commit_then(writer_, home_, std::move(change),
              [this, notify = std::move(notify), done = std::move(done)](Committed c) {
                if (c.error) return done(*c.error);
                if (!c.post)
                  return done(Error::of(ErrorKind::internal, "post missing after commit"));
                if (c.changed) {
                  directory_.set_last_seq(c.post->channel_id, c.seq);
                  notify(*c.post, c.seq);
                }
                done(std::move(*c.post));
              });
}

void PostService::edit(UserId user, PostId post, std::string body, std::string html,
                       Done<Post> done) {
  with_post(user, post,
            [this, user, post, body = std::move(body), html = std::move(html),
             done = std::move(done)](Result<Post> found) mutable {
              if (!found.ok()) return done(found.error());
              const auto& p = found.value();
              if (p.deleted) return done(post_not_found(post));
              if (auto in = access_.writable(p.channel_id, user); !in.ok()) return done(in.error());
              if (p.author.id != user)
                return done(Error::of(ErrorKind::forbidden, "only the author edits"));
              commit_post_change(
                  EditPost{post, std::move(body), std::move(html), clock_.now()},
                  [this](const Post& q, Seq seq) {
                    notifier_.post_edited(q, seq, directory_.members(q.channel_id));
                  },
                  std::move(done));
            });
}

void PostService::remove(UserId user, PostId post, Done<Post> done) {
  with_post(user, post, [this, user, post, done = std::move(done)](Result<Post> found) mutable {
    if (!found.ok()) return done(found.error());
    const auto& p = found.value();
    const bool allowed =
        p.author.id == user || access_.moderates(p.channel_id, user) || access_.is_admin(user);
    if (!allowed) return done(Error::of(ErrorKind::forbidden, "only the author or a moderator"));
    if (p.deleted) return done(std::move(found.value()));
    commit_post_change(
        DeletePost{post, clock_.now()},
        [this](const Post& q, Seq seq) {
          notifier_.post_deleted(q, seq, directory_.members(q.channel_id));
        },
        std::move(done));
  });
}

void PostService::react(UserId user, PostId post, std::string emoji, bool on, Done<Post> done) {
  with_post(user, post,
            [this, user, post, emoji = std::move(emoji), on,
             done = std::move(done)](Result<Post> found) mutable {
              if (!found.ok()) return done(found.error());
              const auto& p = found.value();
              if (p.deleted) return done(post_not_found(post));
              if (auto in = access_.writable(p.channel_id, user); !in.ok()) return done(in.error());
              commit_post_change(
                  ReactToPost{post, user, emoji, on, clock_.now()},
                  [this, user, emoji, on](const Post& q, Seq seq) {
                    notifier_.post_reacted(q, seq, user, emoji, on,
                                           directory_.members(q.channel_id));
                  },
                  std::move(done));
            });
}

void PostService::history(UserId user, ChannelId channel, std::optional<Seq> after_seq,
                          std::optional<Seq> before_seq, int limit, Done<HistoryPage> done) {
  auto seen = access_.visible(channel, user);
  if (!seen.ok()) return done(seen.error());
  reads_.post([=, done = std::move(done)](Reader& reader) mutable {
    guarded_read(done, [&] { done(reader.history(channel, after_seq, before_seq, limit)); });
  });
}

void PostService::thread(UserId user, PostId post, Done<Thread> done) {
  reads_.post([this, user, post, done = std::move(done)](Reader& reader) mutable {
    std::optional<Thread> found;
    try {
      found = reader.thread(post);
    } catch (const std::exception& e) {
      return done(Error::of(ErrorKind::internal, std::string("storage read failed: ") + e.what()));
    }
    home_.post([this, user, post, found = std::move(found), done = std::move(done)]() mutable {
      if (!found || !access_.visible(found->root.channel_id, user).ok()) {
        return done(post_not_found(post));
      }
      done(std::move(*found));
    });
  });
}

void PostService::versions(UserId user, PostId post, Done<std::vector<PostVersion>> done) {
  with_post(user, post, [this, user, post, done = std::move(done)](Result<Post> found) mutable {
    if (!found.ok()) return done(found.error());
    const auto& p = found.value();
    if (p.author.id != user && !access_.moderates(p.channel_id, user) && !access_.is_admin(user)) {
      return done(Error::of(ErrorKind::forbidden, "only the author and moderators see versions"));
    }
    reads_.post([post, done = std::move(done)](Reader& reader) mutable {
      guarded_read(done, [&] { done(reader.versions(post)); });
    });
  });
}

void PostService::search(UserId user, const std::string& query, std::optional<ChannelId> channel,
                         int limit, Done<std::vector<SearchHit>> done) {
  std::vector<ChannelId> channels;
  if (channel) {
    auto seen = access_.visible(*channel, user);
    if (!seen.ok()) return done(seen.error());
    channels.push_back(*channel);
  } else {
    channels = directory_.visible_ids(user);
  }
  auto words = words_of(query);
  if (words.empty() || channels.empty()) return done(std::vector<SearchHit>{});
  reads_.post([words = std::move(words), channels = std::move(channels), limit,
               done = std::move(done)](Reader& reader) mutable {
    guarded_read(done, [&] { done(reader.search(words, channels, limit)); });
  });
}

void PostService::mentions(UserId user, std::optional<std::int64_t> before_id, int limit,
                           Done<MentionPage> done) {
  auto channels = directory_.visible_ids(user);
  reads_.post([user, channels = std::move(channels), before_id, limit,
               done = std::move(done)](Reader& reader) mutable {
    guarded_read(done, [&] {
      MentionPage page;
      page.mentions = reader.mentions(user, channels, before_id, limit + 1);
      page.has_more = static_cast<int>(page.mentions.size()) > limit;
      if (page.has_more) page.mentions.resize(static_cast<std::size_t>(limit));
      done(std::move(page));
    });
  });
}

}  // namespace staffroom::domain
