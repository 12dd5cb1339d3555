// A direct JSON writer for the hot frames (posts), byte for byte what nlohmann's dump() writes.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace staffroom::protocol {

/// Appends JSON values to a string without building a document first. Strings are escaped as
/// json_views::dump() escapes them (UTF-8 kept as is, control characters as \uXXXX, invalid
/// UTF-8 replaced), so a frame written here equals the nlohmann-built one with its keys in
/// the same (sorted) order. Punctuation and keys are the caller's, through raw().
class JsonText {
 public:
  explicit JsonText(std::size_t reserve = 256) { out_.reserve(reserve); }

  /// Text that is already JSON: punctuation, keys, pre-encoded values.
  JsonText& raw(std::string_view json) {
    out_.append(json);
    return *this;
  }
  JsonText& string(std::string_view text);
  JsonText& integer(std::int64_t value);
  JsonText& boolean(bool value) { return raw(value ? "true" : "false"); }
  JsonText& null() { return raw("null"); }
  /// A string, or null when there is none.
  JsonText& string_or_null(const std::optional<std::string>& text) {
    return text ? string(*text) : null();
  }
  /// An integer, or null when there is none.
  JsonText& integer_or_null(std::optional<std::int64_t> value) {
    return value ? integer(*value) : null();
  }

  std::string take() { return std::move(out_); }

 private:
  std::string out_;
};

}  // namespace staffroom::protocol
