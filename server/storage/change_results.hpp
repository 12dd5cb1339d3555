// Helpers the change handlers share: typed failures and existence checks.
#pragma once

#include <string>

#include "domain/changes.hpp"

namespace staffroom::storage {

class Connection;

/// A rule the change broke: the writer rolls its savepoint back.
domain::Committed failed(domain::ErrorKind kind, std::string message);
domain::Committed no_user(domain::UserId user);
domain::Committed no_channel(domain::ChannelId channel);
domain::Committed no_post(domain::PostId post);
/// Success that wrote nothing (changed = false, no seq).
domain::Committed unchanged();

bool user_exists(Connection& connection, domain::UserId user);
bool channel_exists(Connection& connection, domain::ChannelId channel);

}  // namespace staffroom::storage
