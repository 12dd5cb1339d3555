// Full-text search over posts (SQLite FTS5), with safe queries and escaped snippets.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "domain/types.hpp"
#include "storage/search_progress.hpp"

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

/// The search query of SqliteReader, on its read connection, over the index file
/// (search_index_file.hpp), which it attaches as `search` on first use.
class PostSearch {
 public:
  /// With `progress`, a search first waits (at most kMostWait) until the index holds every post
  /// and edit committed before it began, so an author finds what they just posted.
  PostSearch(Connection& connection, std::string index_path, SearchProgress* progress)
      : connection_(connection), index_path_(std::move(index_path)), progress_(progress) {}

  /// Undeleted posts of `channels` containing every word, best (bm25) first, at most `limit`.
  /// Throws StorageError (also when the index file does not exist).
  std::vector<domain::SearchHit> search(const std::vector<std::string>& words,
                                        const std::vector<domain::ChannelId>& channels, int limit);

  /// Under a load that leaves the indexer no CPU, a search answers from what is indexed
  /// after this long rather than hold a read thread.
  static constexpr std::chrono::milliseconds kMostWait{500};
  /// An index this many posts behind is being built (after an upgrade or a restore): a search
  /// answers at once from what it holds, as waiting would not let it catch up.
  static constexpr std::int64_t kMostBehind = 20000;

 private:
  Connection& connection_;
  std::string index_path_;
  SearchProgress* progress_;
  bool attached_ = false;
};

}  // namespace staffroom::storage
