// Markdown is rendered once, safely, with the GFM extensions teachers use.
#include <catch2/catch.hpp>

#include "app/markdown_renderer.hpp"

using staffroom::app::MarkdownRenderer;

namespace {
bool contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}
}  // namespace

TEST_CASE("GFM extensions are on: autolinks, strikethrough, tables", "[app]") {
  MarkdownRenderer md;
  CHECK(contains(md.render("see https://example.org now"), "<a href=\"https://example.org\">"));
  CHECK(contains(md.render("~~old~~"), "<del>old</del>"));
  CHECK(contains(md.render("|a|b|\n|-|-|\n|1|2|"), "<table>"));
  CHECK(contains(md.render("**Q1** what?"), "<strong>Q1</strong>"));
}

TEST_CASE("safe mode drops raw HTML and unsafe link schemes", "[app]") {
  MarkdownRenderer md;
  const char* attacks[] = {
      "<script>alert(1)</script>",
      "<img src=x onerror=alert(1)>",
      "<svg onload=alert(1)>",
      "[x](javascript:alert(1))",
      "[x](JaVaScRiPt:alert(1))",
      "[x](vbscript:msgbox)",
      "<a href=\"javascript:alert(1)\">x</a>",
  };
  for (const char* attack : attacks) {
    INFO(attack);
    const auto html = md.render(attack);
    CHECK_FALSE(contains(html, "<script"));
    CHECK_FALSE(contains(html, "<img"));
    CHECK_FALSE(contains(html, "<svg"));
    CHECK_FALSE(contains(html, "onerror="));
    CHECK_FALSE(contains(html, "href=\"javascript"));
    CHECK_FALSE(contains(html, "href=\"JaVaScRiPt"));
    CHECK_FALSE(contains(html, "href=\"vbscript"));
  }
}
