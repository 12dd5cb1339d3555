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
  CHECK(
      contains(md.render("see https://example.org now").html, "<a href=\"https://example.org\">"));
  CHECK(contains(md.render("~~old~~").html, "<del>old</del>"));
  CHECK(contains(md.render("|a|b|\n|-|-|\n|1|2|").html, "<table>"));
  CHECK(contains(md.render("**Q1** what?").html, "<strong>Q1</strong>"));
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
    const auto html = md.render(attack).html;
    CHECK_FALSE(contains(html, "<script"));
    CHECK_FALSE(contains(html, "<img"));
    CHECK_FALSE(contains(html, "<svg"));
    CHECK_FALSE(contains(html, "onerror="));
    CHECK_FALSE(contains(html, "href=\"javascript"));
    CHECK_FALSE(contains(html, "href=\"JaVaScRiPt"));
    CHECK_FALSE(contains(html, "href=\"vbscript"));
  }
}

TEST_CASE("@mentions of known handles become links, outside code and links only", "[app]") {
  MarkdownRenderer md;
  auto known = [](const std::string& h) { return h == "ana" || h == "ben.k"; };
  struct Case {
    const char* body;
    std::vector<std::string> mentions;
    const char* html_part;
  };
  const Case cases[] = {
      {"hi @ana!", {"ana"}, "<a href=\"#/u/ana\">@ana</a>!"},
      {"@Ana and @ben.k.", {"ana", "ben.k"}, "<a href=\"#/u/ben.k\">@ben.k</a>."},
      {"mail ana@ana.org", {}, "ana@ana.org"},
      {"`@ana` in code", {}, "<code>@ana</code>"},
      {"```\n@ana\n```", {}, "@ana"},
      {"[@ana](https://example.org)", {}, "<a href=\"https://example.org\">@ana</a>"},
      {"@nobody here", {}, "@nobody here"},
      {"![@ana](x.png)", {}, "alt=\"@ana\""},
      {"@ana @ana twice", {"ana"}, "<a href=\"#/u/ana\">@ana</a> <a href=\"#/u/ana\">@ana</a>"},
  };
  for (const auto& c : cases) {
    INFO(c.body);
    const auto out = md.render(c.body, known);
    CHECK(out.mentions == c.mentions);
    CHECK(contains(out.html, c.html_part));
  }
}
