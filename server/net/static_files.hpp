// Serves the web client's files safely: fixed root, known types, strict security headers.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace staffroom::net {

/// A file ready to send, or a status without a body.
struct StaticReply {
  int status = 200;
  std::string body;
  std::string content_type;
  std::vector<std::pair<std::string, std::string>> headers;
};

/// Maps request paths to files under one directory; never escapes it.
class StaticFiles {
 public:
  explicit StaticFiles(std::string root);

  StaticReply get(const std::string& path, const std::string& if_none_match) const;
  /// Headers every page and file carries (CSP, nosniff, referrer policy).
  static const std::vector<std::pair<std::string, std::string>>& security_headers();
  const std::string& root() const { return root_; }

 private:
  std::optional<std::string> resolve(const std::string& path) const;
  std::string root_;
};

}  // namespace staffroom::net
