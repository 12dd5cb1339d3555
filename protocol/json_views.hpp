// JSON forms of the wire views, shared by the reply and event encoders (internal).
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "protocol/error_code.hpp"
#include "protocol/views.hpp"

namespace staffroom::protocol::json_views {

using nlohmann::json;

/// Serialises; a stray invalid byte is replaced rather than turning the frame into an error.
std::string dump(const json& j);
json optional_int(const std::optional<std::int64_t>& v);
json to_json(const UserView& u);
json to_json(const ChannelView& c);
json to_json(const PostView& p);
json to_json(const MemberView& m);
json posts_json(const std::vector<PostView>& posts);
json ok(std::int64_t id);
json error_object(ErrorCode code, std::string_view message);

}  // namespace staffroom::protocol::json_views
