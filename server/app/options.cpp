#include "app/options.hpp"

#include <arpa/inet.h>

#include <CLI/CLI.hpp>
#include <cstdlib>
#include <sstream>

namespace staffroom::app {
namespace {

// Every flag that can also come from the environment as STAFFROOM_<NAME>.
constexpr const char* kFlagNames[] = {"listen",
                                      "port",
                                      "data-dir",
                                      "static-dir",
                                      "allowed-origin",
                                      "registration",
                                      "synchronous",
                                      "log-level",
                                      "config",
                                      "public-url",
                                      "post-rate",
                                      "post-burst",
                                      "send-queue-messages",
                                      "send-queue-kib",
                                      "idle-timeout",
                                      "max-upload-mib",
                                      "io-uring"};

std::string env_name(std::string flag) {
  std::string out = "STAFFROOM_";
  for (char c : flag)
    out += c == '-' ? '_' : static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

std::string check_url(const std::string& value) {
  const bool http = value.rfind("http://", 0) == 0 || value.rfind("https://", 0) == 0;
  if (!http) return "must start with http:// or https://";
  const auto host_start = value.find("://") + 3;
  if (host_start >= value.size()) return "needs a host";
  return {};
}

std::string check_origin(const std::string& value) {
  auto problem = check_url(value);
  if (!problem.empty()) return problem;
  if (value.find('/', value.find("://") + 3) != std::string::npos) {
    return "an origin is scheme://host[:port] with no path";
  }
  return {};
}

std::string check_address(const std::string& value) {
  unsigned char buffer[16];
  if (inet_pton(AF_INET, value.c_str(), buffer) == 1) return {};
  if (inet_pton(AF_INET6, value.c_str(), buffer) == 1) return {};
  return "must be an IPv4 or IPv6 address";
}

struct Raw {
  std::string registration = "open";
  std::string synchronous = "full";
  std::string io_uring = "auto";
};

void define(CLI::App& app, Options& o, Raw& raw) {
  app.add_option("--listen", o.listen, "Address to listen on")
      ->check(CLI::Validator(check_address, "ADDR"));
  app.add_option("--port", o.port, "TCP port (0 = any free port)")->check(CLI::Range(0, 65535));
  app.add_option("--data-dir", o.data_dir, "Directory of the SQLite database (created if missing)");
  app.add_option("--static-dir", o.static_dir, "Directory of the web client");
  app.add_option("--allowed-origin", o.allowed_origins,
                 "Browser origin allowed to connect (repeatable)")
      ->delimiter(',')
      ->check(CLI::Validator(check_origin, "URL"));
  app.add_option("--registration", raw.registration, "Who may create accounts")
      ->check(CLI::IsMember({"open", "invite", "closed"}));
  app.add_option("--synchronous", raw.synchronous, "SQLite synchronous mode")
      ->check(CLI::IsMember({"full", "normal"}));
  app.add_option("--log-level", o.log_level, "Log level")
      ->check(CLI::IsMember({"trace", "debug", "info", "warn", "error"}));
  app.add_option("--public-url", o.public_url, "Absolute base URL for links that leave the server")
      ->check(CLI::Validator(check_url, "URL"));
  app.add_option("--post-rate", o.post_rate, "Posts per second per user (0 = unlimited)")
      ->check(CLI::Range(0.0, 1e6));
  app.add_option("--post-burst", o.post_burst, "Posts a user may send in a burst")
      ->check(CLI::Range(1, 1000000));
  app.add_option("--send-queue-messages", o.send_queue_messages,
                 "Per-connection send queue bound (messages)")
      ->check(CLI::Range(1, 10000000));
  app.add_option("--send-queue-kib", o.send_queue_kib, "Per-connection send queue bound (KiB)")
      ->check(CLI::Range(1, 10000000));
  app.add_option(
         "--idle-timeout", o.idle_timeout_seconds,
         "Seconds without a byte from a WebSocket peer before it is dropped (pinged at half)")
      ->check(CLI::Range(1, 86400));
  app.add_option("--max-upload-mib", o.max_upload_mib, "Largest upload (MiB)")
      ->check(CLI::Range(1, 4096));
  app.add_option("--io-uring", raw.io_uring,
                 "Batch socket writes through io_uring where the kernel allows it (auto), or "
                 "write each connection with its own system call (off)")
      ->check(CLI::IsMember({"auto", "off"}));
  auto* backup =
      app.add_subcommand("backup", "Copy the database consistently while the server runs");
  backup->add_option("path", o.backup_path, "Where to write the copy (must not exist)")->required();
  backup->fallthrough();
}

void finish(Options& o, const Raw& raw) {
  o.registration = raw.registration == "closed"   ? domain::Registration::closed
                   : raw.registration == "invite" ? domain::Registration::invite
                                                  : domain::Registration::open;
  o.synchronous_full = raw.synchronous == "full";
  o.io_uring = raw.io_uring == "auto";
}

std::string one_line(std::string text) {
  for (auto& c : text) {
    if (c == '\n' || c == '\r') c = ' ';
  }
  return text;
}

}  // namespace

ParsedOptions parse_options(int argc, const char* const* argv) {
  std::vector<std::string> args;
  for (int i = argc - 1; i > 0; --i) args.emplace_back(argv[i]);  // CLI11 wants them reversed

  try {
    // Pass 1: the command line alone, to learn which flags it sets.
    Options first;
    Raw first_raw;
    CLI::App probe("staffroom");
    define(probe, first, first_raw);
    probe.add_option("--config", first.config_file, "Config file (key = value lines)");
    probe.allow_extras(false);
    auto probe_args = args;
    probe.parse(probe_args);

    // The environment fills what the command line left unset: flags beat the environment,
    // which beats the config file (CLI11 alone would let the file beat the environment).
    for (const char* name : kFlagNames) {
      if (probe.count(std::string("--") + name) > 0) continue;
      const char* value = std::getenv(env_name(name).c_str());
      if (value == nullptr || *value == '\0') continue;
      // args is reversed: the front is parsed last, so this reads "--name value".
      args.insert(args.begin(), std::string("--") + name);
      args.insert(args.begin(), std::string(value));
    }

    Options options;
    Raw raw;
    CLI::App app("Staffroom: where educators learn together", "staffroom");
    define(app, options, raw);
    app.set_config("--config", "", "Config file (key = value lines, names as the long flags)")
        ->check(CLI::ExistingFile);
    app.allow_config_extras(CLI::config_extras_mode::error);
    app.parse(args);
    finish(options, raw);
    return ParsedOptions{std::move(options), 0, {}};
  } catch (const CLI::CallForHelp&) {
    Options unused;
    Raw unused_raw;
    CLI::App app("Staffroom: where educators learn together", "staffroom");
    define(app, unused, unused_raw);
    app.set_config("--config", "", "Config file (key = value lines, names as the long flags)");
    return ParsedOptions{std::nullopt, 0, app.help()};
  } catch (const CLI::ParseError& e) {
    return ParsedOptions{std::nullopt, 2, "staffroom: " + one_line(e.what()) + " (see --help)"};
  } catch (const std::exception& e) {
    return ParsedOptions{std::nullopt, 2, "staffroom: " + one_line(e.what())};
  }
}

std::vector<std::string> effective_origins(const Options& options, int bound_port) {
  if (!options.allowed_origins.empty()) return options.allowed_origins;
  const auto port = std::to_string(bound_port);
  return {"http://127.0.0.1:" + port, "http://localhost:" + port};
}

}  // namespace staffroom::app
