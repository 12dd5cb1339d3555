// Reads typed fields out of a parsed JSON object, remembering the first problem.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

namespace staffroom::protocol {

/// Typed, bounded access to one JSON object's fields; the first failure wins.
class FieldReader {
 public:
  explicit FieldReader(const nlohmann::json& object) : object_(object) {}

  /// An id-like integer 0 <= n < 2^53.
  std::int64_t id(std::string_view name);
  std::optional<std::int64_t> optional_id(std::string_view name);
  std::optional<std::int64_t> optional_int(std::string_view name, std::int64_t min,
                                           std::int64_t max);
  /// A UTF-8 string of min..max code points; control characters refused unless multiline.
  std::string text(std::string_view name, std::size_t min, std::size_t max, bool multiline = false);
  std::optional<std::string> optional_text(std::string_view name, std::size_t min, std::size_t max,
                                           bool multiline = false);

  std::optional<bool> optional_bool(std::string_view name);
  bool boolean(std::string_view name);
  /// The raw value of a field (nullptr when missing or null), for nested structures.
  const nlohmann::json* raw(std::string_view name) const { return find(name); }

  bool failed() const { return !error_.empty(); }
  const std::string& error() const { return error_; }
  void fail(std::string message);

 private:
  const nlohmann::json* find(std::string_view name) const;
  std::string checked_text(std::string_view name, const nlohmann::json& value, std::size_t min,
                           std::size_t max, bool multiline);

  const nlohmann::json& object_;
  std::string error_;
};

}  // namespace staffroom::protocol
