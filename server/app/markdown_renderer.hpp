// Renders post Markdown to safe HTML with cmark-gfm (autolinks, strikethrough, tables).
#pragma once

#include <string>
#include <string_view>

namespace staffroom::app {

/// Markdown → HTML in cmark-gfm's safe mode: raw HTML and unsafe link schemes are dropped.
class MarkdownRenderer {
 public:
  MarkdownRenderer();
  /// Thread-safe: each call builds its own parser.
  std::string render(std::string_view markdown) const;
};

}  // namespace staffroom::app
