// Runs a storage read so that a failure still answers the caller (with `internal`).
#pragma once

#include <exception>
#include <functional>
#include <string>

#include "domain/result.hpp"

namespace staffroom::domain {

/// Calls `read`; if it throws, `done` receives an internal error instead of never being called.
template <class T, class F>
void guarded_read(std::function<void(Result<T>)>& done, F&& read) {
  try {
    read();
  } catch (const std::exception& e) {
    done(Error::of(ErrorKind::internal, std::string("storage read failed: ") + e.what()));
  }
}

}  // namespace staffroom::domain
