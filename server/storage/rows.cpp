#include "storage/rows.hpp"

#include "storage/database.hpp"

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

std::string select_posts(std::string_view rest) {
  std::string sql =
      "SELECT p.id, p.channel_id, p.seq, p.thread_id, p.author_id, u.handle, u.display_name, "
      "p.body, p.html, p.created_at, p.edited_at, p.deleted, p.reply_count, p.client_id "
      "FROM posts p JOIN users u ON u.id = p.author_id ";
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
  post.html = row.column_text(8);
  post.created_at = row.column_int64(9);
  post.edited_at = row.column_optional_int64(10);
  post.deleted = row.column_int64(11) != 0;
  post.reply_count = row.column_int64(12);
  post.client_id = row.column_optional_text(13);
  return post;
}

}  // namespace staffroom::storage
