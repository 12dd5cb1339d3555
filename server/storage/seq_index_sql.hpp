// The SQL that reads the posts' (channel_id, seq) index, which is two tables (schema step 7).
#pragma once

#include <string>
#include <string_view>

namespace staffroom::storage::seq_index_sql {

/// "SELECT <columns> FROM post_seqs s <rest> UNION ALL SELECT <columns> FROM post_seqs_recent s
/// <rest>": both halves of the index (every post is in exactly one; PostSeqSweep moves them).
/// `rest` may join other tables and filter on s.*; an ORDER BY after the result merges the
/// halves, each read in key order, and a LIMIT stops the merge early.
std::string union_of(std::string_view columns, std::string_view rest);

/// A history page: select_posts() rows of channel ?1 with ?2 < seq < ?3, the ?4 nearest ?2
/// in ascending seq order (forward) or the ?4 nearest ?3 in descending order.
const std::string& history_page(bool forward);
/// One row: how many posts of channel ?1 after seq ?2 are by someone other than user ?3 and
/// not deleted. Reads the index only, never the posts.
const std::string& unread_count();
/// Channel ?1's log after seq ?2, at most ?3 entries in seq order: rows of events (other
/// than kind ?4, post.created) merged with the posts' own creations from the index. Columns:
/// seq, kind, at, post_id, user_id, actor_id, role, emoji, on_flag.
const std::string& events_after();

}  // namespace staffroom::storage::seq_index_sql
