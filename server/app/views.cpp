#include "app/views.hpp"

namespace staffroom::app {

protocol::UserView user_view(const domain::User& user) {
  return {user.id, user.handle, user.display_name, user.admin, user.created_at};
}

protocol::ChannelView channel_view(const domain::ChannelInfo& info) {
  const auto& c = info.channel;
  protocol::ChannelView v;
  v.id = c.id;
  v.slug = c.slug;
  v.title = c.title;
  v.description = c.description;
  v.is_private = c.visibility == domain::Visibility::private_;
  v.created_at = c.created_at;
  v.created_by = c.created_by;
  v.member = info.member;
  if (info.role) v.role = std::string(domain::role_name(*info.role));
  v.member_count = info.member_count;
  v.unread = info.unread;
  v.mentions = info.mentions;
  v.archived = c.archived;
  v.last_seq = c.last_seq;
  return v;
}

protocol::MemberView member_view(const domain::MemberInfo& member) {
  return {user_view(member.user), std::string(domain::role_name(member.role))};
}

protocol::PostView post_view(const domain::Post& p) {
  protocol::PostView v;
  v.id = p.id;
  v.channel_id = p.channel_id;
  v.seq = p.seq;
  v.thread_id = p.thread_id;
  v.author = {p.author.id, p.author.handle, p.author.display_name};
  v.body = p.body;
  v.html = p.html;
  v.created_at = p.created_at;
  v.edited_at = p.edited_at;
  v.deleted = p.deleted;
  v.reply_count = p.reply_count;
  v.client_id = p.client_id;
  for (const auto& r : p.reactions) v.reactions.push_back({r.emoji, r.user_ids});
  return v;
}

std::vector<protocol::PostView> post_views(const std::vector<domain::Post>& posts) {
  std::vector<protocol::PostView> out;
  out.reserve(posts.size());
  for (const auto& p : posts) out.push_back(post_view(p));
  return out;
}

}  // namespace staffroom::app
