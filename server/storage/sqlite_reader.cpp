#include "storage/sqlite_reader.hpp"

#include <algorithm>
#include <limits>

#include "storage/database.hpp"
#include "storage/rows.hpp"
#include "storage/schema.hpp"
#include "storage/search_index_file.hpp"
#include "storage/seq_index_sql.hpp"

namespace staffroom::storage {

SqliteReader::SqliteReader(const std::string& path, SearchProgress* search_progress)
    : connection_(std::make_unique<Connection>(path, Connection::Mode::read_only)),
      activity_(*connection_),
      search_(*connection_, search_index_path(path), search_progress) {
  configure_reader(*connection_);
  require_current_schema(*connection_);
}

SqliteReader::~SqliteReader() = default;

domain::Snapshot SqliteReader::load() {
  domain::Snapshot snapshot;
  // One read transaction, so memberships never name a channel the snapshot lacks.
  Transaction transaction(*connection_, Transaction::Kind::deferred);
  {
    auto users = connection_->query(
        "SELECT id, handle, display_name, admin, created_at, password_hash FROM users ORDER BY id");
    while (users->step()) {
      domain::StoredUser stored;
      stored.user.id = users->column_int64(0);
      stored.user.handle = users->column_text(1);
      stored.user.display_name = users->column_text(2);
      stored.user.admin = users->column_int64(3) != 0;
      stored.user.created_at = users->column_int64(4);
      stored.password_hash = users->column_text(5);
      snapshot.users.push_back(std::move(stored));
    }
  }
  {
    auto sessions = connection_->query("SELECT token_hash, user_id FROM sessions");
    while (sessions->step()) {
      snapshot.sessions.push_back({sessions->column_text(0), sessions->column_int64(1)});
    }
  }
  {
    auto channels = connection_->query(select_channels("ORDER BY id"));
    while (channels->step()) snapshot.channels.push_back(read_channel(*channels));
  }
  {
    auto memberships = connection_->query(
        "SELECT channel_id, user_id, role, read_seq FROM memberships ORDER BY channel_id, user_id");
    while (memberships->step()) {
      domain::Membership membership;
      membership.channel_id = memberships->column_int64(0);
      membership.user_id = memberships->column_int64(1);
      membership.role = parse_role(memberships->column_text(2));
      membership.read_seq = memberships->column_int64(3);
      snapshot.memberships.push_back(membership);
    }
  }
  transaction.commit();
  return snapshot;
}

domain::HistoryPage SqliteReader::history(domain::ChannelId channel,
                                          std::optional<domain::Seq> after_seq,
                                          std::optional<domain::Seq> before_seq, int limit) {
  constexpr auto lowest = std::numeric_limits<domain::Seq>::min();
  constexpr auto highest = std::numeric_limits<domain::Seq>::max();
  const std::int64_t page_size = std::max(limit, 0);
  // With `after` the page grows upward from it; without, downward from `before` (newest).
  const bool forward = after_seq.has_value();
  domain::HistoryPage page;
  Transaction transaction(*connection_, Transaction::Kind::deferred);
  {
    // The page's ids come from the two halves of the seq index, merged in seq order.
    auto query = connection_->query(seq_index_sql::history_page(forward));
    // One row past the page tells whether more exist beyond it.
    query->bind_int64(1, channel)
        .bind_int64(2, after_seq.value_or(lowest))
        .bind_int64(3, before_seq.value_or(highest))
        .bind_int64(4, page_size + 1);
    while (query->step()) page.posts.push_back(read_post(*query));
  }
  if (static_cast<std::int64_t>(page.posts.size()) > page_size) {
    page.has_more = true;
    page.posts.pop_back();
  }
  attach_reactions(*connection_, page.posts);
  transaction.commit();
  if (!forward) std::reverse(page.posts.begin(), page.posts.end());
  return page;
}

std::optional<domain::Thread> SqliteReader::thread(domain::PostId post) {
  Transaction transaction(*connection_, Transaction::Kind::deferred);
  auto found = load_post(*connection_, post);
  if (!found) return std::nullopt;
  if (found->thread_id) {
    found = load_post(*connection_, *found->thread_id);
    if (!found) return std::nullopt;  // a reply always has its root; guards a damaged file
  }
  domain::Thread thread;
  thread.root = std::move(*found);
  {
    auto replies = connection_->query(select_posts("WHERE p.thread_id = ?1 ORDER BY p.seq"));
    replies->bind_int64(1, thread.root.id);
    while (replies->step()) thread.replies.push_back(read_post(*replies));
  }
  attach_reactions(*connection_, thread.replies);
  transaction.commit();
  return thread;
}

std::int64_t SqliteReader::unread(domain::ChannelId channel, domain::UserId user,
                                  domain::Seq after_seq) {
  // The seq index's two tables hold every column named here: the count never reads posts.
  auto count = connection_->query(seq_index_sql::unread_count());
  count->bind_int64(1, channel).bind_int64(2, after_seq).bind_int64(3, user);
  return count->step() ? count->column_int64(0) : 0;
}

std::int64_t SqliteReader::unread_mentions(domain::ChannelId channel, domain::UserId user,
                                           domain::Seq after_seq) {
  return activity_.unread_mentions(channel, user, after_seq);
}

std::optional<domain::Post> SqliteReader::post(domain::PostId post) {
  return load_post(*connection_, post);
}

std::vector<domain::PostVersion> SqliteReader::versions(domain::PostId post) {
  auto query = connection_->query(
      "SELECT body, html, written_at FROM post_versions WHERE post_id = ?1 ORDER BY id");
  query->bind_int64(1, post);
  std::vector<domain::PostVersion> versions;
  while (query->step()) {
    versions.push_back({query->column_text(0), query->column_text(1), query->column_int64(2)});
  }
  return versions;
}

std::vector<domain::Mention> SqliteReader::mentions(domain::UserId user,
                                                    const std::vector<domain::ChannelId>& channels,
                                                    std::optional<std::int64_t> before_id,
                                                    int limit) {
  return activity_.mentions(user, channels, before_id, limit);
}

std::vector<domain::LoggedEvent> SqliteReader::events_after(domain::ChannelId channel,
                                                            domain::Seq after_seq, int limit) {
  return activity_.events_after(channel, after_seq, limit);
}

std::vector<domain::SearchHit> SqliteReader::search(const std::vector<std::string>& words,
                                                    const std::vector<domain::ChannelId>& channels,
                                                    int limit) {
  return search_.search(words, channels, limit);
}

std::unique_ptr<domain::Reader> SqliteReaderFactory::open_reader() {
  return std::make_unique<SqliteReader>(path_, search_progress_);
}

}  // namespace staffroom::storage
