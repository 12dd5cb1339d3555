// Reads typed fields out of a parsed JSON object, remembering the first problem.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "protocol/flat_json.hpp"

namespace staffroom::protocol {

/// Typed, bounded access to one JSON object's fields (a parsed document, or a flat object
/// read on the fast path); the first failure wins.
class FieldReader {
 public:
  explicit FieldReader(const nlohmann::json& object) : json_(&object) {}
  explicit FieldReader(const FlatJsonObject& object) : flat_(&object) {}

  /// An id-like integer 0 <= n < 2^53.
  std::int64_t id(std::string_view name);
  std::optional<std::int64_t> optional_id(std::string_view name);
  std::optional<std::int64_t> optional_int(std::string_view name, std::int64_t min,
                                           std::int64_t max);
  /// A UTF-8 string of min..max code points; control characters refused unless multiline.
  std::string text(std::string_view name, std::size_t min, std::size_t max, bool multiline = false);
  std::optional<std::string> optional_text(std::string_view name, std::size_t min, std::size_t max,
                                           bool multiline = false);

  /// A string field as it is, unchecked; nothing when missing or not a string.
  std::optional<std::string_view> unchecked_text(std::string_view name) const;

  std::optional<bool> optional_bool(std::string_view name);
  bool boolean(std::string_view name);
  /// A nested value (an array or object) of a parsed document; nullptr when missing, null or
  /// read from a flat object, which holds only scalars.
  const nlohmann::json* raw(std::string_view name) const;

  bool failed() const { return !error_.empty(); }
  const std::string& error() const { return error_; }
  void fail(std::string message);

 private:
  // One field's value, whichever source it came from.
  struct Value {
    enum class Kind { integer, unsigned_integer, boolean, string, other } kind = Kind::other;
    std::int64_t integer = 0;
    std::uint64_t unsigned_integer = 0;
    bool boolean = false;
    std::string_view text;
  };
  /// Nothing when the field is missing or null.
  std::optional<Value> find(std::string_view name) const;
  std::string checked_text(std::string_view name, const Value& value, std::size_t min,
                           std::size_t max, bool multiline);

  const nlohmann::json* json_ = nullptr;
  const FlatJsonObject* flat_ = nullptr;
  std::string error_;
};

}  // namespace staffroom::protocol
