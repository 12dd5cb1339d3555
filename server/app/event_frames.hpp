// Builds the event frames of channel changes, for live fan-out and for catch-up replay alike.
#pragma once

#include <optional>
#include <string>

#include "app/event_bus.hpp"
#include "domain/catch_up.hpp"
#include "domain/channel_info.hpp"
#include "domain/types.hpp"

namespace staffroom::app::event_frames {

std::string post_created(const domain::Post& post, domain::Seq seq);
std::string post_edited(const domain::Post& post, domain::Seq seq);
std::string post_deleted(const domain::Post& post, domain::Seq seq);
std::string post_reacted(const domain::Post& post, domain::Seq seq, domain::UserId user,
                         const std::string& emoji, bool on);
std::string member_joined(const domain::ChannelInfo& joined, domain::Seq seq,
                          const domain::User& user, std::optional<domain::UserId> invited_by);
std::string member_left(domain::ChannelId channel, domain::Seq seq, const domain::User& user,
                        std::optional<domain::UserId> removed_by);
std::string member_updated(domain::ChannelId channel, domain::Seq seq, const domain::User& user,
                           domain::Role role);
std::string channel_updated(const domain::ChannelInfo& channel, domain::Seq seq);

/// The frame a logged event replays as, or nothing when what it refers to is gone.
std::optional<std::string> replay(const domain::ReplayEvent& item);

}  // namespace staffroom::app::event_frames
