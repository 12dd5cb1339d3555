// Typed failures of domain operations; the app maps each kind to a protocol error code.
#pragma once

#include <string>
#include <utility>

#include "domain/types.hpp"

namespace staffroom::domain {

enum class ErrorKind {
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

/// A failure with its kind and a message fit to show a person.
struct Error {
  ErrorKind kind = ErrorKind::internal;
  std::string message;
  /// For rate_limited: how long to wait before trying again, in milliseconds.
  Timestamp retry_after_ms = 0;

  static Error of(ErrorKind kind, std::string message) {
    return Error{kind, std::move(message), 0};
  }
};

}  // namespace staffroom::domain
