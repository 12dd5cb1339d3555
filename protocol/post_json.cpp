#include "protocol/post_json.hpp"

#include "protocol/encoder.hpp"

namespace staffroom::protocol::post_json {

void write(JsonText& out, const PostView& p) {
  out.raw(R"({"author":{"display_name":)")
      .string(p.author.display_name)
      .raw(R"(,"handle":)")
      .string(p.author.handle)
      .raw(R"(,"id":)")
      .integer(p.author.id)
      .raw(R"(},"body":)")
      .string(p.deleted ? std::string_view() : std::string_view(p.body))
      .raw(R"(,"channel_id":)")
      .integer(p.channel_id)
      .raw(R"(,"client_id":)")
      .string_or_null(p.client_id)
      .raw(R"(,"created_at":)")
      .string(format_timestamp(p.created_at))
      .raw(R"(,"deleted":)")
      .boolean(p.deleted)
      .raw(R"(,"edited_at":)")
      .string_or_null(p.edited_at ? std::optional(format_timestamp(*p.edited_at)) : std::nullopt);
  out.raw(R"(,"html":)")
      .string(p.deleted ? std::string_view() : std::string_view(p.html))
      .raw(R"(,"id":)")
      .integer(p.id)
      .raw(R"(,"reactions":[)");
  bool first = true;
  for (const auto& r : p.reactions) {
    out.raw(first ? R"({"count":)" : R"(,{"count":)")
        .integer(static_cast<std::int64_t>(r.user_ids.size()))
        .raw(R"(,"emoji":)")
        .string(r.emoji)
        .raw(R"(,"user_ids":[)");
    for (std::size_t i = 0; i < r.user_ids.size(); ++i) {
      if (i > 0) out.raw(",");
      out.integer(r.user_ids[i]);
    }
    out.raw("]}");
    first = false;
  }
  out.raw(R"(],"reply_count":)")
      .integer(p.reply_count)
      .raw(R"(,"seq":)")
      .integer(p.seq)
      .raw(R"(,"thread_id":)")
      .integer_or_null(p.thread_id)
      .raw("}");
}

std::string encode(const PostView& post) {
  JsonText out(post.body.size() + post.html.size() + 256);
  write(out, post);
  return out.take();
}

void write_all(JsonText& out, const std::vector<PostView>& posts) {
  out.raw("[");
  for (std::size_t i = 0; i < posts.size(); ++i) {
    if (i > 0) out.raw(",");
    write(out, posts[i]);
  }
  out.raw("]");
}

}  // namespace staffroom::protocol::post_json
