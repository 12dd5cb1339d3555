#include "app/markdown_renderer.hpp"

#include <cmark-gfm-core-extensions.h>
#include <cmark-gfm-extension_api.h>
#include <cmark-gfm.h>

#include <algorithm>
#include <cstdlib>
#include <memory>
#include <mutex>

#include "app/plain_text_html.hpp"

namespace staffroom::app {
namespace {

constexpr const char* kExtensions[] = {"autolink", "strikethrough", "table"};
constexpr std::size_t kHandleMin = 3, kHandleMax = 32;

void register_extensions_once() {
  // Without this the extension lookups silently return NULL (no tables, no autolinks).
  static std::once_flag once;
  std::call_once(once, [] { cmark_gfm_core_extensions_ensure_registered(); });
}

bool handle_char(char c) {
  const auto u = static_cast<unsigned char>(c);
  return std::isalnum(u) != 0 || c == '_' || c == '.' || c == '-';
}

bool inside_link(cmark_node* node) {
  for (auto* p = cmark_node_parent(node); p != nullptr; p = cmark_node_parent(p)) {
    // Image alt text too: a mention there would notify without showing a link.
    if (cmark_node_get_type(p) == CMARK_NODE_LINK || cmark_node_get_type(p) == CMARK_NODE_IMAGE) {
      return true;
    }
  }
  return false;
}

cmark_node* text_node(const std::string& text) {
  auto* node = cmark_node_new(CMARK_NODE_TEXT);
  cmark_node_set_literal(node, text.c_str());
  return node;
}

/// Splits one text node around its mentions, inserting link nodes before it.
void link_mentions(cmark_node* node, const MarkdownRenderer::IsHandle& is_handle,
                   std::vector<std::string>& found) {
  const std::string text = cmark_node_get_literal(node);
  std::size_t done = 0;  // text before this index has been moved out already
  for (std::size_t at = text.find('@'); at != std::string::npos; at = text.find('@', at + 1)) {
    if (at > 0 && handle_char(text[at - 1])) continue;  // an e-mail address, not a mention
    std::size_t end = at + 1;
    while (end < text.size() && handle_char(text[end]) && end - at - 1 < kHandleMax) ++end;
    while (end > at + 1 && (text[end - 1] == '.' || text[end - 1] == '-')) --end;
    std::string handle = text.substr(at + 1, end - at - 1);
    std::transform(handle.begin(), handle.end(), handle.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    if (handle.size() < kHandleMin || !is_handle(handle)) continue;
    if (at > done) cmark_node_insert_before(node, text_node(text.substr(done, at - done)));
    auto* link = cmark_node_new(CMARK_NODE_LINK);
    cmark_node_set_url(link, ("#/u/" + handle).c_str());
    cmark_node_append_child(link, text_node(text.substr(at, end - at)));
    cmark_node_insert_before(node, link);
    if (std::find(found.begin(), found.end(), handle) == found.end()) found.push_back(handle);
    done = end;
    at = end - 1;
  }
  if (done > 0) cmark_node_set_literal(node, text.substr(done).c_str());
}

}  // namespace

MarkdownRenderer::MarkdownRenderer(bool plain_lines) : plain_lines_(plain_lines) {
  register_extensions_once();
}

RenderedBody MarkdownRenderer::render(std::string_view markdown, const IsHandle& is_handle) const {
  // No '@' can be in a plain line, so it mentions nobody.
  if (plain_lines_) {
    if (auto html = plain_paragraph_html(markdown)) return RenderedBody{std::move(*html), {}};
  }
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
  RenderedBody out;
  if (is_handle && markdown.find('@') != std::string_view::npos) {
    // Collect first: the tree must not change under the iterator.
    std::vector<cmark_node*> texts;
    std::unique_ptr<cmark_iter, decltype(&cmark_iter_free)> it(cmark_iter_new(doc.get()),
                                                               &cmark_iter_free);
    for (auto ev = cmark_iter_next(it.get()); ev != CMARK_EVENT_DONE;
         ev = cmark_iter_next(it.get())) {
      auto* node = cmark_iter_get_node(it.get());
      if (ev == CMARK_EVENT_ENTER && cmark_node_get_type(node) == CMARK_NODE_TEXT &&
          !inside_link(node)) {
        texts.push_back(node);
      }
    }
    for (auto* node : texts) link_mentions(node, is_handle, out.mentions);
  }
  char* html =
      cmark_render_html(doc.get(), options, cmark_parser_get_syntax_extensions(parser.get()));
  out.html = html != nullptr ? html : "";
  std::free(html);
  return out;
}

}  // namespace staffroom::app
