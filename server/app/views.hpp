// Maps domain objects to the protocol's wire views.
#pragma once

#include "domain/channel_info.hpp"
#include "domain/types.hpp"
#include "protocol/views.hpp"

namespace staffroom::app {

protocol::UserView user_view(const domain::User& user);
protocol::ChannelView channel_view(const domain::ChannelInfo& info);
protocol::MemberView member_view(const domain::MemberInfo& member);
protocol::PostView post_view(const domain::Post& post);
std::vector<protocol::PostView> post_views(const std::vector<domain::Post>& posts);

}  // namespace staffroom::app
