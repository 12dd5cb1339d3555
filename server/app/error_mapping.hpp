// Maps domain error kinds to the protocol's fixed error codes.
#pragma once

#include "domain/error.hpp"
#include "protocol/error_code.hpp"

namespace staffroom::app {

protocol::ErrorCode to_code(domain::ErrorKind kind);

}  // namespace staffroom::app
