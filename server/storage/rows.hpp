// How domain values map to and from rows: enum spellings and the shared post projection.
#pragma once

#include <string>
#include <string_view>

#include "domain/types.hpp"

namespace staffroom::storage {

class Statement;

using domain::role_name;
/// Throws StorageError on a spelling the schema's CHECK should have prevented.
domain::Role parse_role(std::string_view name);
std::string_view visibility_name(domain::Visibility visibility);
domain::Visibility parse_visibility(std::string_view name);

/// "SELECT <post columns with author> FROM posts p JOIN users u ... " followed by `rest`
/// (a WHERE / ORDER BY clause that may refer to p.* and u.*).
std::string select_posts(std::string_view rest);

/// Reads the columns select_posts() produced from the statement's current row.
domain::Post read_post(const Statement& row);

}  // namespace staffroom::storage
