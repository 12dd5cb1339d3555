#include "support/in_memory_store.hpp"

#include <algorithm>

namespace staffroom::testing {

using namespace domain;

namespace {

template <class... F>
struct overloaded : F... {
  using F::operator()...;
};
template <class... F>
overloaded(F...) -> overloaded<F...>;

Error err(ErrorKind kind, std::string message) { return Error::of(kind, std::move(message)); }

}  // namespace

Channel* InMemoryStore::channel(ChannelId id) {
  for (auto& c : snapshot_.channels) {
    if (c.id == id) return &c;
  }
  return nullptr;
}

void InMemoryStore::append(Change change, CommitCallback done) {
  if (fail_next) {
    Committed c;
    c.error = *fail_next;
    fail_next.reset();
    return done(c);
  }
  ++commits;
  done(apply(change));
}

Committed InMemoryStore::apply(const Change& change) {
  Committed c;
  auto membership = [&](ChannelId ch, UserId u) -> Membership* {
    for (auto& m : snapshot_.memberships) {
      if (m.channel_id == ch && m.user_id == u) return &m;
    }
    return nullptr;
  };
  std::visit(
      overloaded{
          [&](const NewUser& u) {
            for (const auto& s : snapshot_.users) {
              if (s.user.handle == u.handle) c.error = err(ErrorKind::conflict, "taken");
            }
            if (c.error) return;
            c.id = static_cast<std::int64_t>(snapshot_.users.size()) + 1;
            c.admin = snapshot_.users.empty();
            snapshot_.users.push_back(
                {User{c.id, u.handle, u.display_name, c.admin, u.at}, u.password_hash});
          },
          [&](const NewSession& s) {
            snapshot_.sessions.push_back({s.token_hash, s.user_id});
          },
          [&](const EndSession& s) {
            auto& v = snapshot_.sessions;
            const auto before = v.size();
            v.erase(std::remove_if(
                        v.begin(), v.end(),
                        [&](const StoredSession& x) { return x.token_hash == s.token_hash; }),
                    v.end());
            c.changed = v.size() != before;
          },
          [&](const NewChannel& n) {
            c.id = static_cast<std::int64_t>(snapshot_.channels.size()) + 1;
            snapshot_.channels.push_back(
                Channel{c.id, n.slug, n.title, n.description, n.visibility, n.owner, n.at, 1});
            snapshot_.memberships.push_back({c.id, n.owner, Role::owner, 1});
            c.seq = 1;
            c.read_seq = 1;
          },
          [&](const JoinChannel& j) {
            auto* ch = channel(j.channel_id);
            if (ch == nullptr) return void(c.error = err(ErrorKind::not_found, "no channel"));
            if (auto* m = membership(j.channel_id, j.user_id)) {
              c.changed = false;
              c.read_seq = m->read_seq;
              return;
            }
            c.seq = ++ch->last_seq;
            c.read_seq = c.seq;
            snapshot_.memberships.push_back({j.channel_id, j.user_id, j.role, c.seq});
          },
          [&](const LeaveChannel& l) {
            auto* ch = channel(l.channel_id);
            auto& v = snapshot_.memberships;
            auto it = std::find_if(v.begin(), v.end(), [&](const Membership& m) {
              return m.channel_id == l.channel_id && m.user_id == l.user_id;
            });
            if (ch == nullptr || it == v.end()) return void(c.changed = false);
            v.erase(it);
            c.seq = ++ch->last_seq;
          },
          [&](const NewPost& p) {
            auto* ch = channel(p.channel_id);
            if (ch == nullptr) return void(c.error = err(ErrorKind::not_found, "no channel"));
            if (p.client_id) {
              for (const auto& existing : posts_) {
                if (existing.author.id == p.author.id && existing.client_id == p.client_id) {
                  c.duplicate = true;
                  c.changed = false;
                  c.post = existing;
                  c.id = existing.id;
                  c.seq = existing.seq;
                  return;
                }
              }
            }
            Post* root = nullptr;
            if (p.thread_id) {
              for (auto& existing : posts_) {
                if (existing.id == *p.thread_id && existing.channel_id == p.channel_id)
                  root = &existing;
              }
              if (root == nullptr) return void(c.error = err(ErrorKind::not_found, "no thread"));
              if (root->thread_id) {
                return void(c.error = err(ErrorKind::bad_request, "cannot reply to a reply"));
              }
              ++root->reply_count;
            }
            Post post;
            post.id = static_cast<PostId>(posts_.size()) + 1;
            post.channel_id = p.channel_id;
            post.seq = ++ch->last_seq;
            post.thread_id = p.thread_id;
            post.author = p.author;
            post.body = p.body;
            post.html = p.html;
            post.created_at = p.at;
            post.client_id = p.client_id;
            posts_.push_back(post);
            c.post = post;
            c.id = post.id;
            c.seq = post.seq;
          },
          [&](const MarkRead& r) {
            auto* m = membership(r.channel_id, r.user_id);
            auto* ch = channel(r.channel_id);
            if (m == nullptr || ch == nullptr) {
              return void(c.error = err(ErrorKind::not_found, "not a member"));
            }
            const auto target = std::min(r.seq, ch->last_seq);
            c.changed = target > m->read_seq;
            if (c.changed) m->read_seq = target;
            c.read_seq = m->read_seq;
          },
      },
      change);
  return c;
}

HistoryPage InMemoryStore::history(ChannelId ch, std::optional<Seq> after,
                                   std::optional<Seq> before, int limit) {
  std::vector<Post> in_range;
  for (const auto& p : posts_) {
    if (p.channel_id == ch && (!after || p.seq > *after) && (!before || p.seq < *before)) {
      in_range.push_back(p);
    }
  }
  HistoryPage page;
  const auto n = static_cast<std::size_t>(limit);
  page.has_more = in_range.size() > n;
  if (after) {
    in_range.resize(std::min(n, in_range.size()));
  } else if (in_range.size() > n) {
    in_range.erase(in_range.begin(), in_range.end() - static_cast<std::ptrdiff_t>(n));
  }
  page.posts = std::move(in_range);
  return page;
}

std::optional<Thread> InMemoryStore::thread(PostId id) {
  const Post* found = nullptr;
  for (const auto& p : posts_) {
    if (p.id == id) found = &p;
  }
  if (found == nullptr) return std::nullopt;
  const PostId root_id = found->thread_id.value_or(found->id);
  Thread t;
  for (const auto& p : posts_) {
    if (p.id == root_id) t.root = p;
    if (p.thread_id == root_id) t.replies.push_back(p);
  }
  return t;
}

std::int64_t InMemoryStore::unread(ChannelId ch, UserId user, Seq after) {
  return std::count_if(posts_.begin(), posts_.end(), [&](const Post& p) {
    return p.channel_id == ch && p.seq > after && p.author.id != user && !p.deleted;
  });
}

}  // namespace staffroom::testing
