// The staffroom command line: flags, STAFFROOM_* environment and config file, in that order.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "domain/account_service.hpp"

namespace staffroom::app {

/// Every setting the server reads at start-up, with DESIGN.md's defaults.
struct Options {
  std::string listen = "127.0.0.1";
  int port = 8080;
  std::string data_dir = "./data";
  std::string static_dir;  // empty: the caller's default
  std::vector<std::string>
      allowed_origins;  // empty: http://127.0.0.1:<port>, http://localhost:<port>
  domain::Registration registration = domain::Registration::open;
  bool synchronous_full = true;
  std::string log_level = "info";
  std::string config_file;
  std::string public_url;  // empty: http://<listen>:<port>
  double post_rate = 1.0;
  int post_burst = 10;
  std::size_t send_queue_messages = 1000;
  std::size_t send_queue_kib = 4096;
  int idle_timeout_seconds = 300;
  std::size_t max_upload_mib = 25;
  /// Batch socket writes through io_uring when the kernel allows it (--io-uring auto).
  bool io_uring = true;
  /// `staffroom backup PATH`: copy the database to PATH and exit.
  std::optional<std::string> backup_path;
};

/// What parsing decided: run with `options`, or exit with `exit_code` after printing `message`
/// (to stdout for --help, stderr otherwise).
struct ParsedOptions {
  std::optional<Options> options;
  int exit_code = 0;
  std::string message;
};

/// Parses argv and the environment. Never throws; invalid input yields exit code 2.
ParsedOptions parse_options(int argc, const char* const* argv);

/// Allowed origins with the defaults filled in for the actual port.
std::vector<std::string> effective_origins(const Options& options, int bound_port);

}  // namespace staffroom::app
