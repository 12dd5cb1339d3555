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
  const bool one_paragraph = !body.empty() &&
                             html.size() == kOpen.size() + body.size() + kClose.size() &&
                             html.starts_with(kOpen) && html.ends_with(kClose) &&
                             html.substr(kOpen.size(), body.size()) == body;
  return one_paragraph ? kOneParagraph : html;
}

std::string StoredHtml::load(std::string_view body, std::string stored) {
  if (stored != kOneParagraph) return stored;
  std::string html;
  html.reserve(kOpen.size() + body.size() + kClose.size());
  html.append(kOpen).append(body).append(kClose);
  return html;  // by name: returning append()'s reference would copy
}

}  // namespace staffroom::storage
