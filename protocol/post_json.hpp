// Writes a post, and the frames that carry posts, with JsonText (the hottest frames there are).
#pragma once

#include <vector>

#include "protocol/json_text.hpp"
#include "protocol/views.hpp"

namespace staffroom::protocol::post_json {

/// The post object, keys in the order nlohmann's sorted objects give them.
void write(JsonText& out, const PostView& post);
/// The post object as a string of its own, for frames that embed it (PostJson).
std::string encode(const PostView& post);
/// A JSON array of posts.
void write_all(JsonText& out, const std::vector<PostView>& posts);

}  // namespace staffroom::protocol::post_json
