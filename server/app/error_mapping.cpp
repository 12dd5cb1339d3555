#include "app/error_mapping.hpp"

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

}  // namespace staffroom::app
