// Maps domain error kinds to the protocol's fixed error codes.
#pragma once

#include "domain/error.hpp"
#include "protocol/error_code.hpp"

namespace staffroom::app {

protocol::ErrorCode to_code(domain::ErrorKind kind);
/// Whole seconds to wait (at least 1) for a rate_limited error, else 0.
std::int64_t retry_after_seconds(const domain::Error& error);

}  // namespace staffroom::app
