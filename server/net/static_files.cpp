#include "net/static_files.hpp"

#include <filesystem>
#include <fstream>
#include <sstream>

namespace staffroom::net {
namespace {

namespace fs = std::filesystem;

std::string content_type(const fs::path& file) {
  const auto ext = file.extension().string();
  if (ext == ".html") return "text/html; charset=utf-8";
  if (ext == ".js" || ext == ".mjs") return "text/javascript; charset=utf-8";
  if (ext == ".css") return "text/css; charset=utf-8";
  if (ext == ".json" || ext == ".webmanifest") return "application/json";
  if (ext == ".svg") return "image/svg+xml";
  if (ext == ".png") return "image/png";
  if (ext == ".ico") return "image/x-icon";
  if (ext == ".woff2") return "font/woff2";
  if (ext == ".txt" || ext == ".md") return "text/plain; charset=utf-8";
  return "application/octet-stream";
}

}  // namespace

StaticFiles::StaticFiles(std::string root) : root_(std::move(root)) {
  std::error_code ec;
  auto canonical = fs::canonical(root_, ec);
  if (!ec) root_ = canonical.string();
}

const std::vector<std::pair<std::string, std::string>>& StaticFiles::security_headers() {
  static const std::vector<std::pair<std::string, std::string>> headers{
      {"Content-Security-Policy",
       "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; "
       "form-action 'self'"},
      {"X-Content-Type-Options", "nosniff"},
      {"Referrer-Policy", "no-referrer"},
      {"X-Frame-Options", "DENY"},
  };
  return headers;
}

std::optional<std::string> StaticFiles::resolve(const std::string& path) const {
  if (path.empty() || path[0] != '/') return std::nullopt;
  if (path.find("..") != std::string::npos || path.find('\\') != std::string::npos ||
      path.find('\0') != std::string::npos || path.find("//") != std::string::npos) {
    return std::nullopt;
  }
  const std::string relative = path == "/" ? "index.html" : path.substr(1);
  std::error_code ec;
  const auto full = fs::canonical(fs::path(root_) / relative, ec);
  if (ec) return std::nullopt;
  const auto text = full.string();
  // canonical() resolved symlinks: the file must still sit under the root.
  if (text.size() <= root_.size() || text.compare(0, root_.size(), root_) != 0 ||
      text[root_.size()] != '/') {
    return std::nullopt;
  }
  if (!fs::is_regular_file(full, ec)) return std::nullopt;
  return text;
}

StaticReply StaticFiles::get(const std::string& path, const std::string& if_none_match) const {
  const auto file = resolve(path);
  if (!file) return StaticReply{404, "not found\n", "text/plain; charset=utf-8", {}};
  std::error_code ec;
  const auto size = fs::file_size(*file, ec);
  const auto mtime = fs::last_write_time(*file, ec).time_since_epoch().count();
  std::ostringstream tag;
  tag << '"' << std::hex << size << '-' << mtime << '"';
  StaticReply reply;
  reply.content_type = content_type(*file);
  // no-cache: always revalidate, so a new release is picked up at once; the ETag keeps it cheap.
  reply.headers = {{"Cache-Control", "no-cache"}, {"ETag", tag.str()}};
  if (if_none_match == tag.str()) {
    reply.status = 304;
    return reply;
  }
  std::ifstream in(*file, std::ios::binary);
  std::ostringstream body;
  body << in.rdbuf();
  reply.body = body.str();
  return reply;
}

}  // namespace staffroom::net
