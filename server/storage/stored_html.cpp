#include "storage/stored_html.hpp"

#include "storage/database.hpp"

namespace staffroom::storage {
namespace {
constexpr std::string_view kOpen = "<p>";
constexpr std::string_view kClose = "</p>\n";
}  // namespace

std::string_view StoredHtml::store(std::string_view body, std::string_view html) {
  // No renderer gives this; stored as it is it would read back as a paragraph of the body.
  if (html == kOneParagraph) throw StorageError("a post's HTML cannot be the stored marker 'p'");
  const bool one_paragraph =
      !body.empty() && html.size() == kOpen.size() + body.size() + kClose.size() &&
      html.substr(0, kOpen.size()) == kOpen && html.substr(kOpen.size(), body.size()) == body &&
      html.substr(kOpen.size() + body.size()) == kClose;
  return one_paragraph ? kOneParagraph : html;
}

std::string StoredHtml::load(std::string_view body, std::string stored) {
  if (stored != kOneParagraph) return stored;
  std::string html;
  html.reserve(kOpen.size() + body.size() + kClose.size());
  html += kOpen;
  html += body;
  html += kClose;
  return html;
}

}  // namespace staffroom::storage
