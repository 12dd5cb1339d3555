#include "storage/seq_index_sql.hpp"

#include "storage/rows.hpp"

namespace staffroom::storage::seq_index_sql {

std::string union_of(std::string_view columns, std::string_view rest) {
  std::string sql;
  for (const std::string_view table : {"post_seqs", "post_seqs_recent"}) {
    if (!sql.empty()) sql += " UNION ALL ";
    sql += "SELECT ";
    sql += columns;
    sql += " FROM ";
    sql += table;
    sql += " s ";
    sql += rest;
  }
  return sql;
}

namespace {

std::string make_history_page(std::string_view direction) {
  // The page's ids come from the merged halves; the posts are then read by id.
  std::string ids = "WHERE p.id IN (SELECT post_id FROM (";
  ids += union_of("s.post_id, s.seq", "WHERE s.channel_id = ?1 AND s.seq > ?2 AND s.seq < ?3");
  ids += " ORDER BY seq ";
  ids += direction;
  ids += " LIMIT ?4)) ORDER BY p.seq ";
  ids += direction;
  return select_posts(ids);
}

}  // namespace

const std::string& history_page(bool forward) {
  static const std::string ascending = make_history_page("ASC");
  static const std::string descending = make_history_page("DESC");
  return forward ? ascending : descending;
}

const std::string& unread_count() {
  static const std::string sql =
      "SELECT sum(n) FROM (" +
      union_of("COUNT(*) AS n",
               "WHERE s.channel_id = ?1 AND s.seq > ?2 AND s.author_id <> ?3 AND s.deleted = 0") +
      ")";
  return sql;
}

const std::string& events_after() {
  static const std::string sql =
      "SELECT seq, kind, at, post_id, user_id, actor_id, role, emoji, on_flag FROM events "
      "WHERE channel_id = ?1 AND seq > ?2 AND kind <> ?4 UNION ALL " +
      union_of("s.seq, ?4, p.created_at, s.post_id, s.author_id, NULL, NULL, NULL, NULL",
               "JOIN posts p ON p.id = s.post_id WHERE s.channel_id = ?1 AND s.seq > ?2") +
      " ORDER BY seq LIMIT ?3";
  return sql;
}

}  // namespace staffroom::storage::seq_index_sql
