// A process's CPU time and resident memory, read from /proc.
#pragma once

namespace staffroom::load {

/// One reading of /proc/PID/stat (user and system CPU seconds) and /proc/PID/status (RSS).
struct ProcStats {
  double user_seconds = 0;
  double system_seconds = 0;
  long rss_kib = 0;       // VmRSS
  long rss_anon_kib = 0;  // RssAnon: heap and stacks, without the mapped binary and libraries
  bool valid = false;

  static ProcStats read(int pid);
  double cpu_seconds() const { return user_seconds + system_seconds; }
};

}  // namespace staffroom::load
