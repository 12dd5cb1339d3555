// How a post's rendered HTML is kept in posts.html without repeating its body.
#pragma once

#include <string>
#include <string_view>

namespace staffroom::storage {

/// Most posts are one line of plain text, rendered as `<p>` + body + `</p>\n`: kept as it
/// is, the HTML nearly doubled each post's row, and so the pages every commit and checkpoint
/// writes. posts.html holds kOneParagraph for those, and the rendering itself for the rest.
/// The marker cannot be a rendering: cmark's output is empty or ends with a newline. The HTML
/// is rebuilt from the body as it is then: whatever writes posts.body writes posts.html too.
class StoredHtml {
 public:
  static constexpr std::string_view kOneParagraph = "p";

  /// What goes into posts.html for a post with this body and rendering. Throws StorageError
  /// for a rendering that is the marker itself, which no renderer gives.
  static std::string_view store(std::string_view body, std::string_view html);
  /// The rendering back from what posts.html holds.
  static std::string load(std::string_view body, std::string stored);
};

}  // namespace staffroom::storage
