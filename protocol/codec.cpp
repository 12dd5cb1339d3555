#include "protocol/codec.hpp"

#include <algorithm>
#include <array>
#include <nlohmann/json.hpp>

#include "protocol/decoders.hpp"
#include "protocol/field_reader.hpp"
#include "protocol/flat_json.hpp"
#include "protocol/limits.hpp"
#include "protocol/utf8.hpp"

namespace staffroom::protocol {
namespace {

using nlohmann::json;
using Decoder = RequestBody (*)(FieldReader&);

struct OpDecoder {
  std::string_view op;
  Decoder decode;
};

constexpr std::array<OpDecoder, 22> kOps{{
    {"channel.create", decoders::channel_create},
    {"channel.list", decoders::channel_list},
    {"channel.join", decoders::channel_join},
    {"channel.leave", decoders::channel_leave},
    {"channel.read", decoders::channel_read},
    {"channel.update", decoders::channel_update},
    {"channel.archive", decoders::channel_archive},
    {"channel.members", decoders::channel_members},
    {"channel.invite", decoders::channel_invite},
    {"channel.remove", decoders::channel_remove},
    {"channel.set_role", decoders::channel_set_role},
    {"user.search", decoders::user_search},
    {"session.resume", decoders::session_resume},
    {"post.create", decoders::post_create},
    {"post.history", decoders::post_history},
    {"thread.get", decoders::thread_get},
    {"post.edit", decoders::post_edit},
    {"post.versions", decoders::post_versions},
    {"post.delete", decoders::post_delete},
    {"post.react", decoders::post_react},
    {"mention.list", decoders::mention_list},
    {"search", decoders::search},
}};

DecodeError error(std::optional<std::int64_t> id, std::string message) {
  return DecodeError{id, ErrorCode::bad_request, std::move(message)};
}

json parse_object(std::string_view text) {
  auto parsed = json::parse(text, nullptr, /*allow_exceptions=*/false);
  return parsed;
}

// A request's id, op and the op's own fields, from either parse.
std::variant<Request, DecodeError> decode_fields(FieldReader& fields) {
  const auto id = fields.optional_id("id");
  if (!id || fields.failed()) {
    return error(std::nullopt, "'id' must be an integer between 0 and 2^53-1");
  }
  const auto op = fields.unchecked_text("op");
  if (!op) return error(*id, "'op' must be a string");
  const auto found =
      std::find_if(kOps.begin(), kOps.end(), [&](const OpDecoder& d) { return d.op == *op; });
  if (found == kOps.end()) {
    std::string shown = op->size() > 40 ? std::string(op->substr(0, 40)) + "…" : std::string(*op);
    if (!utf8_length(shown)) shown = "?";
    return error(*id, "unknown op '" + shown + "'");
  }
  RequestBody body = found->decode(fields);
  if (fields.failed()) return error(*id, fields.error());
  return Request{*id, std::string(*op), std::move(body)};
}

}  // namespace

bool is_known_op(std::string_view op) {
  return std::any_of(kOps.begin(), kOps.end(), [&](const OpDecoder& d) { return d.op == op; });
}

std::variant<Request, DecodeError> decode_request(std::string_view frame) {
  try {
    // Almost every frame is a flat object, read in one pass; anything else goes to nlohmann.
    if (const auto flat = FlatJsonObject::parse(frame)) {
      FieldReader fields(*flat);
      return decode_fields(fields);
    }
    const json doc = parse_object(frame);
    if (doc.is_discarded()) return error(std::nullopt, "frame is not valid JSON");
    if (!doc.is_object()) return error(std::nullopt, "frame must be a JSON object");
    FieldReader fields(doc);
    return decode_fields(fields);
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
    r.handle = decoders::lowercase(f.text("handle", limits::kHandleMin, limits::kHandleMax));
    if (!f.failed() && !decoders::only_chars(r.handle, "_.-")) {
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
    r.handle = decoders::lowercase(f.text("handle", 1, 256));
    r.password = f.text("password", 1, limits::kPasswordMax);
    if (f.failed()) return error(std::nullopt, f.error());
    return r;
  } catch (const std::exception& e) {
    return error(std::nullopt, std::string("body could not be decoded: ") + e.what());
  }
}

}  // namespace staffroom::protocol
