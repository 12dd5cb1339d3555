#include "protocol/codec.hpp"

#include <algorithm>
#include <array>
#include <nlohmann/json.hpp>

#include "protocol/field_reader.hpp"
#include "protocol/limits.hpp"
#include "protocol/utf8.hpp"

namespace staffroom::protocol {
namespace {

using nlohmann::json;
using Decoder = RequestBody (*)(FieldReader&);

std::string lowercase(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

bool only_chars(std::string_view s, std::string_view extra) {
  return std::all_of(s.begin(), s.end(), [&](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
           extra.find(c) != std::string_view::npos;
  });
}

RequestBody channel_create(FieldReader& f) {
  ChannelCreate r;
  r.slug = lowercase(f.text("slug", limits::kSlugMin, limits::kSlugMax));
  if (!f.failed() && !only_chars(r.slug, "_-")) {
    f.fail("'slug' may only contain a-z, 0-9, '_' and '-'");
  }
  r.title = f.text("title", 1, limits::kTitleMax);
  if (!f.failed() && is_blank(r.title)) f.fail("'title' must not be blank");
  r.description = f.optional_text("description", 0, limits::kDescriptionMax, true).value_or("");
  const auto visibility = f.optional_text("visibility", 1, 16).value_or("public");
  if (visibility == "private") {
    r.is_private = true;
  } else if (visibility != "public") {
    f.fail("'visibility' must be \"public\" or \"private\"");
  }
  return r;
}

RequestBody channel_list(FieldReader&) { return ChannelList{}; }
RequestBody channel_join(FieldReader& f) { return ChannelJoin{f.id("channel_id")}; }
RequestBody channel_leave(FieldReader& f) { return ChannelLeave{f.id("channel_id")}; }
RequestBody channel_read(FieldReader& f) { return ChannelRead{f.id("channel_id"), f.id("seq")}; }

RequestBody post_create(FieldReader& f) {
  PostCreate r;
  r.channel_id = f.id("channel_id");
  r.body = f.text("body", 1, limits::kPostBodyMax, true);
  if (!f.failed() && is_blank(r.body)) f.fail("'body' must not be blank");
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

struct OpDecoder {
  std::string_view op;
  Decoder decode;
};

constexpr std::array<OpDecoder, 8> kOps{{
    {"channel.create", channel_create},
    {"channel.list", channel_list},
    {"channel.join", channel_join},
    {"channel.leave", channel_leave},
    {"channel.read", channel_read},
    {"post.create", post_create},
    {"post.history", post_history},
    {"thread.get", thread_get},
}};

DecodeError error(std::optional<std::int64_t> id, std::string message) {
  return DecodeError{id, ErrorCode::bad_request, std::move(message)};
}

json parse_object(std::string_view text) {
  auto parsed = json::parse(text, nullptr, /*allow_exceptions=*/false);
  return parsed;
}

}  // namespace

bool is_known_op(std::string_view op) {
  return std::any_of(kOps.begin(), kOps.end(), [&](const OpDecoder& d) { return d.op == op; });
}

std::variant<Request, DecodeError> decode_request(std::string_view frame) {
  try {
    const json doc = parse_object(frame);
    if (doc.is_discarded()) return error(std::nullopt, "frame is not valid JSON");
    if (!doc.is_object()) return error(std::nullopt, "frame must be a JSON object");
    const auto id_it = doc.find("id");
    if (id_it == doc.end() || !id_it->is_number_integer() ||
        (id_it->is_number_unsigned() && id_it->get<std::uint64_t>() > limits::kMaxId) ||
        id_it->get<std::int64_t>() < 0 || id_it->get<std::int64_t>() > limits::kMaxId) {
      return error(std::nullopt, "'id' must be an integer between 0 and 2^53-1");
    }
    const auto id = id_it->get<std::int64_t>();
    const auto op_it = doc.find("op");
    if (op_it == doc.end() || !op_it->is_string()) return error(id, "'op' must be a string");
    const auto& op = op_it->get_ref<const std::string&>();
    const auto found =
        std::find_if(kOps.begin(), kOps.end(), [&](const OpDecoder& d) { return d.op == op; });
    if (found == kOps.end()) {
      std::string shown = op.size() > 40 ? op.substr(0, 40) + "…" : op;
      if (!utf8_length(shown)) shown = "?";
      return error(id, "unknown op '" + shown + "'");
    }
    FieldReader fields(doc);
    RequestBody body = found->decode(fields);
    if (fields.failed()) return error(id, fields.error());
    return Request{id, op, std::move(body)};
  } catch (const std::exception& e) {
    // nlohmann throws on surprises such as invalid UTF-8 in a key; never let it escape.
    return error(std::nullopt, std::string("frame could not be decoded: ") + e.what());
  }
}

std::variant<RegisterBody, DecodeError> decode_register(std::string_view body) {
  try {
    const json doc = parse_object(body);
    if (doc.is_discarded() || !doc.is_object())
      return error(std::nullopt, "body must be a JSON object");
    FieldReader f(doc);
    RegisterBody r;
    r.handle = lowercase(f.text("handle", limits::kHandleMin, limits::kHandleMax));
    if (!f.failed() && !only_chars(r.handle, "_.-")) {
      f.fail("'handle' may only contain a-z, 0-9, '_', '.' and '-'");
    }
    r.password = f.text("password", limits::kPasswordMin, limits::kPasswordMax);
    r.display_name = f.optional_text("display_name", 1, limits::kDisplayNameMax).value_or(r.handle);
    if (!f.failed() && is_blank(r.display_name)) f.fail("'display_name' must not be blank");
    if (f.failed()) return error(std::nullopt, f.error());
    return r;
  } catch (const std::exception& e) {
    return error(std::nullopt, std::string("body could not be decoded: ") + e.what());
  }
}

std::variant<LoginBody, DecodeError> decode_login(std::string_view body) {
  try {
    const json doc = parse_object(body);
    if (doc.is_discarded() || !doc.is_object())
      return error(std::nullopt, "body must be a JSON object");
    FieldReader f(doc);
    LoginBody r;
    r.handle = lowercase(f.text("handle", 1, 256));
    r.password = f.text("password", 1, limits::kPasswordMax);
    if (f.failed()) return error(std::nullopt, f.error());
    return r;
  } catch (const std::exception& e) {
    return error(std::nullopt, std::string("body could not be decoded: ") + e.what());
  }
}

}  // namespace staffroom::protocol
