// Markdown is rendered once, safely, with the GFM extensions teachers use.
#include <catch2/catch.hpp>

#include <random>
#include <string>
#include <vector>

#include "app/markdown_renderer.hpp"
#include "app/plain_text_html.hpp"

using staffroom::app::MarkdownRenderer;
using staffroom::app::plain_paragraph_html;

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

TEST_CASE("a plain line skips cmark and renders exactly as cmark does", "[app]") {
  const MarkdownRenderer fast;
  const MarkdownRenderer cmark(false);
  for (const std::string line : {"Hello world", "LDMK 12 345 1790000000 xxxx",
                                 "What's \"new\" (today)?", "well-known; yes!"}) {
    INFO(line);
    REQUIRE(plain_paragraph_html(line));
    CHECK(*plain_paragraph_html(line) == cmark.render(line).html);
    CHECK(fast.render(line).html == cmark.render(line).html);
  }
  // Lines some rule touches go to cmark.
  for (const std::string line :
       {"1. first", "- item", "see www.example.org", "**bold**", "a @ana b", "a <b> c", "x & y",
        "# head", "> quote", "a\nb", " lead", "trail ", "a_b_c", "`code`", "a|b", "~~x~~", ""}) {
    INFO(line);
    CHECK_FALSE(plain_paragraph_html(line));
  }
}

TEST_CASE("whatever line the plain path renders, cmark renders the same", "[app]") {
  // Random lines from an alphabet of plain and Markdown-significant bytes and UTF-8 (a
  // no-break space, an accent, an emoji): the fast path may give up on any, but where it
  // answers it must equal cmark, byte for byte.
  const MarkdownRenderer cmark(false);
  const std::vector<std::string> alphabet = {"a",    "b",        "c",        "d",
                                             "e",    "W",        "w",        "w",
                                             ".",    "0",        "7",        " ",
                                             " ",    ",",        "?",        "!",
                                             "'",    "\"",       "(",        ")",
                                             ";",    "-",        "*",        "_",
                                             "`",    "[",        "]",        "<",
                                             ">",    "&",        "#",        "|",
                                             "~",    ":",        "/",        "\\",
                                             "@",    "=",        "+",        "\t",
                                             "\n",   "\xC2\xA0", "\xC3\xA9", "\xF0\x9F\x98\x80",
                                             "www.", "http://",  "1.",       "2)"};
  std::mt19937 random(1123);
  int plain = 0;
  for (int round = 0; round < 20000; ++round) {
    std::string line;
    const auto pieces = 1 + random() % 16;
    for (std::size_t i = 0; i < pieces; ++i) line += alphabet[random() % alphabet.size()];
    const auto html = plain_paragraph_html(line);
    if (!html) continue;
    ++plain;
    INFO(line);
    CHECK(*html == cmark.render(line).html);
  }
  CHECK(plain > 600);  // enough lines took the fast path for the comparison to mean something
}
