// The fixed error codes of the wire contract and their HTTP statuses.
#pragma once

#include <optional>
#include <string_view>

namespace staffroom::protocol {

enum class ErrorCode {
  bad_request,
  unauthorized,
  forbidden,
  not_found,
  conflict,
  too_large,
  rate_limited,
  unavailable,
  internal
};

/// The code's wire name, e.g. "not_found".
std::string_view error_name(ErrorCode code);
/// The HTTP status that goes with the code (400, 401, ...).
int http_status(ErrorCode code);

}  // namespace staffroom::protocol
