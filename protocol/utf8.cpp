#include "protocol/utf8.hpp"

#include <cstdint>

#include "protocol/word_bytes.hpp"

namespace staffroom::protocol {

std::optional<std::size_t> utf8_length(std::string_view text) {
  std::size_t count = 0;
  std::size_t i = 0;
  const std::size_t n = text.size();
  while (i < n) {
    // Eight ASCII bytes at a time: most text is mostly ASCII, and every frame, field and
    // encoded string passes through here.
    if (i + 8 <= n && !word_bytes::any_high(word_bytes::load(text.data() + i))) {
      i += 8;
      count += 8;
      continue;
    }
    const auto lead = static_cast<std::uint8_t>(text[i]);
    std::size_t extra = 0;
    std::uint32_t cp = 0;
    if (lead < 0x80) {
      cp = lead;
    } else if ((lead & 0xE0) == 0xC0) {
      extra = 1;
      cp = lead & 0x1Fu;
    } else if ((lead & 0xF0) == 0xE0) {
      extra = 2;
      cp = lead & 0x0Fu;
    } else if ((lead & 0xF8) == 0xF0) {
      extra = 3;
      cp = lead & 0x07u;
    } else {
      return std::nullopt;
    }
    if (extra > 0 && i + extra >= n) return std::nullopt;
    for (std::size_t k = 1; k <= extra; ++k) {
      const auto cont = static_cast<std::uint8_t>(text[i + k]);
      if ((cont & 0xC0) != 0x80) return std::nullopt;
      cp = (cp << 6) | (cont & 0x3Fu);
    }
    // Reject overlong encodings, UTF-16 surrogates and values past Unicode's range.
    static constexpr std::uint32_t kMin[] = {0, 0x80, 0x800, 0x10000};
    if (cp < kMin[extra] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return std::nullopt;
    i += extra + 1;
    ++count;
  }
  return count;
}

bool has_control_characters(std::string_view text, bool allow_newlines) {
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (i + 8 <= text.size()) {
      // A word of printable ASCII (no byte below 0x20, no DEL, no high bit) has none.
      const auto w = word_bytes::load(text.data() + i);
      if (!word_bytes::any_high(w) && !word_bytes::any_below(w, 0x20) &&
          !word_bytes::any_equal(w, 0x7F)) {
        i += 7;
        continue;
      }
    }
    const auto c = static_cast<std::uint8_t>(text[i]);
    if (c == '\t' || ((c == '\n' || c == '\r') && allow_newlines)) continue;
    if (c < 0x20 || c == 0x7F) return true;
    // C1 controls U+0080..U+009F are encoded as C2 80..C2 9F.
    if (c == 0xC2 && i + 1 < text.size()) {
      const auto next = static_cast<std::uint8_t>(text[i + 1]);
      if (next >= 0x80 && next <= 0x9F) return true;
    }
  }
  return false;
}

bool is_blank(std::string_view text) {
  for (char c : text) {
    if (c != ' ' && c != '\t' && c != '\n' && c != '\r' && c != '\f' && c != '\v') return false;
  }
  return true;
}

}  // namespace staffroom::protocol
