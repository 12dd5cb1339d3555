#include "app/plain_text_html.hpp"

#include <array>

namespace staffroom::app {

namespace {

// Bytes that mean nothing to Markdown inside a line. UTF-8 sequences (>= 0x80) pass through
// cmark as they are. '-' is plain except at the start of a line (a bullet or a rule).
constexpr auto kPlain = [] {
  std::array<bool, 256> plain{};
  for (int c = 0x80; c < 0x100; ++c) plain[static_cast<std::size_t>(c)] = true;
  for (char c = 'a'; c <= 'z'; ++c) plain[static_cast<unsigned char>(c)] = true;
  for (char c = 'A'; c <= 'Z'; ++c) plain[static_cast<unsigned char>(c)] = true;
  for (char c = '0'; c <= '9'; ++c) plain[static_cast<unsigned char>(c)] = true;
  for (char c : std::string_view(" ,.?!'\"();-")) plain[static_cast<unsigned char>(c)] = true;
  return plain;
}();

bool www_before(std::string_view text, std::size_t dot) {
  if (dot < 3) return false;
  for (std::size_t i = dot - 3; i < dot; ++i) {
    if (text[i] != 'w' && text[i] != 'W') return false;
  }
  return true;
}

}  // namespace

std::optional<std::string> plain_paragraph_html(std::string_view text) {
  if (text.empty() || text.front() == ' ' || text.back() == ' ') return std::nullopt;
  const auto first = static_cast<unsigned char>(text.front());
  // A digit may open an ordered list ("1. ", "2) "), a '-' a bullet or a rule.
  if ((first >= '0' && first <= '9') || first == '-') return std::nullopt;
  bool quotes = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (!kPlain[c]) return std::nullopt;
    quotes = quotes || c == '"';
    // GFM's autolink extension links "www." without a scheme.
    if (c == '.' && www_before(text, i)) return std::nullopt;
    // Unicode white space at either end: cmark's rules for it are not worth copying here.
    if (c >= 0x80 && (i < 4 || i + 4 >= text.size())) return std::nullopt;
  }
  std::string html;
  html.reserve(text.size() + 16);
  html += "<p>";
  if (!quotes) {
    html += text;
  } else {
    for (const char c : text) {
      if (c == '"') {
        html += "&quot;";
      } else {
        html += c;
      }
    }
  }
  html += "</p>\n";
  return html;
}

}  // namespace staffroom::app
