#include "app/markdown_renderer.hpp"

#include <cmark-gfm-core-extensions.h>
#include <cmark-gfm-extension_api.h>
#include <cmark-gfm.h>

#include <cstdlib>
#include <memory>
#include <mutex>

namespace staffroom::app {
namespace {

constexpr const char* kExtensions[] = {"autolink", "strikethrough", "table"};

void register_extensions_once() {
  // Without this the extension lookups silently return NULL (no tables, no autolinks).
  static std::once_flag once;
  std::call_once(once, [] { cmark_gfm_core_extensions_ensure_registered(); });
}

}  // namespace

MarkdownRenderer::MarkdownRenderer() { register_extensions_once(); }

std::string MarkdownRenderer::render(std::string_view markdown) const {
  // CMARK_OPT_DEFAULT is safe mode in this cmark-gfm (CMARK_OPT_UNSAFE is not set).
  const int options = CMARK_OPT_DEFAULT | CMARK_OPT_STRIKETHROUGH_DOUBLE_TILDE;
  std::unique_ptr<cmark_parser, decltype(&cmark_parser_free)> parser(cmark_parser_new(options),
                                                                     &cmark_parser_free);
  for (const char* name : kExtensions) {
    if (auto* ext = cmark_find_syntax_extension(name)) {
      cmark_parser_attach_syntax_extension(parser.get(), ext);
    }
  }
  cmark_parser_feed(parser.get(), markdown.data(), markdown.size());
  std::unique_ptr<cmark_node, decltype(&cmark_node_free)> doc(cmark_parser_finish(parser.get()),
                                                              &cmark_node_free);
  char* html =
      cmark_render_html(doc.get(), options, cmark_parser_get_syntax_extensions(parser.get()));
  std::string out = html != nullptr ? html : "";
  std::free(html);
  return out;
}

}  // namespace staffroom::app
