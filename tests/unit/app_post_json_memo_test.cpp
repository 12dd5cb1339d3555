// The per-thread memo of a post's JSON: reused for the same post, never for a changed one.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>

#include "app/post_json_memo.hpp"
#include "app/views.hpp"
#include "protocol/post_json.hpp"

using staffroom::app::post_view;
using staffroom::app::PostJsonMemo;
using staffroom::domain::Post;

namespace {

Post sample() {
  Post post;
  post.id = 41;
  post.channel_id = 3;
  post.seq = 17;
  post.author = {7, "ana", "Ana"};
  post.body = "Hello *all*";
  post.html = "<p>Hello <em>all</em></p>";
  post.created_at = 1'795'381'200'123;
  post.client_id = "c-1";
  return post;
}

std::string fresh(const Post& post) {
  return staffroom::protocol::post_json::encode(post_view(post));
}

}  // namespace

TEST_CASE("the memo hands back the same post's JSON without encoding it again", "[app]") {
  const auto post = sample();
  const auto first = PostJsonMemo::of(post);
  CHECK(std::string(first.text) == fresh(post));
  // Same storage: the second call did not encode (a new encoding would be a new string).
  const auto again = PostJsonMemo::of(Post(post));
  CHECK(again.text.data() == first.text.data());
  CHECK(std::string(again.text) == fresh(post));
}

TEST_CASE("the memo never hands back a changed post's old JSON", "[app]") {
  auto post = sample();
  CHECK(std::string(PostJsonMemo::of(post).text) == fresh(post));
  // Each change alone, as an edit, a reaction, a deletion or a reply would make it.
  post.body = "Hello *everyone*";
  CHECK(std::string(PostJsonMemo::of(post).text) == fresh(post));
  post.edited_at = post.created_at + 5;
  CHECK(std::string(PostJsonMemo::of(post).text) == fresh(post));
  post.reactions.push_back({"👍", {7}});
  CHECK(std::string(PostJsonMemo::of(post).text) == fresh(post));
  post.reactions[0].user_ids.push_back(9);
  CHECK(std::string(PostJsonMemo::of(post).text) == fresh(post));
  post.reply_count = 1;
  CHECK(std::string(PostJsonMemo::of(post).text) == fresh(post));
  post.author.display_name = "Ana B.";
  CHECK(std::string(PostJsonMemo::of(post).text) == fresh(post));
  post.deleted = true;
  const auto tomb = std::string(PostJsonMemo::of(post).text);
  CHECK(tomb == fresh(post));
  CHECK(nlohmann::json::parse(tomb)["body"] == "");

  // Two posts in turn: each gets its own JSON every time.
  auto other = sample();
  other.id = 42;
  for (int i = 0; i < 3; ++i) {
    CHECK(std::string(PostJsonMemo::of(other).text) == fresh(other));
    CHECK(std::string(PostJsonMemo::of(post).text) == fresh(post));
  }
}

TEST_CASE("each thread has a memo of its own", "[app]") {
  const auto post = sample();
  auto other = sample();
  other.body = "from the other thread";
  const std::string here(PostJsonMemo::of(post).text);
  std::string there;
  std::thread([&] { there = std::string(PostJsonMemo::of(other).text); }).join();
  CHECK(there == fresh(other));
  CHECK(std::string(PostJsonMemo::of(post).text) == here);
}
