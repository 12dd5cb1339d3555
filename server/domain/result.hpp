// A value or a domain Error, returned through completion callbacks.
#pragma once

#include <utility>
#include <variant>

#include "domain/error.hpp"

namespace staffroom::domain {

/// Holds either the result of an operation or why it failed.
template <class T>
class Result {
 public:
  Result(T value) : v_(std::move(value)) {}      // NOLINT: implicit by design, like std::expected
  Result(Error error) : v_(std::move(error)) {}  // NOLINT

  bool ok() const { return v_.index() == 0; }
  T& value() { return std::get<0>(v_); }
  const T& value() const { return std::get<0>(v_); }
  const Error& error() const { return std::get<1>(v_); }

 private:
  std::variant<T, Error> v_;
};

}  // namespace staffroom::domain
