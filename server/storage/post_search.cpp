#include "storage/post_search.hpp"

#include "storage/database.hpp"
#include "storage/rows.hpp"
#include "storage/search_index_file.hpp"

namespace staffroom::storage {

std::string fts_match_query(const std::vector<std::string>& words) {
  std::string query;
  for (const std::string& word : words) {
    if (word.empty()) continue;
    if (!query.empty()) query += ' ';
    query += '"';
    for (const char c : word) {
      if (c == '"') query += '"';
      // A NUL would end the query string early inside FTS5; it is never part of a word.
      if (c != '\0') query += c;
    }
    query += '"';
  }
  return query;
}

std::string snippet_html(std::string_view raw) {
  std::string html;
  html.reserve(raw.size() + raw.size() / 4);
  for (const char c : raw) {
    switch (c) {
      case '&':
        html += "&amp;";
        break;
      case '<':
        html += "&lt;";
        break;
      case '>':
        html += "&gt;";
        break;
      case '"':
        html += "&quot;";
        break;
      case '\'':
        html += "&#39;";
        break;
      case snippet_open:
        html += "<mark>";
        break;
      case snippet_close:
        html += "</mark>";
        break;
      default:
        html += c;
    }
  }
  return html;
}

std::vector<domain::SearchHit> PostSearch::search(const std::vector<std::string>& words,
                                                  const std::vector<domain::ChannelId>& channels,
                                                  int limit) {
  std::vector<domain::SearchHit> hits;
  const std::string match = fts_match_query(words);
  if (match.empty() || channels.empty() || limit <= 0) return hits;
  static_assert(snippet_open == '\x02' && snippet_close == '\x03',
                "the query below spells the marks char(2) and char(3)");
  // `rank` is FTS5's bm25() unless configured otherwise, which this schema never does.
  std::string sql = "SELECT ";
  sql += post_columns();
  sql +=
      ", snippet(posts_fts, 0, char(2), char(3), '…', 12) "
      "FROM search.posts_fts JOIN posts p ON p.id = posts_fts.rowid "
      "JOIN users u ON u.id = p.author_id "
      "WHERE posts_fts MATCH ?1 AND p.deleted = 0 "
      "AND p.channel_id IN (SELECT value FROM json_each(?2)) "
      "ORDER BY posts_fts.rank LIMIT ?3";
  if (!attached_) {
    auto attach = connection_.query("ATTACH DATABASE ?1 AS search");
    attach->bind_text(1, index_path_);
    attach->run();
    attached_ = true;
  }
  if (progress_ != nullptr) {
    const SearchMark target = newest_committed(connection_);
    if (target.post - progress_->indexed().post <= kMostBehind) {
      progress_->wait_for(target, kMostWait);
    }
  }
  Transaction transaction(connection_, Transaction::Kind::deferred);
  {
    auto query = connection_.query(sql);
    query->bind_text(1, match).bind_text(2, json_id_list(channels)).bind_int64(3, limit);
    while (query->step()) {
      domain::SearchHit hit;
      hit.post = read_post(*query);
      hit.snippet = snippet_html(query->column_text(post_column_count));
      hits.push_back(std::move(hit));
    }
  }
  for (domain::SearchHit& hit : hits) attach_reactions(connection_, hit.post);
  transaction.commit();
  return hits;
}

}  // namespace staffroom::storage
