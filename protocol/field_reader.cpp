#include "protocol/field_reader.hpp"

#include "protocol/limits.hpp"
#include "protocol/utf8.hpp"

namespace staffroom::protocol {

void FieldReader::fail(std::string message) {
  if (error_.empty()) error_ = std::move(message);
}

const nlohmann::json* FieldReader::raw(std::string_view name) const {
  if (json_ == nullptr) return nullptr;
  auto it = json_->find(name);
  if (it == json_->end() || it->is_null()) return nullptr;
  return &*it;
}

std::optional<FieldReader::Value> FieldReader::find(std::string_view name) const {
  using Kind = Value::Kind;
  Value value;
  if (flat_ != nullptr) {
    const auto* field = flat_->find(name);
    if (field == nullptr || field->kind == FlatJsonObject::Kind::null) return std::nullopt;
    switch (field->kind) {
      case FlatJsonObject::Kind::string:
        value.kind = Kind::string;
        value.text = field->text();
        break;
      case FlatJsonObject::Kind::integer:
        value.kind = Kind::integer;
        value.integer = field->integer;
        break;
      default:
        value.kind = Kind::boolean;
        value.boolean = field->boolean;
    }
    return value;
  }
  const auto* json = raw(name);
  if (json == nullptr) return std::nullopt;
  if (json->is_number_unsigned()) {
    value.kind = Kind::unsigned_integer;
    value.unsigned_integer = json->get<std::uint64_t>();
  } else if (json->is_number_integer()) {
    value.kind = Kind::integer;
    value.integer = json->get<std::int64_t>();
  } else if (json->is_boolean()) {
    value.kind = Kind::boolean;
    value.boolean = json->get<bool>();
  } else if (json->is_string()) {
    value.kind = Kind::string;
    value.text = json->get_ref<const std::string&>();
  }
  return value;
}

std::optional<std::int64_t> FieldReader::optional_int(std::string_view name, std::int64_t min,
                                                      std::int64_t max) {
  auto value = find(name);
  if (!value) return std::nullopt;
  if (value->kind == Value::Kind::unsigned_integer) {
    // nlohmann keeps non-negative integers unsigned (up to 2^64-1): compare without casting.
    if (value->unsigned_integer > static_cast<std::uint64_t>(max)) {
      fail("'" + std::string(name) + "' must be at most " + std::to_string(max));
      return std::nullopt;
    }
    value->integer = static_cast<std::int64_t>(value->unsigned_integer);
  } else if (value->kind != Value::Kind::integer) {
    fail("'" + std::string(name) + "' must be an integer");
    return std::nullopt;
  }
  const auto n = value->integer;
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

std::optional<std::string_view> FieldReader::unchecked_text(std::string_view name) const {
  const auto value = find(name);
  if (!value || value->kind != Value::Kind::string) return std::nullopt;
  return value->text;
}

std::optional<bool> FieldReader::optional_bool(std::string_view name) {
  const auto value = find(name);
  if (!value) return std::nullopt;
  if (value->kind != Value::Kind::boolean) {
    fail("'" + std::string(name) + "' must be true or false");
    return std::nullopt;
  }
  return value->boolean;
}

bool FieldReader::boolean(std::string_view name) {
  if (!find(name)) {
    fail("'" + std::string(name) + "' is required");
    return false;
  }
  return optional_bool(name).value_or(false);
}

std::int64_t FieldReader::id(std::string_view name) {
  if (!find(name)) {
    fail("'" + std::string(name) + "' is required");
    return 0;
  }
  return optional_id(name).value_or(0);
}

std::string FieldReader::checked_text(std::string_view name, const Value& value, std::size_t min,
                                      std::size_t max, bool multiline) {
  if (value.kind != Value::Kind::string) {
    fail("'" + std::string(name) + "' must be a string");
    return {};
  }
  const auto s = value.text;
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
  return std::string(s);
}

std::string FieldReader::text(std::string_view name, std::size_t min, std::size_t max,
                              bool multiline) {
  const auto value = find(name);
  if (!value) {
    fail("'" + std::string(name) + "' is required");
    return {};
  }
  return checked_text(name, *value, min, max, multiline);
}

std::optional<std::string> FieldReader::optional_text(std::string_view name, std::size_t min,
                                                      std::size_t max, bool multiline) {
  const auto value = find(name);
  if (!value) return std::nullopt;
  auto s = checked_text(name, *value, min, max, multiline);
  if (failed()) return std::nullopt;
  return s;
}

}  // namespace staffroom::protocol
