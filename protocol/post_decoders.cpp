#include <algorithm>

#include "protocol/decoders.hpp"
#include "protocol/limits.hpp"
#include "protocol/utf8.hpp"

namespace staffroom::protocol::decoders {

std::string post_body(FieldReader& f) {
  auto body = f.text("body", 1, limits::kPostBodyMax, true);
  if (!f.failed() && is_blank(body)) f.fail("'body' must not be blank");
  return body;
}

RequestBody post_create(FieldReader& f) {
  PostCreate r;
  r.channel_id = f.id("channel_id");
  r.body = post_body(f);
  r.thread_id = f.optional_id("thread_id");
  r.client_id = f.optional_text("client_id", 1, limits::kClientIdMax);
  if (r.client_id && !std::all_of(r.client_id->begin(), r.client_id->end(),
                                  [](char c) { return c > 0x20 && c < 0x7F; })) {
    f.fail("'client_id' must be printable ASCII without spaces");
  }
  return r;
}

RequestBody post_history(FieldReader& f) {
  PostHistory r;
  r.channel_id = f.id("channel_id");
  r.after_seq = f.optional_id("after_seq");
  r.before_seq = f.optional_id("before_seq");
  r.limit = static_cast<int>(
      f.optional_int("limit", 1, limits::kHistoryMax).value_or(limits::kHistoryDefault));
  return r;
}

RequestBody thread_get(FieldReader& f) { return ThreadGet{f.id("post_id")}; }
RequestBody post_versions(FieldReader& f) { return PostVersions{f.id("post_id")}; }
RequestBody post_delete(FieldReader& f) { return PostDelete{f.id("post_id")}; }

RequestBody post_edit(FieldReader& f) {
  PostEdit r;
  r.post_id = f.id("post_id");
  r.body = post_body(f);
  return r;
}

RequestBody post_react(FieldReader& f) {
  PostReact r;
  r.post_id = f.id("post_id");
  r.emoji = f.text("emoji", 1, limits::kEmojiMax);
  if (!f.failed() && std::any_of(r.emoji.begin(), r.emoji.end(), [](char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r';
      })) {
    f.fail("'emoji' must not contain white space");
  }
  r.on = f.boolean("on");
  return r;
}

RequestBody mention_list(FieldReader& f) {
  MentionList r;
  r.before_id = f.optional_id("before_id");
  r.limit = static_cast<int>(f.optional_int("limit", 1, 100).value_or(20));
  return r;
}

RequestBody search(FieldReader& f) {
  Search r;
  r.q = f.text("q", 0, limits::kQueryMax);
  r.channel_id = f.optional_id("channel_id");
  r.limit = static_cast<int>(
      f.optional_int("limit", 1, limits::kSearchMax).value_or(limits::kSearchDefault));
  return r;
}

}  // namespace staffroom::protocol::decoders
