// The HTML cmark gives a one-line paragraph of plain text, without running cmark.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace staffroom::app {

/// `<p>text</p>\n`, byte for byte what cmark-gfm renders, for one line that no Markdown or GFM
/// rule can touch: letters, digits, spaces and plain punctuation (no emphasis, code, link,
/// autolink, mention, entity, list or heading marker). Nothing for anything else, which goes
/// to cmark. Most chat lines are like this, and cmark costs a third of handling a post.
std::optional<std::string> plain_paragraph_html(std::string_view text);

}  // namespace staffroom::app
