// Post frames written directly are byte for byte the frames nlohmann builds from the same views.
#include <catch2/catch.hpp>

#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "protocol/encoder.hpp"
#include "protocol/event_encoder.hpp"
#include "protocol/json_text.hpp"
#include "protocol/json_views.hpp"

using namespace staffroom::protocol;
using json_views::dump;
using json_views::json;
using json_views::to_json;

namespace {

std::vector<PostView> sample_posts() {
  PostView plain;
  plain.id = 42;
  plain.channel_id = 7;
  plain.seq = 1234567;
  plain.author = {3, "ana", "Ana María"};
  plain.body = "Hello **world**";
  plain.html = "<p>Hello <strong>world</strong></p>\n";
  plain.created_at = 1795000000123;

  PostView rich = plain;
  rich.thread_id = 40;
  rich.client_id = "c-1:x";
  rich.edited_at = -1;  // before 1970: the timestamp formatting is shared, not re-implemented
  rich.reply_count = 3;
  rich.body = std::string("quotes \" back\\slash / tab\t nl\n cr\r bell\a nul") + '\0' +
              " del\x7f é 漢字 😀 \x1f\x01\b\f end";
  rich.html = "<p>&lt;script&gt; \"x\"</p>";
  rich.reactions = {{"👍", {1, 2, 3}}, {"🎉", {}}, {"x", {9007199254740991}}};
  rich.author.display_name = "Zoë \"Z\" \\";

  PostView deleted = rich;
  deleted.deleted = true;

  PostView invalid = plain;  // never passes the codec, but must not break a frame either
  invalid.body = "bad \xC3\x28 bytes \xFF end";
  invalid.author.handle = "\xE2\x82";
  return {plain, rich, deleted, invalid};
}

}  // namespace

TEST_CASE("JsonText escapes strings as nlohmann's dump does", "[protocol][json]") {
  for (const std::string& text :
       {std::string(), std::string("plain"), std::string("\"\\/\b\f\n\r\t"),
        std::string("\x01\x1f\x7f", 3), std::string("a\0b", 3), std::string("é漢😀"),
        std::string("\xC0\xAF overlong"), std::string("\xED\xA0\x80 surrogate"),
        std::string("cut \xF0\x9F\x98")}) {
    INFO(text);
    JsonText out;
    out.string(text);
    CHECK(out.take() == dump(json(text)));
  }
  for (const std::int64_t n : {std::int64_t{0}, std::int64_t{-1}, std::int64_t{9007199254740991},
                               std::numeric_limits<std::int64_t>::min()}) {
    JsonText out;
    out.integer(n);
    CHECK(out.take() == dump(json(n)));
  }
}

TEST_CASE("JsonText escapes a special byte wherever it falls in an eight-byte word",
          "[protocol][json]") {
  // The scan skips eight plain bytes at a time; put each byte that must be escaped (and some
  // that must not) at every offset of the first three words, alone and beside another.
  for (const std::string& special :
       {std::string("\""), std::string("\\"), std::string("\x01"), std::string("\x1f"),
        std::string(1, '\0'), std::string("\x7f"), std::string(" "), std::string("\xC3\xA9"),
        std::string("\xF0\x9F\x98\x80"), std::string("\xC3")}) {
    for (std::size_t at = 0; at < 24; ++at) {
      for (const std::size_t after : {std::size_t{0}, std::size_t{1}, std::size_t{9}}) {
        std::string text(at, 'a');
        text += special;
        text += std::string(after, 'b');
        if (after == 9) text += special;
        INFO(at << " " << after);
        JsonText out;
        out.string(text);
        CHECK(out.take() == dump(json(text)));
      }
    }
  }
}

TEST_CASE("post replies and events equal the nlohmann-built frames", "[protocol][json]") {
  for (const auto& post : sample_posts()) {
    INFO(post.body);
    auto reply = json_views::ok(99);
    reply["post"] = to_json(post);
    CHECK(encode_post_reply(99, post) == dump(reply));
    reply["duplicate"] = true;
    CHECK(encode_post_reply(99, post, true) == dump(reply));

    for (const auto& [name, encoded] : std::vector<std::pair<std::string, std::string>>{
             {"post.created", encode_post_created(7, 11, post)},
             {"post.edited", encode_post_edited(7, 11, post)},
             {"post.deleted", encode_post_deleted(7, 11, post)}}) {
      const json event = {{"event", name}, {"channel_id", 7}, {"seq", 11}, {"post", to_json(post)}};
      CHECK(encoded == dump(event));
    }
    const json reacted = {{"event", "post.reacted"},
                          {"channel_id", 7},
                          {"seq", 12},
                          {"post", to_json(post)},
                          {"user_id", 5},
                          {"emoji", "🎉"},
                          {"on", false}};
    CHECK(encode_post_reacted(7, 12, post, 5, "🎉", false) == dump(reacted));
    const json mention = {{"event", "mention"}, {"channel_id", 7}, {"post", to_json(post)}};
    CHECK(encode_mention(7, post) == dump(mention));
  }
}

TEST_CASE("history and thread replies equal the nlohmann-built frames", "[protocol][json]") {
  const auto posts = sample_posts();
  for (const bool has_more : {false, true}) {
    auto history = json_views::ok(5);
    history["posts"] = json_views::posts_json(posts);
    history["has_more"] = has_more;
    CHECK(encode_history_reply(5, posts, has_more) == dump(history));
  }
  auto empty = json_views::ok(6);
  empty["posts"] = json::array();
  empty["has_more"] = false;
  CHECK(encode_history_reply(6, {}, false) == dump(empty));

  auto thread = json_views::ok(8);
  thread["root"] = to_json(posts[0]);
  thread["replies"] = json_views::posts_json({posts.begin() + 1, posts.end()});
  CHECK(encode_thread_reply(8, posts[0], {posts.begin() + 1, posts.end()}) == dump(thread));
  thread["replies"] = json::array();
  CHECK(encode_thread_reply(8, posts[0], {}) == dump(thread));
}
