#include "app/channel_ops.hpp"

#include "app/views.hpp"

namespace staffroom::app::ops {
namespace {

domain::Done<domain::ChannelInfo> answer_channel(OpContext& ctx, const Call& call) {
  return answer<domain::ChannelInfo>(
      call, ctx.metrics, [](std::int64_t id, const domain::ChannelInfo& info) {
        return protocol::encode_channel_reply(id, channel_view(info));
      });
}

domain::Done<domain::MemberInfo> answer_member(OpContext& ctx, const Call& call) {
  return answer<domain::MemberInfo>(call, ctx.metrics,
                                    [](std::int64_t id, const domain::MemberInfo& m) {
                                      return protocol::encode_member_reply(id, member_view(m));
                                    });
}

domain::Role parse_role(const std::string& name) {
  if (name == "owner") return domain::Role::owner;
  if (name == "moderator") return domain::Role::moderator;
  return domain::Role::member;  // the codec admits only these three
}

}  // namespace

void channel_create(OpContext& ctx, Call call) {
  const auto& r = std::get<protocol::ChannelCreate>(call.request.body);
  domain::ChannelInput input{
      r.slug, r.title, r.description,
      r.is_private ? domain::Visibility::private_ : domain::Visibility::public_};
  at_home(ctx, std::move(call), [&ctx, input = std::move(input)](auto user, Call& c) mutable {
    ctx.core.community.create_channel(user, std::move(input), answer_channel(ctx, c));
  });
}

void channel_list(OpContext& ctx, Call call) {
  const auto archived = std::get<protocol::ChannelList>(call.request.body).archived;
  at_home(ctx, std::move(call), [&ctx, archived](auto user, Call& c) {
    ctx.core.community.list_channels(
        user, archived,
        answer<std::vector<domain::ChannelInfo>>(
            c, ctx.metrics, [](std::int64_t id, const std::vector<domain::ChannelInfo>& infos) {
              std::vector<protocol::ChannelView> views;
              views.reserve(infos.size());
              for (const auto& info : infos) views.push_back(channel_view(info));
              return protocol::encode_channels_reply(id, views);
            }));
  });
}

void channel_join(OpContext& ctx, Call call) {
  const auto channel = std::get<protocol::ChannelJoin>(call.request.body).channel_id;
  at_home(ctx, std::move(call), [&ctx, channel](auto user, Call& c) {
    ctx.core.membership.join(user, channel, answer_channel(ctx, c));
  });
}

void channel_leave(OpContext& ctx, Call call) {
  const auto channel = std::get<protocol::ChannelLeave>(call.request.body).channel_id;
  at_home(ctx, std::move(call), [&ctx, channel](auto user, Call& c) {
    ctx.core.membership.leave(user, channel, answer_channel(ctx, c));
  });
}

void channel_read(OpContext& ctx, Call call) {
  const auto r = std::get<protocol::ChannelRead>(call.request.body);
  at_home(ctx, std::move(call), [&ctx, r](auto user, Call& c) {
    ctx.core.community.mark_read(user, r.channel_id, r.seq, answer_channel(ctx, c));
  });
}

void channel_update(OpContext& ctx, Call call) {
  auto r = std::get<protocol::ChannelUpdate>(call.request.body);
  at_home(ctx, std::move(call), [&ctx, r = std::move(r)](auto user, Call& c) mutable {
    ctx.core.community.update(user, r.channel_id, std::move(r.title), std::move(r.description),
                              answer_channel(ctx, c));
  });
}

void channel_archive(OpContext& ctx, Call call) {
  const auto r = std::get<protocol::ChannelArchive>(call.request.body);
  at_home(ctx, std::move(call), [&ctx, r](auto user, Call& c) {
    ctx.core.community.archive(user, r.channel_id, r.archived, answer_channel(ctx, c));
  });
}

void channel_members(OpContext& ctx, Call call) {
  const auto channel = std::get<protocol::ChannelMembers>(call.request.body).channel_id;
  at_home(ctx, std::move(call), [&ctx, channel](auto user, Call& c) {
    auto members = ctx.core.community.members(user, channel);
    if (!members.ok()) return send_error(c, members.error(), ctx.metrics);
    std::vector<protocol::MemberView> views;
    for (const auto& m : members.value()) views.push_back(member_view(m));
    send_frame(*c.connection, protocol::encode_members_reply(c.request.id, views));
  });
}

void channel_invite(OpContext& ctx, Call call) {
  const auto r = std::get<protocol::ChannelInvite>(call.request.body);
  at_home(ctx, std::move(call), [&ctx, r](auto user, Call& c) {
    ctx.core.membership.invite(user, r.channel_id, r.user_id, answer_member(ctx, c));
  });
}

void channel_remove(OpContext& ctx, Call call) {
  const auto r = std::get<protocol::ChannelRemove>(call.request.body);
  at_home(ctx, std::move(call), [&ctx, r](auto user, Call& c) {
    ctx.core.membership.remove(user, r.channel_id, r.user_id, answer_channel(ctx, c));
  });
}

void channel_set_role(OpContext& ctx, Call call) {
  const auto r = std::get<protocol::ChannelSetRole>(call.request.body);
  at_home(ctx, std::move(call), [&ctx, r](auto user, Call& c) {
    ctx.core.membership.set_role(user, r.channel_id, r.user_id, parse_role(r.role),
                                 answer_member(ctx, c));
  });
}

void user_search(OpContext& ctx, Call call) {
  auto r = std::get<protocol::UserSearch>(call.request.body);
  at_home(ctx, std::move(call), [&ctx, r = std::move(r)](auto, Call& c) {
    std::vector<protocol::UserView> views;
    for (const auto& u : ctx.core.accounts.search(r.q, static_cast<std::size_t>(r.limit))) {
      views.push_back(user_view(u));
    }
    send_frame(*c.connection, protocol::encode_users_reply(c.request.id, views));
  });
}

}  // namespace staffroom::app::ops
