// The one place JSON from outside is parsed and validated into typed requests.
#pragma once

#include <string_view>
#include <variant>

#include "protocol/requests.hpp"

namespace staffroom::protocol {

/// Decodes one WebSocket text frame. Never throws.
std::variant<Request, DecodeError> decode_request(std::string_view frame);

/// Decodes the body of POST /api/register. Never throws.
std::variant<RegisterBody, DecodeError> decode_register(std::string_view body);

/// Decodes the body of POST /api/login. Never throws.
std::variant<LoginBody, DecodeError> decode_login(std::string_view body);

/// The ops the codec understands, for documentation and tests.
bool is_known_op(std::string_view op);

}  // namespace staffroom::protocol
