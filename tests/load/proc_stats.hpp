// A process's CPU time, resident memory and storage writes, read from /proc.
#pragma once

namespace staffroom::load {

/// One reading of /proc/PID/stat (user and system CPU seconds), /proc/PID/status (RSS) and
/// /proc/PID/io (bytes written to storage).
struct ProcStats {
  double user_seconds = 0;
  double system_seconds = 0;
  long rss_kib = 0;       // VmRSS
  long rss_anon_kib = 0;  // RssAnon: heap and stacks, without the mapped binary and libraries
  /// write_bytes: what the process sent towards storage (counted as it dirties the page cache:
  /// a database's WAL and checkpoints, not sockets); -1 when /proc/PID/io is unreadable.
  long long write_bytes = -1;
  bool valid = false;

  static ProcStats read(int pid);
  double cpu_seconds() const { return user_seconds + system_seconds; }
};

}  // namespace staffroom::load
