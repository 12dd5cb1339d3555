#include "app/error_mapping.hpp"

#include <algorithm>

namespace staffroom::app {

protocol::ErrorCode to_code(domain::ErrorKind kind) {
  using K = domain::ErrorKind;
  using C = protocol::ErrorCode;
  switch (kind) {
    case K::bad_request:
      return C::bad_request;
    case K::unauthorized:
      return C::unauthorized;
    case K::forbidden:
      return C::forbidden;
    case K::not_found:
      return C::not_found;
    case K::conflict:
      return C::conflict;
    case K::too_large:
      return C::too_large;
    case K::rate_limited:
      return C::rate_limited;
    case K::unavailable:
      return C::unavailable;
    case K::internal:
      return C::internal;
  }
  return C::internal;
}

std::int64_t retry_after_seconds(const domain::Error& error) {
  if (error.kind != domain::ErrorKind::rate_limited) return 0;
  return std::max<std::int64_t>(1, (error.retry_after_ms + 999) / 1000);
}

}  // namespace staffroom::app
