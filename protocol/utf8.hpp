// UTF-8 validation and code point counting for user text at the edge.
#pragma once

#include <cstddef>
#include <optional>
#include <string_view>

namespace staffroom::protocol {

/// Number of code points in `text`, or nothing when it is not valid UTF-8
/// (overlong forms, surrogates and values above U+10FFFF are invalid).
std::optional<std::size_t> utf8_length(std::string_view text);

/// True when `text` contains a C0/C1 control character other than tab, newline, return.
bool has_control_characters(std::string_view text, bool allow_newlines);

/// True when `text` is empty or only ASCII white space.
bool is_blank(std::string_view text);

}  // namespace staffroom::protocol
