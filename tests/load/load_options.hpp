// The load generator's settings, parsed once from the command line.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace staffroom::load {

/// One measured step: posts per second (total) for a number of seconds.
struct Step {
  double rate = 0;
  double seconds = 0;
};

/// Everything one run of staffroom-load does, validated by parse_options.
struct LoadOptions {
  std::string protocol = "staffroom";  // or "plain": send text, every connection receives it
  std::string host = "127.0.0.1";
  unsigned short port = 0;
  int channels = 1;              // channel groups (plain: 1)
  int subscribers = 10;          // receiving connections per channel, publishers included
  int publishers = 1;            // publishing connections per channel
  int accounts = 1;              // accounts per channel, shared by its connections
  int body_bytes = 200;          // post body size
  std::vector<Step> steps;       // empty: connect, join, hold (idle) and report
  double idle_seconds = 2;       // with no steps: how long to hold the joined connections
  int closed_loop = 0;           // >0: each publisher keeps this many posts in flight (no rate)
  double drain_seconds = 5;      // after a step, how long to wait for the missing deliveries
  double stop_p99_ms = 0;        // >0: stop the sweep after a step whose p99 exceeds this
  int stall = 0;                 // subscribers of channel 0 that stop reading
  int stall_step = 1;            // ...from the start of this step (0-based)
  int stall_every = 0;           // >0: one at a time, the next this many steps later
  int stall_rcvbuf = 4096;       // their SO_RCVBUF (a slow phone, not a data centre)
  double stall_wait = 3;         // after the steps: how long to wait for the server to close them
  int connect_parallel = 256;    // handshakes in flight while connecting
  int per_source_ip = 25000;     // connections per 127.0.0.x source address
  double connect_timeout = 120;  // seconds to open and join every connection
  double max_seconds = 600;      // hard bound on the whole run
  double wake_us = 250;          // open loop: the generator wakes at most this often
  int server_pid = 0;            // >0: read its CPU time and RSS from /proc
  std::string state_file;        // accounts and channels: reused when present, written when not
  bool setup_only = false;       // register, create and join, save the state, exit
  std::string run_tag = "r";     // makes client_ids unique across runs on one database
  std::string reader = "auto";   // "auto": io_uring where the kernel allows it; "asio": never
};

/// Parses argv; prints a message and returns an exit code when the run should not start.
struct ParsedLoadOptions {
  std::optional<LoadOptions> options;
  int exit_code = 0;
};
ParsedLoadOptions parse_load_options(int argc, char** argv);

}  // namespace staffroom::load
