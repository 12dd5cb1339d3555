#include "proc_stats.hpp"

#include <unistd.h>

#include <fstream>
#include <sstream>
#include <string>

namespace staffroom::load {

ProcStats ProcStats::read(int pid) {
  ProcStats s;
  if (pid <= 0) return s;
  const std::string dir = "/proc/" + std::to_string(pid);
  std::ifstream stat(dir + "/stat");
  std::string line;
  if (!std::getline(stat, line)) return s;
  // Fields after the command name (which may hold spaces) start at field 3; utime is 14.
  std::istringstream fields(line.substr(line.rfind(')') + 2));
  std::string field;
  const double ticks = static_cast<double>(sysconf(_SC_CLK_TCK));
  for (int i = 3; fields >> field; ++i) {
    if (i == 14) s.user_seconds = std::stod(field) / ticks;
    if (i == 15) {
      s.system_seconds = std::stod(field) / ticks;
      break;
    }
  }
  std::ifstream status(dir + "/status");
  while (std::getline(status, line)) {
    if (line.rfind("VmRSS:", 0) == 0) s.rss_kib = std::stol(line.substr(6));
    if (line.rfind("RssAnon:", 0) == 0) s.rss_anon_kib = std::stol(line.substr(8));
  }
  std::ifstream io(dir + "/io");
  while (std::getline(io, line)) {
    if (line.rfind("write_bytes:", 0) == 0) s.write_bytes = std::stoll(line.substr(12));
  }
  s.valid = true;
  return s;
}

}  // namespace staffroom::load
