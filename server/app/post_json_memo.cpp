#include "app/post_json_memo.hpp"

#include <optional>
#include <string>

#include "app/views.hpp"
#include "protocol/post_json.hpp"

namespace staffroom::app {

namespace {

struct Memo {
  std::optional<domain::Post> post;
  std::string json;
};

}  // namespace

protocol::PostJson PostJsonMemo::of(const domain::Post& post) {
  thread_local Memo memo;
  // The whole post is compared, not its id: an edit, a reaction or a deletion changes what is
  // sent, and comparing is far cheaper than encoding.
  if (!memo.post || !(*memo.post == post)) {
    memo.json = protocol::post_json::encode(post_view(post));
    memo.post = post;
  }
  return protocol::PostJson{memo.json};
}

}  // namespace staffroom::app
