// The schema's steps, oldest first: the SQL that brings a database file from one version to
// the next (schema.cpp applies them).
#pragma once

#include <string>
#include <vector>

namespace staffroom::storage {

/// Step N (1-based) brings PRAGMA user_version from N-1 to N.
const std::vector<std::string>& migrations();

}  // namespace staffroom::storage
