#include "protocol/json_text.hpp"

#include <charconv>
#include <nlohmann/json.hpp>

#include "protocol/utf8.hpp"
#include "protocol/word_bytes.hpp"

namespace staffroom::protocol {

JsonText& JsonText::string(std::string_view text) {
  if (!utf8_length(text)) {
    // Invalid UTF-8 never passes the codec; whatever slips through is replaced as before.
    out_.append(nlohmann::json(std::string(text))
                    .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
    return *this;
  }
  static constexpr char kHex[] = "0123456789abcdef";
  out_.push_back('"');
  std::size_t plain = 0;  // start of the run of bytes copied as they are
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (i + 8 <= text.size()) {
      // Skip a word at once when none of its bytes needs escaping (the usual case).
      if (!word_bytes::any_json_special(word_bytes::load(text.data() + i))) {
        i += 7;
        continue;
      }
    }
    const auto c = static_cast<unsigned char>(text[i]);
    if (c >= 0x20 && c != '"' && c != '\\') continue;
    out_.append(text.substr(plain, i - plain));
    plain = i + 1;
    switch (c) {
      case '"':
        out_.append("\\\"");
        break;
      case '\\':
        out_.append("\\\\");
        break;
      case '\b':
        out_.append("\\b");
        break;
      case '\f':
        out_.append("\\f");
        break;
      case '\n':
        out_.append("\\n");
        break;
      case '\r':
        out_.append("\\r");
        break;
      case '\t':
        out_.append("\\t");
        break;
      default: {
        const char escaped[] = {'\\', 'u', '0', '0', kHex[c >> 4], kHex[c & 0xF]};
        out_.append(escaped, sizeof escaped);
      }
    }
  }
  out_.append(text.substr(plain));
  out_.push_back('"');
  return *this;
}

JsonText& JsonText::integer(std::int64_t value) {
  char buffer[24];
  const auto end = std::to_chars(buffer, buffer + sizeof buffer, value).ptr;
  out_.append(buffer, static_cast<std::size_t>(end - buffer));
  return *this;
}

}  // namespace staffroom::protocol
