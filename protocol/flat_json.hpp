// A JSON object of scalar fields, parsed in one pass without building a document.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace staffroom::protocol {

/// The fast path for request frames, which are almost always one flat object ({"id":7,
/// "op":"post.create","channel_id":3,"body":"…"}). parse() accepts only what it reads exactly
/// as nlohmann does: string keys, strings with the short escapes, integers of up to 18
/// digits, true, false and null, each key once. Anything else (nested values, fractions,
/// \u escapes, duplicate keys, invalid UTF-8, bad syntax) gives nothing, and the caller parses
/// the frame with nlohmann, which then decides (and words the errors) as it always has.
class FlatJsonObject {
 public:
  enum class Kind { string, integer, boolean, null };
  struct Field {
    std::string_view key;
    Kind kind = Kind::null;
    std::int64_t integer = 0;
    bool boolean = false;
    std::string_view raw;  // a string's value as the frame has it, between the quotes
    bool escaped = false;  // then the value is `unescaped`
    std::string unescaped;

    std::string_view text() const { return escaped ? std::string_view(unescaped) : raw; }
  };

  static std::optional<FlatJsonObject> parse(std::string_view text);

  /// The field named `key`, or null when there is none.
  const Field* find(std::string_view key) const;
  const std::vector<Field>& fields() const { return fields_; }

 private:
  std::vector<Field> fields_;
};

}  // namespace staffroom::protocol
