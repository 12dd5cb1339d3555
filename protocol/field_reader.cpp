#include "protocol/field_reader.hpp"

#include "protocol/limits.hpp"
#include "protocol/utf8.hpp"

namespace staffroom::protocol {

void FieldReader::fail(std::string message) {
  if (error_.empty()) error_ = std::move(message);
}

const nlohmann::json* FieldReader::find(std::string_view name) const {
  auto it = object_.find(name);
  if (it == object_.end() || it->is_null()) return nullptr;
  return &*it;
}

std::optional<std::int64_t> FieldReader::optional_int(std::string_view name, std::int64_t min,
                                                      std::int64_t max) {
  const auto* value = find(name);
  if (value == nullptr) return std::nullopt;
  if (!value->is_number_integer()) {
    fail("'" + std::string(name) + "' must be an integer");
    return std::nullopt;
  }
  // Unsigned values above int64's range are stored as number_unsigned; compare safely.
  if (value->is_number_unsigned() &&
      value->get<std::uint64_t>() > static_cast<std::uint64_t>(max)) {
    fail("'" + std::string(name) + "' must be at most " + std::to_string(max));
    return std::nullopt;
  }
  const auto n = value->get<std::int64_t>();
  if (n < min || n > max) {
    fail("'" + std::string(name) + "' must be between " + std::to_string(min) + " and " +
         std::to_string(max));
    return std::nullopt;
  }
  return n;
}

std::optional<std::int64_t> FieldReader::optional_id(std::string_view name) {
  return optional_int(name, 0, limits::kMaxId);
}

std::optional<bool> FieldReader::optional_bool(std::string_view name) {
  const auto* value = find(name);
  if (value == nullptr) return std::nullopt;
  if (!value->is_boolean()) {
    fail("'" + std::string(name) + "' must be true or false");
    return std::nullopt;
  }
  return value->get<bool>();
}

bool FieldReader::boolean(std::string_view name) {
  if (find(name) == nullptr) {
    fail("'" + std::string(name) + "' is required");
    return false;
  }
  return optional_bool(name).value_or(false);
}

std::int64_t FieldReader::id(std::string_view name) {
  if (find(name) == nullptr) {
    fail("'" + std::string(name) + "' is required");
    return 0;
  }
  return optional_id(name).value_or(0);
}

std::string FieldReader::checked_text(std::string_view name, const nlohmann::json& value,
                                      std::size_t min, std::size_t max, bool multiline) {
  if (!value.is_string()) {
    fail("'" + std::string(name) + "' must be a string");
    return {};
  }
  const auto& s = value.get_ref<const std::string&>();
  const auto length = utf8_length(s);
  if (!length) {
    fail("'" + std::string(name) + "' is not valid UTF-8");
    return {};
  }
  if (*length < min || *length > max) {
    fail("'" + std::string(name) + "' must be " + std::to_string(min) + "–" + std::to_string(max) +
         " characters (got " + std::to_string(*length) + ")");
    return {};
  }
  if (has_control_characters(s, multiline)) {
    fail("'" + std::string(name) + "' contains control characters");
    return {};
  }
  return s;
}

std::string FieldReader::text(std::string_view name, std::size_t min, std::size_t max,
                              bool multiline) {
  const auto* value = find(name);
  if (value == nullptr) {
    fail("'" + std::string(name) + "' is required");
    return {};
  }
  return checked_text(name, *value, min, max, multiline);
}

std::optional<std::string> FieldReader::optional_text(std::string_view name, std::size_t min,
                                                      std::size_t max, bool multiline) {
  const auto* value = find(name);
  if (value == nullptr) return std::nullopt;
  auto s = checked_text(name, *value, min, max, multiline);
  if (failed()) return std::nullopt;
  return s;
}

}  // namespace staffroom::protocol
