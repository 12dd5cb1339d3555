#include "domain/community.hpp"

#include <exception>
#include <utility>

namespace staffroom::domain {
namespace {

Error channel_not_found(ChannelId id) {
  return Error::of(ErrorKind::not_found, "channel " + std::to_string(id) + " not found");
}

// A read that throws still answers its caller, with `internal`.
template <class T, class F>
void guarded(Done<T>& done, F&& read) {
  try {
    read();
  } catch (const std::exception& e) {
    done(Error::of(ErrorKind::internal, std::string("storage read failed: ") + e.what()));
  }
}

}  // namespace

Community::Community(ChannelDirectory& directory, const Accounts& accounts, Writer& writer,
                     Lane& home, ReadLane& reads, const Clock& clock, Notifier& notifier,
                     RateLimiter post_limiter)
    : directory_(directory),
      accounts_(accounts),
      writer_(writer),
      home_(home),
      reads_(reads),
      clock_(clock),
      notifier_(notifier),
      post_limiter_(post_limiter) {}

Result<const Channel*> Community::check_visible(ChannelId channel, UserId user) const {
  const auto* found = directory_.find(channel);
  if (found == nullptr || !directory_.visible_to(*found, user)) return channel_not_found(channel);
  return found;
}

Result<const Channel*> Community::check_member(ChannelId channel, UserId user) const {
  auto visible = check_visible(channel, user);
  if (!visible.ok()) return visible;
  if (!directory_.role(channel, user)) {
    return Error::of(ErrorKind::forbidden, "join channel " + std::to_string(channel) + " first");
  }
  return visible;
}

ChannelInfo Community::info(const Channel& channel, UserId user) const {
  ChannelInfo out;
  out.channel = channel;
  out.role = directory_.role(channel.id, user);
  out.member = out.role.has_value();
  out.member_count = static_cast<std::int64_t>(directory_.member_count(channel.id));
  return out;
}

void Community::list_channels(UserId user, Done<std::vector<ChannelInfo>> done) {
  std::vector<ChannelInfo> infos;
  std::vector<Seq> markers;
  for (const auto* channel : directory_.visible_channels(user)) {
    infos.push_back(info(*channel, user));
    markers.push_back(directory_.read_seq(channel->id, user));
  }
  reads_.post([user, infos = std::move(infos), markers = std::move(markers),
               done = std::move(done)](Reader& reader) mutable {
    guarded(done, [&] {
      for (std::size_t i = 0; i < infos.size(); ++i) {
        const auto& c = infos[i].channel;
        if (infos[i].member && c.last_seq > markers[i]) {
          infos[i].unread = reader.unread(c.id, user, markers[i]);
        }
      }
      done(std::move(infos));
    });
  });
}

void Community::create_channel(UserId user, ChannelInput input, Done<ChannelInfo> done) {
  if (directory_.slug_taken(input.slug)) {
    return done(
        Error::of(ErrorKind::conflict, "channel slug '" + input.slug + "' is already taken"));
  }
  NewChannel change{input.slug,       input.title, input.description,
                    input.visibility, user,        clock_.now()};
  writer_.append(change, [this, change, user, done = std::move(done)](Committed c) mutable {
    home_.post([this, change = std::move(change), user, done = std::move(done), c]() {
      if (c.error) return done(*c.error);
      Channel channel{c.id, change.slug, change.title, change.description, change.visibility,
                      user, change.at,   c.seq};
      directory_.add_channel(channel);
      directory_.add_member(channel.id, user, Role::owner, c.read_seq);
      auto joined = info(channel, user);
      if (const auto* u = accounts_.find(user)) {
        notifier_.member_joined(joined, c.seq, *u, directory_.members(channel.id));
      }
      done(std::move(joined));
    });
  });
}

void Community::join(UserId user, ChannelId channel, Done<ChannelInfo> done) {
  const auto* found = directory_.find(channel);
  // Private channels are joined by invitation only; to others they do not exist.
  if (found == nullptr || found->visibility == Visibility::private_) {
    if (found == nullptr || !directory_.role(channel, user))
      return done(channel_not_found(channel));
  }
  if (directory_.role(channel, user)) return done(info(*found, user));
  writer_.append(JoinChannel{channel, user, Role::member, clock_.now()},
                 [this, user, channel, done = std::move(done)](Committed c) mutable {
                   home_.post([this, user, channel, done = std::move(done), c]() {
                     if (c.error) return done(*c.error);
                     const auto* ch = directory_.find(channel);
                     if (ch == nullptr) return done(channel_not_found(channel));
                     if (c.changed) {
                       directory_.add_member(channel, user, Role::member, c.read_seq);
                       directory_.set_last_seq(channel, c.seq);
                     }
                     auto joined = info(*ch, user);
                     const auto* u = accounts_.find(user);
                     if (c.changed && u != nullptr) {
                       notifier_.member_joined(joined, c.seq, *u, directory_.members(channel));
                     }
                     done(std::move(joined));
                   });
                 });
}

void Community::leave(UserId user, ChannelId channel, Done<ChannelInfo> done) {
  auto visible = check_visible(channel, user);
  if (!visible.ok()) return done(visible.error());
  if (!directory_.role(channel, user)) return done(info(*visible.value(), user));
  writer_.append(LeaveChannel{channel, user, clock_.now()},
                 [this, user, channel, done = std::move(done)](Committed c) mutable {
                   home_.post([this, user, channel, done = std::move(done), c]() {
                     if (c.error) return done(*c.error);
                     const auto* ch = directory_.find(channel);
                     if (ch == nullptr) return done(channel_not_found(channel));
                     if (c.changed) {
                       // The leaver hears it too, so their other tabs drop the channel.
                       const auto recipients = directory_.members(channel);
                       directory_.remove_member(channel, user);
                       directory_.set_last_seq(channel, c.seq);
                       if (const auto* u = accounts_.find(user)) {
                         notifier_.member_left(channel, c.seq, *u, recipients);
                       }
                     }
                     done(info(*ch, user));
                   });
                 });
}

void Community::mark_read(UserId user, ChannelId channel, Seq seq, Done<ChannelInfo> done) {
  auto member = check_member(channel, user);
  if (!member.ok()) return done(member.error());
  writer_.append(MarkRead{channel, user, seq},
                 [this, user, channel, done = std::move(done)](Committed c) mutable {
                   home_.post([this, user, channel, done = std::move(done), c]() mutable {
                     if (c.error) return done(*c.error);
                     directory_.set_read_seq(channel, user, c.read_seq);
                     const auto* ch = directory_.find(channel);
                     if (ch == nullptr) return done(channel_not_found(channel));
                     auto result = info(*ch, user);
                     const auto marker = directory_.read_seq(channel, user);
                     reads_.post([result = std::move(result), marker, user,
                                  done = std::move(done)](Reader& reader) mutable {
                       guarded(done, [&] {
                         if (result.member)
                           result.unread = reader.unread(result.channel.id, user, marker);
                         done(std::move(result));
                       });
                     });
                   });
                 });
}

void Community::create_post(UserId user, PostInput input, Done<PostCreated> done) {
  auto member = check_member(input.channel_id, user);
  if (!member.ok()) return done(member.error());
  const auto* author = accounts_.find(user);
  if (author == nullptr) return done(Error::of(ErrorKind::unauthorized, "unknown user"));
  if (const auto wait = post_limiter_.take(user, clock_.now()); wait > 0) {
    auto error = Error::of(ErrorKind::rate_limited, "posting too fast; wait a moment");
    error.retry_after_ms = wait;
    return done(std::move(error));
  }
  NewPost change{input.channel_id,      author_of(*author),    input.thread_id,
                 std::move(input.body), std::move(input.html), std::move(input.client_id),
                 clock_.now()};
  writer_.append(std::move(change), [this, done = std::move(done)](Committed c) mutable {
    home_.post([this, done = std::move(done), c = std::move(c)]() mutable {
      if (c.error) return done(*c.error);
      if (!c.post) return done(Error::of(ErrorKind::internal, "post missing after commit"));
      if (!c.duplicate) {
        directory_.set_last_seq(c.post->channel_id, c.post->seq);
        notifier_.post_created(*c.post, directory_.members(c.post->channel_id));
      }
      done(PostCreated{std::move(*c.post), c.duplicate});
    });
  });
}

void Community::history(UserId user, ChannelId channel, std::optional<Seq> after_seq,
                        std::optional<Seq> before_seq, int limit, Done<HistoryPage> done) {
  auto visible = check_visible(channel, user);
  if (!visible.ok()) return done(visible.error());
  reads_.post([=, done = std::move(done)](Reader& reader) mutable {
    guarded(done, [&] { done(reader.history(channel, after_seq, before_seq, limit)); });
  });
}

void Community::thread(UserId user, PostId post, Done<Thread> done) {
  reads_.post([this, user, post, done = std::move(done)](Reader& reader) mutable {
    std::optional<Thread> found;
    try {
      found = reader.thread(post);
    } catch (const std::exception& e) {
      return done(Error::of(ErrorKind::internal, std::string("storage read failed: ") + e.what()));
    }
    // Visibility is decided on the home lane, which owns the membership model.
    home_.post([this, user, post, found = std::move(found), done = std::move(done)]() mutable {
      if (!found || !check_visible(found->root.channel_id, user).ok()) {
        return done(Error::of(ErrorKind::not_found, "post " + std::to_string(post) + " not found"));
      }
      done(std::move(*found));
    });
  });
}

}  // namespace staffroom::domain
