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

Seq InMemoryStore::next_seq(ChannelId id, std::string kind, std::optional<PostId> post) {
  auto* ch = channel(id);
  const auto seq = ++ch->last_seq;
  LoggedEvent e;
  e.channel_id = id;
  e.seq = seq;
  e.kind = std::move(kind);
  if (post) {
    e.post = Post{};
    e.post->id = *post;
  }
  events_.push_back(e);
  return seq;
}

Post* InMemoryStore::find_post(PostId id) {
  for (auto& p : posts_) {
    if (p.id == id) return &p;
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
            LoggedEvent joined;
            joined.channel_id = c.id;
            joined.seq = 1;
            joined.kind = "member.joined";
            joined.user_id = n.owner;
            events_.push_back(joined);
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
            c.seq = next_seq(j.channel_id, "member.joined");
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
            c.seq = next_seq(l.channel_id, "member.left");
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
            post.seq =
                next_seq(p.channel_id, "post.created", static_cast<PostId>(posts_.size()) + 1);
            post.thread_id = p.thread_id;
            post.author = p.author;
            post.body = p.body;
            post.html = p.html;
            post.created_at = p.at;
            post.client_id = p.client_id;
            posts_.push_back(post);
            for (auto who : p.mentions) mentions_.emplace_back(who, post.id);
            c.post = post;
            c.id = post.id;
            c.seq = post.seq;
          },
          [&](const SetRole& r) {
            auto* m = membership(r.channel_id, r.user_id);
            if (m == nullptr) return void(c.error = err(ErrorKind::not_found, "not a member"));
            if (m->role == r.role) return void(c.changed = false);
            m->role = r.role;
            c.seq = next_seq(r.channel_id, "member.updated");
          },
          [&](const UpdateChannel& u) {
            auto* ch = channel(u.channel_id);
            if (ch == nullptr) return void(c.error = err(ErrorKind::not_found, "no channel"));
            if (u.title) ch->title = *u.title;
            if (u.description) ch->description = *u.description;
            if (u.archived) ch->archived = *u.archived;
            c.seq = next_seq(u.channel_id, "channel.updated");
            c.channel = *ch;
          },
          [&](const EditPost& e) {
            auto* post = find_post(e.post_id);
            if (post == nullptr || post->deleted) {
              return void(c.error = err(ErrorKind::not_found, "no post"));
            }
            versions_.push_back(
                {post->id,
                 PostVersion{post->body, post->html, post->edited_at.value_or(post->created_at)}});
            post->body = e.body;
            post->html = e.html;
            post->edited_at = e.at;
            c.seq = next_seq(post->channel_id, "post.edited", post->id);
            c.post = *post;
          },
          [&](const DeletePost& d) {
            auto* post = find_post(d.post_id);
            if (post == nullptr) return void(c.error = err(ErrorKind::not_found, "no post"));
            if (post->deleted) return void((c.changed = false, c.post = *post));
            post->deleted = true;
            post->body.clear();
            post->html.clear();
            c.seq = next_seq(post->channel_id, "post.deleted", post->id);
            c.post = *post;
          },
          [&](const ReactToPost& r) {
            auto* post = find_post(r.post_id);
            if (post == nullptr || post->deleted) {
              return void(c.error = err(ErrorKind::not_found, "no post"));
            }
            auto& rs = post->reactions;
            auto it = std::find_if(rs.begin(), rs.end(),
                                   [&](const Reaction& x) { return x.emoji == r.emoji; });
            const bool has = it != rs.end() &&
                             std::count(it->user_ids.begin(), it->user_ids.end(), r.user_id) > 0;
            c.post = *post;
            if (has == r.on) return void(c.changed = false);
            if (r.on) {
              if (it == rs.end()) it = rs.insert(rs.end(), Reaction{r.emoji, {}});
              it->user_ids.push_back(r.user_id);
            } else {
              it->user_ids.erase(std::remove(it->user_ids.begin(), it->user_ids.end(), r.user_id),
                                 it->user_ids.end());
              if (it->user_ids.empty()) rs.erase(it);
            }
            c.seq = next_seq(post->channel_id, "post.reacted", post->id);
            c.post = *post;
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

std::int64_t InMemoryStore::unread_mentions(ChannelId ch, UserId user, Seq after) {
  return std::count_if(mentions_.begin(), mentions_.end(), [&](const auto& m) {
    const auto* p = find_post(m.second);
    return m.first == user && p != nullptr && p->channel_id == ch && p->seq > after && !p->deleted;
  });
}

std::optional<Post> InMemoryStore::post(PostId id) {
  const auto* p = find_post(id);
  if (p == nullptr) return std::nullopt;
  return *p;
}

std::vector<PostVersion> InMemoryStore::versions(PostId id) {
  std::vector<PostVersion> out;
  for (const auto& [post, v] : versions_) {
    if (post == id) out.push_back(v);
  }
  return out;
}

std::vector<Mention> InMemoryStore::mentions(UserId user, const std::vector<ChannelId>& channels,
                                             std::optional<std::int64_t> before_id, int limit) {
  std::vector<Mention> out;
  for (std::size_t i = mentions_.size(); i-- > 0 && static_cast<int>(out.size()) < limit;) {
    const auto id = static_cast<std::int64_t>(i) + 1;
    const auto* p = find_post(mentions_[i].second);
    if (mentions_[i].first != user || p == nullptr || p->deleted) continue;
    if (before_id && id >= *before_id) continue;
    if (std::find(channels.begin(), channels.end(), p->channel_id) == channels.end()) continue;
    out.push_back(Mention{id, *p, p->created_at});
  }
  return out;
}

std::vector<LoggedEvent> InMemoryStore::events_after(ChannelId ch, Seq after, int limit) {
  std::vector<LoggedEvent> out;
  for (const auto& e : events_) {
    if (e.channel_id != ch || e.seq <= after || static_cast<int>(out.size()) >= limit) continue;
    out.push_back(e);
    if (e.post) out.back().post = *find_post(e.post->id);
  }
  return out;
}

std::vector<SearchHit> InMemoryStore::search(const std::vector<std::string>& words,
                                             const std::vector<ChannelId>& channels, int limit) {
  std::vector<SearchHit> out;
  for (const auto& p : posts_) {
    if (p.deleted || static_cast<int>(out.size()) >= limit) continue;
    if (std::find(channels.begin(), channels.end(), p.channel_id) == channels.end()) continue;
    const bool all = std::all_of(words.begin(), words.end(), [&](const std::string& w) {
      return p.body.find(w) != std::string::npos;
    });
    if (all) out.push_back(SearchHit{p, p.body});
  }
  return out;
}

}  // namespace staffroom::testing
