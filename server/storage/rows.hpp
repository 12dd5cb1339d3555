// How domain values map to and from rows: enum spellings and the shared post and channel
// projections (every Post storage hands out carries its reactions).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/types.hpp"

namespace staffroom::storage {

class Connection;
class Statement;

using domain::role_name;
/// Throws StorageError on a spelling the schema's CHECK should have prevented.
domain::Role parse_role(std::string_view name);
std::string_view visibility_name(domain::Visibility visibility);
domain::Visibility parse_visibility(std::string_view name);

/// The columns read_post() reads, in its order, from posts `p` joined to users `u`; for
/// queries that build their own FROM clause and add columns after these.
std::string_view post_columns();
/// Columns read_post() leaves for the caller start at this index.
inline constexpr int post_column_count = 14;

/// "SELECT <post columns with author> FROM posts p JOIN users u ... " followed by `rest`
/// (a WHERE / ORDER BY clause that may refer to p.* and u.*).
std::string select_posts(std::string_view rest);

/// Reads the columns select_posts() produced from the statement's current row (no reactions:
/// see attach_reactions).
domain::Post read_post(const Statement& row);

/// "SELECT <channel columns> FROM channels " followed by `rest`.
std::string select_channels(std::string_view rest);
domain::Channel read_channel(const Statement& row);

/// Fills `post.reactions` from the reactions table: emojis in the order first used, users in
/// the order they reacted.
void attach_reactions(Connection& connection, domain::Post& post);
void attach_reactions(Connection& connection, std::vector<domain::Post>& posts);

/// One post with its reactions, deleted or not; nothing if there is no such post.
std::optional<domain::Post> load_post(Connection& connection, domain::PostId id);

/// `ids` as a JSON array ("[1,2]"), bound as one parameter and read back with json_each, so a
/// list of any length fits one cached statement.
std::string json_id_list(const std::vector<std::int64_t>& ids);

/// One channel, or nothing.
std::optional<domain::Channel> load_channel(Connection& connection, domain::ChannelId id);

}  // namespace staffroom::storage
