// Renders post Markdown to safe HTML with cmark-gfm (autolinks, strikethrough, tables) and
// turns @handle mentions of known accounts into links.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace staffroom::app {

/// The HTML of a post and the handles it mentions (lowercase, each once, in order).
struct RenderedBody {
  std::string html;
  std::vector<std::string> mentions;
};

/// Markdown → HTML in cmark-gfm's safe mode: raw HTML and unsafe link schemes are dropped.
class MarkdownRenderer {
 public:
  using IsHandle = std::function<bool(const std::string&)>;

  /// `plain_lines` off sends every body through cmark (the reference the fast path is tested
  /// against); on, a plain one-line body skips it (plain_paragraph_html).
  explicit MarkdownRenderer(bool plain_lines = true);
  /// Thread-safe: each call builds its own parser. `@handle` outside code and links becomes
  /// `<a href="#/u/handle">@handle</a>` when `is_handle(handle)`.
  RenderedBody render(std::string_view markdown, const IsHandle& is_handle = {}) const;

 private:
  bool plain_lines_;
};

}  // namespace staffroom::app
