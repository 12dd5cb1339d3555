#include "protocol/flat_json.hpp"

#include "protocol/utf8.hpp"
#include "protocol/word_bytes.hpp"

namespace staffroom::protocol {
namespace {

constexpr std::size_t kMaxFields = 32;

// A cursor over the frame; every read that does not match gives up on the fast path.
class Scanner {
 public:
  explicit Scanner(std::string_view text) : text_(text) {}

  bool at_end() const { return pos_ == text_.size(); }
  char peek() const { return at_end() ? '\0' : text_[pos_]; }
  bool take(char c) {
    if (peek() != c) return false;
    ++pos_;
    return true;
  }
  bool take(std::string_view word) {
    if (text_.substr(pos_, word.size()) != word) return false;
    pos_ += word.size();
    return true;
  }
  void skip_space() {
    while (!at_end()) {
      const char c = text_[pos_];
      if (c != ' ' && c != '\t' && c != '\n' && c != '\r') return;
      ++pos_;
    }
  }

  /// A string after its opening quote: its bytes as written, and whether it had escapes.
  /// Gives nothing for a raw control character, a \u escape or a missing closing quote.
  std::optional<std::string_view> string(bool& escaped) {
    const std::size_t start = pos_;
    escaped = false;
    for (;;) {
      // Skip eight bytes at a time while none is a quote, a backslash or a control character.
      while (pos_ + 8 <= text_.size()) {
        if (word_bytes::any_json_special(word_bytes::load(text_.data() + pos_))) break;
        pos_ += 8;
      }
      if (at_end()) return std::nullopt;
      const auto c = static_cast<unsigned char>(text_[pos_]);
      if (c == '"') break;
      if (c < 0x20) return std::nullopt;
      if (c == '\\') {
        if (pos_ + 1 >= text_.size()) return std::nullopt;
        if (text_[pos_ + 1] == 'u') return std::nullopt;  // nlohmann decides surrogates
        escaped = true;
        pos_ += 2;
        continue;
      }
      ++pos_;
    }
    const auto raw = text_.substr(start, pos_ - start);
    ++pos_;  // the closing quote
    if (!utf8_length(raw)) return std::nullopt;
    return raw;
  }

  /// An integer of 1-18 digits (no fraction or exponent follows); -0 is left to nlohmann.
  std::optional<std::int64_t> integer() {
    const bool negative = take('-');
    const std::size_t start = pos_;
    std::int64_t value = 0;
    while (!at_end() && text_[pos_] >= '0' && text_[pos_] <= '9') {
      value = value * 10 + (text_[pos_] - '0');
      ++pos_;
      if (pos_ - start > 18) return std::nullopt;
    }
    const std::size_t digits = pos_ - start;
    if (digits == 0 || (digits > 1 && text_[start] == '0')) return std::nullopt;
    if (negative && value == 0) return std::nullopt;
    const char next = peek();
    if (next == '.' || next == 'e' || next == 'E') return std::nullopt;
    return negative ? -value : value;
  }

 private:
  std::string_view text_;
  std::size_t pos_ = 0;
};

// The short escapes' values; \u never reaches here.
std::optional<std::string> unescape(std::string_view raw) {
  std::string out;
  out.reserve(raw.size());
  for (std::size_t i = 0; i < raw.size(); ++i) {
    if (raw[i] != '\\') {
      out.push_back(raw[i]);
      continue;
    }
    switch (raw[++i]) {
      case '"':
        out.push_back('"');
        break;
      case '\\':
        out.push_back('\\');
        break;
      case '/':
        out.push_back('/');
        break;
      case 'b':
        out.push_back('\b');
        break;
      case 'f':
        out.push_back('\f');
        break;
      case 'n':
        out.push_back('\n');
        break;
      case 'r':
        out.push_back('\r');
        break;
      case 't':
        out.push_back('\t');
        break;
      default:
        return std::nullopt;  // not JSON: nlohmann words the error
    }
  }
  return out;
}

}  // namespace

std::optional<FlatJsonObject> FlatJsonObject::parse(std::string_view text) {
  Scanner in(text);
  FlatJsonObject object;
  object.fields_.reserve(8);  // a request's usual count, so the vector grows once
  in.skip_space();
  if (!in.take('{')) return std::nullopt;
  in.skip_space();
  if (!in.take('}')) {
    for (;;) {
      Field field;
      bool escaped = false;
      if (!in.take('"')) return std::nullopt;
      const auto key = in.string(escaped);
      // An escaped key is left to nlohmann; a repeated one too (its last value wins there).
      // Requests have a handful of fields: many more go to nlohmann rather than make the
      // repeat check quadratic.
      if (!key || escaped || object.fields_.size() >= kMaxFields || object.find(*key) != nullptr) {
        return std::nullopt;
      }
      field.key = *key;
      in.skip_space();
      if (!in.take(':')) return std::nullopt;
      in.skip_space();
      const char c = in.peek();
      if (c == '"') {
        in.take('"');
        const auto value = in.string(field.escaped);
        if (!value) return std::nullopt;
        field.kind = Kind::string;
        field.raw = *value;
        if (field.escaped) {
          auto unescaped = unescape(*value);
          if (!unescaped) return std::nullopt;
          field.unescaped = std::move(*unescaped);
        }
      } else if (c == '-' || (c >= '0' && c <= '9')) {
        const auto value = in.integer();
        if (!value) return std::nullopt;
        field.kind = Kind::integer;
        field.integer = *value;
      } else if (in.take("true") || in.take("false")) {
        field.kind = Kind::boolean;
        field.boolean = c == 't';
      } else if (in.take("null")) {
        field.kind = Kind::null;
      } else {
        return std::nullopt;  // a nested object or array, or not JSON
      }
      object.fields_.push_back(std::move(field));
      in.skip_space();
      if (in.take('}')) break;
      if (!in.take(',')) return std::nullopt;
      in.skip_space();
    }
  }
  in.skip_space();
  if (!in.at_end()) return std::nullopt;
  return object;
}

const FlatJsonObject::Field* FlatJsonObject::find(std::string_view key) const {
  for (const auto& field : fields_) {
    if (field.key == key) return &field;
  }
  return nullptr;
}

}  // namespace staffroom::protocol
