// The command line: defaults, validation (exit 2), --help (exit 0), precedence.
#include <catch2/catch.hpp>
#include <cstdlib>
#include <fstream>
#include <vector>

#include "app/options.hpp"

using namespace staffroom::app;

namespace {

ParsedOptions parse(std::vector<const char*> args) {
  args.insert(args.begin(), "staffroom");
  return parse_options(static_cast<int>(args.size()), args.data());
}

}  // namespace

TEST_CASE("defaults follow DESIGN.md", "[app]") {
  auto p = parse({});
  REQUIRE(p.options);
  CHECK(p.options->listen == "127.0.0.1");
  CHECK(p.options->port == 8080);
  CHECK(p.options->data_dir == "./data");
  CHECK(p.options->registration == staffroom::domain::Registration::open);
  CHECK(p.options->synchronous_full);
  CHECK(p.options->post_rate == Approx(1.0));
  CHECK(p.options->post_burst == 10);
  CHECK(p.options->send_queue_messages == 1000);
  CHECK(p.options->send_queue_kib == 4096);
  CHECK(p.options->max_upload_mib == 25);
  CHECK(p.options->idle_timeout_seconds == 300);
  CHECK(p.options->io_uring);
  CHECK(effective_origins(*p.options, 9000) ==
        std::vector<std::string>{"http://127.0.0.1:9000", "http://localhost:9000"});
}

TEST_CASE("every invalid value exits 2 with one line", "[app]") {
  const std::vector<std::vector<const char*>> bad = {
      {"--nope"},
      {"--port", "70000"},
      {"--port", "eighty"},
      {"--registration", "maybe"},
      {"--synchronous", "sometimes"},
      {"--io-uring", "on"},
      {"--log-level", "loud"},
      {"--listen", "not-an-ip"},
      {"--allowed-origin", "example.org"},
      {"--public-url", "ftp://x"},
      {"--post-rate", "-1"},
      {"--idle-timeout", "0"},
      {"--idle-timeout", "soon"},
      {"--config", "/nonexistent/staffroom.conf"},
      {"stray-positional"},
  };
  for (const auto& args : bad) {
    INFO(args[0]);
    auto p = parse(args);
    CHECK_FALSE(p.options);
    CHECK(p.exit_code == 2);
    CHECK(p.message.find('\n') == std::string::npos);
    CHECK(p.message.rfind("staffroom: ", 0) == 0);
  }
}

TEST_CASE("the io-uring flag: off writes each connection with its own system call", "[app]") {
  auto p = parse({"--io-uring", "off"});
  REQUIRE(p.options);
  CHECK_FALSE(p.options->io_uring);
  setenv("STAFFROOM_IO_URING", "off", 1);
  auto from_env = parse({});
  unsetenv("STAFFROOM_IO_URING");
  REQUIRE(from_env.options);
  CHECK_FALSE(from_env.options->io_uring);
}

TEST_CASE("help prints the flags and exits 0", "[app]") {
  auto p = parse({"--help"});
  CHECK_FALSE(p.options);
  CHECK(p.exit_code == 0);
  for (const char* flag : {"--listen", "--port", "--data-dir", "--allowed-origin", "--registration",
                           "--send-queue-kib", "--idle-timeout", "--config"}) {
    CHECK(p.message.find(flag) != std::string::npos);
  }
}

TEST_CASE("flags beat the environment, which beats the config file", "[app]") {
  const std::string path = "/tmp/staffroom-options-test.conf";
  {
    std::ofstream f(path);
    f << "registration = \"closed\"\nport = 9001\npost-burst = 3\n";
  }
  auto from_file = parse({"--config", path.c_str()});
  REQUIRE(from_file.options);
  CHECK(from_file.options->registration == staffroom::domain::Registration::closed);
  CHECK(from_file.options->port == 9001);

  setenv("STAFFROOM_REGISTRATION", "invite", 1);
  setenv("STAFFROOM_ALLOWED_ORIGIN", "http://a.test,https://b.test:8443", 1);
  auto env_wins = parse({"--config", path.c_str()});
  REQUIRE(env_wins.options);
  CHECK(env_wins.options->registration == staffroom::domain::Registration::invite);
  CHECK(env_wins.options->allowed_origins ==
        std::vector<std::string>{"http://a.test", "https://b.test:8443"});
  CHECK(env_wins.options->post_burst == 3);

  auto flag_wins = parse({"--config", path.c_str(), "--registration", "open"});
  REQUIRE(flag_wins.options);
  CHECK(flag_wins.options->registration == staffroom::domain::Registration::open);

  setenv("STAFFROOM_PORT", "notanumber", 1);
  CHECK(parse({}).exit_code == 2);
  unsetenv("STAFFROOM_PORT");
  unsetenv("STAFFROOM_REGISTRATION");
  unsetenv("STAFFROOM_ALLOWED_ORIGIN");

  {
    std::ofstream f(path);
    f << "colour = \"blue\"\n";
  }
  auto unknown = parse({"--config", path.c_str()});
  CHECK(unknown.exit_code == 2);
  std::remove(path.c_str());
}

TEST_CASE("backup takes a path", "[app]") {
  auto p = parse({"--data-dir", "/tmp/x", "backup", "/tmp/copy.db"});
  REQUIRE(p.options);
  CHECK(p.options->backup_path == "/tmp/copy.db");
  CHECK(p.options->data_dir == "/tmp/x");
  CHECK(parse({"backup"}).exit_code == 2);
}
