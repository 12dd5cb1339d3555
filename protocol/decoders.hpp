// One function per op that turns a JSON object's fields into its typed request body.
#pragma once

#include <string>
#include <string_view>

#include "protocol/field_reader.hpp"
#include "protocol/requests.hpp"

namespace staffroom::protocol::decoders {

std::string lowercase(std::string s);
/// True when every character is a-z, 0-9 or one of `extra`.
bool only_chars(std::string_view s, std::string_view extra);
/// A post body: 1..16,000 code points, not blank (shared by create and edit).
std::string post_body(FieldReader& f);

RequestBody channel_create(FieldReader& f);
RequestBody channel_list(FieldReader& f);
RequestBody channel_join(FieldReader& f);
RequestBody channel_leave(FieldReader& f);
RequestBody channel_read(FieldReader& f);
RequestBody channel_update(FieldReader& f);
RequestBody channel_archive(FieldReader& f);
RequestBody channel_members(FieldReader& f);
RequestBody channel_invite(FieldReader& f);
RequestBody channel_remove(FieldReader& f);
RequestBody channel_set_role(FieldReader& f);
RequestBody user_search(FieldReader& f);
RequestBody session_resume(FieldReader& f);

RequestBody post_create(FieldReader& f);
RequestBody post_history(FieldReader& f);
RequestBody thread_get(FieldReader& f);
RequestBody post_edit(FieldReader& f);
RequestBody post_versions(FieldReader& f);
RequestBody post_delete(FieldReader& f);
RequestBody post_react(FieldReader& f);
RequestBody mention_list(FieldReader& f);
RequestBody search(FieldReader& f);

}  // namespace staffroom::protocol::decoders
