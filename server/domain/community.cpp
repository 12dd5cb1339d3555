#include "domain/community.hpp"

#include <algorithm>
#include <exception>
#include <utility>

#include "domain/commit.hpp"
#include "domain/guarded_read.hpp"

namespace staffroom::domain {
Community::Community(ChannelDirectory& directory, const Accounts& accounts, Writer& writer,
                     Lane& home, ReadLane& reads, const Clock& clock, Notifier& notifier)
    : directory_(directory),
      accounts_(accounts),
      access_(directory, accounts),
      writer_(writer),
      home_(home),
      reads_(reads),
      clock_(clock),
      notifier_(notifier) {}

void Community::list_channels(UserId user, bool include_archived,
                              Done<std::vector<ChannelInfo>> done) {
  std::vector<ChannelInfo> infos;
  std::vector<Seq> markers;
  for (const auto* channel : directory_.visible_channels(user)) {
    if (channel->archived && !include_archived) continue;
    infos.push_back(channel_info(directory_, *channel, user));
    markers.push_back(directory_.read_seq(channel->id, user));
  }
  reads_.post([user, infos = std::move(infos), markers = std::move(markers),
               done = std::move(done)](Reader& reader) mutable {
    guarded_read(done, [&] {
      for (std::size_t i = 0; i < infos.size(); ++i) {
        const auto& c = infos[i].channel;
        if (infos[i].member && c.last_seq > markers[i]) {
          infos[i].unread = reader.unread(c.id, user, markers[i]);
          infos[i].mentions = reader.unread_mentions(c.id, user, markers[i]);
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
  commit_then(writer_, home_, change, [this, change, user, done = std::move(done)](Committed c) {
    if (c.error) return done(*c.error);
    Channel channel{
        c.id,      change.slug, change.title, change.description, change.visibility, user,
        change.at, c.seq,       false};
    directory_.add_channel(channel);
    directory_.add_member(channel.id, user, Role::owner, c.read_seq);
    auto joined = channel_info(directory_, channel, user);
    if (const auto* u = accounts_.find(user)) {
      notifier_.member_joined(joined, c.seq, *u, std::nullopt, directory_.members(channel.id));
    }
    done(std::move(joined));
  });
}

void Community::mark_read(UserId user, ChannelId channel, Seq seq, Done<ChannelInfo> done) {
  auto member = access_.member(channel, user);
  if (!member.ok()) return done(member.error());
  commit_then(writer_, home_, MarkRead{channel, user, seq},
              [this, user, channel, done = std::move(done)](Committed c) mutable {
                if (c.error) return done(*c.error);
                directory_.set_read_seq(channel, user, c.read_seq);
                const auto* ch = directory_.find(channel);
                if (ch == nullptr) return done(channel_not_found(channel));
                auto result = channel_info(directory_, *ch, user);
                const auto marker = directory_.read_seq(channel, user);
                reads_.post([result = std::move(result), marker, user,
                             done = std::move(done)](Reader& reader) mutable {
                  guarded_read(done, [&] {
                    result.unread = reader.unread(result.channel.id, user, marker);
                    result.mentions = reader.unread_mentions(result.channel.id, user, marker);
                    done(std::move(result));
                  });
                });
              });
}

void Community::update(UserId user, ChannelId channel, std::optional<std::string> title,
                       std::optional<std::string> description, Done<ChannelInfo> done) {
  auto seen = access_.visible(channel, user);
  if (!seen.ok()) return done(seen.error());
  if (!access_.moderates(channel, user) && !access_.is_admin(user)) {
    return done(Error::of(ErrorKind::forbidden, "only the channel's owners and moderators can"));
  }
  change_channel(
      user,
      UpdateChannel{channel, std::move(title), std::move(description), std::nullopt, clock_.now()},
      std::move(done));
}

void Community::archive(UserId user, ChannelId channel, bool archived, Done<ChannelInfo> done) {
  auto seen = access_.visible(channel, user);
  if (!seen.ok()) return done(seen.error());
  if (!access_.owns(channel, user) && !access_.is_admin(user)) {
    return done(Error::of(ErrorKind::forbidden, "only the channel's owners can archive it"));
  }
  change_channel(user, UpdateChannel{channel, std::nullopt, std::nullopt, archived, clock_.now()},
                 std::move(done));
}

void Community::change_channel(UserId user, UpdateChannel change, Done<ChannelInfo> done) {
  const auto channel = change.channel_id;
  commit_then(writer_, home_, std::move(change),
              [this, user, channel, done = std::move(done)](Committed c) {
                if (c.error) return done(*c.error);
                if (c.changed && c.channel) {
                  directory_.replace_channel(*c.channel);
                  const auto* ch = directory_.find(channel);
                  // Everyone receives the channel's own fields; per-viewer ones are a member's.
                  auto shared = channel_info(directory_, *ch, 0);
                  shared.member = true;
                  shared.role = Role::member;
                  notifier_.channel_updated(shared, c.seq, directory_.members(channel));
                }
                const auto* ch = directory_.find(channel);
                if (ch == nullptr) return done(channel_not_found(channel));
                done(channel_info(directory_, *ch, user));
              });
}

Result<std::vector<MemberInfo>> Community::members(UserId user, ChannelId channel) const {
  auto seen = access_.visible(channel, user);
  if (!seen.ok()) return seen.error();
  std::vector<MemberInfo> out;
  for (auto id : directory_.members(channel)) {
    const auto* u = accounts_.find(id);
    const auto role = directory_.role(channel, id);
    if (u != nullptr && role) out.push_back(MemberInfo{*u, *role});
  }
  std::sort(out.begin(), out.end(), [](const MemberInfo& a, const MemberInfo& b) {
    return a.user.display_name != b.user.display_name ? a.user.display_name < b.user.display_name
                                                      : a.user.id < b.user.id;
  });
  return out;
}

}  // namespace staffroom::domain
