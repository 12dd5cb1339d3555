#include "storage/rows.hpp"

#include <algorithm>
#include <iterator>

#include "storage/database.hpp"
#include "storage/stored_html.hpp"

namespace staffroom::storage {

domain::Role parse_role(std::string_view name) {
  if (name == "owner") return domain::Role::owner;
  if (name == "moderator") return domain::Role::moderator;
  if (name == "member") return domain::Role::member;
  throw StorageError("unknown role '" + std::string(name) + "' in the database");
}

std::string_view visibility_name(domain::Visibility visibility) {
  return visibility == domain::Visibility::private_ ? "private" : "public";
}

domain::Visibility parse_visibility(std::string_view name) {
  if (name == "public") return domain::Visibility::public_;
  if (name == "private") return domain::Visibility::private_;
  throw StorageError("unknown visibility '" + std::string(name) + "' in the database");
}

std::string_view post_columns() {
  return "p.id, p.channel_id, p.seq, p.thread_id, p.author_id, u.handle, u.display_name, "
         "p.body, p.html, p.created_at, p.edited_at, p.deleted, p.reply_count, p.client_id";
}

std::string select_posts(std::string_view rest) {
  std::string sql = "SELECT ";
  sql += post_columns();
  sql += " FROM posts p JOIN users u ON u.id = p.author_id ";
  sql += rest;
  return sql;
}

domain::Post read_post(const Statement& row) {
  domain::Post post;
  post.id = row.column_int64(0);
  post.channel_id = row.column_int64(1);
  post.seq = row.column_int64(2);
  post.thread_id = row.column_optional_int64(3);
  post.author.id = row.column_int64(4);
  post.author.handle = row.column_text(5);
  post.author.display_name = row.column_text(6);
  post.body = row.column_text(7);
  post.html = StoredHtml::load(post.body, row.column_text(8));
  post.created_at = row.column_int64(9);
  post.edited_at = row.column_optional_int64(10);
  post.deleted = row.column_int64(11) != 0;
  post.reply_count = row.column_int64(12);
  post.client_id = row.column_optional_text(13);
  return post;
}

std::string select_channels(std::string_view rest) {
  std::string sql =
      "SELECT id, slug, title, description, visibility, created_by, created_at, last_seq, "
      "archived FROM channels ";
  sql += rest;
  return sql;
}

domain::Channel read_channel(const Statement& row) {
  domain::Channel channel;
  channel.id = row.column_int64(0);
  channel.slug = row.column_text(1);
  channel.title = row.column_text(2);
  channel.description = row.column_text(3);
  channel.visibility = parse_visibility(row.column_text(4));
  channel.created_by = row.column_int64(5);
  channel.created_at = row.column_int64(6);
  channel.last_seq = row.column_int64(7);
  channel.archived = row.column_int64(8) != 0;
  return channel;
}

void attach_reactions(Connection& connection, domain::Post& post) {
  post.reactions.clear();
  auto rows = connection.query(
      "SELECT r.emoji, r.user_id FROM reactions r "
      "JOIN reaction_emojis e ON e.post_id = r.post_id AND e.emoji = r.emoji "
      "WHERE r.post_id = ?1 ORDER BY e.rowid, r.at, r.rowid");
  rows->bind_int64(1, post.id);
  while (rows->step()) {
    std::string emoji = rows->column_text(0);
    auto found = std::find_if(post.reactions.begin(), post.reactions.end(),
                              [&emoji](const domain::Reaction& r) { return r.emoji == emoji; });
    if (found == post.reactions.end()) {
      post.reactions.push_back(domain::Reaction{std::move(emoji), {}});
      found = std::prev(post.reactions.end());
    }
    found->user_ids.push_back(rows->column_int64(1));
  }
}

void attach_reactions(Connection& connection, std::vector<domain::Post>& posts) {
  for (domain::Post& post : posts) attach_reactions(connection, post);
}

std::optional<domain::Post> load_post(Connection& connection, domain::PostId id) {
  std::optional<domain::Post> post;
  {
    auto query = connection.query(select_posts("WHERE p.id = ?1"));
    query->bind_int64(1, id);
    if (!query->step()) return std::nullopt;
    post = read_post(*query);
  }
  attach_reactions(connection, *post);
  return post;
}

std::string json_id_list(const std::vector<std::int64_t>& ids) {
  std::string json = "[";
  for (std::size_t i = 0; i < ids.size(); ++i) {
    if (i > 0) json += ',';
    json += std::to_string(ids[i]);
  }
  json += ']';
  return json;
}

std::optional<domain::Channel> load_channel(Connection& connection, domain::ChannelId id) {
  auto query = connection.query(select_channels("WHERE id = ?1"));
  query->bind_int64(1, id);
  if (!query->step()) return std::nullopt;
  return read_channel(*query);
}

}  // namespace staffroom::storage
