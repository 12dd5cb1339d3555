// Full-text search over posts (SQLite FTS5), with safe queries and escaped snippets.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "domain/types.hpp"

namespace staffroom::storage {

class Connection;

/// The FTS5 MATCH string for raw user words: each word quoted on its own (inner `"` doubled),
/// so FTS syntax (AND, NEAR, *, -, parentheses, quotes) is plain text. Empty words are
/// skipped; no words at all give an empty string.
std::string fts_match_query(const std::vector<std::string>& words);

/// The marks FTS5's snippet() puts around each match: control characters the protocol refuses
/// in post bodies, so they cannot come from user text.
inline constexpr char snippet_open = '\x02';
inline constexpr char snippet_close = '\x03';

/// HTML-escapes a raw snippet (& < > " ') and then turns the marks into <mark> and </mark>.
std::string snippet_html(std::string_view raw);

/// The search query of SqliteReader, on its read connection.
class PostSearch {
 public:
  explicit PostSearch(Connection& connection) : connection_(connection) {}

  /// Undeleted posts of `channels` containing every word, best (bm25) first, at most `limit`.
  std::vector<domain::SearchHit> search(const std::vector<std::string>& words,
                                        const std::vector<domain::ChannelId>& channels, int limit);

 private:
  Connection& connection_;
};

}  // namespace staffroom::storage
