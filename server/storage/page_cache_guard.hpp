// SQLite's default page cache, without a whole-cache scan after most busy commits.
#pragma once

#include <cstdint>

struct sqlite3_pcache_methods2;  // as in database.hpp: <sqlite3.h> stays out of headers

namespace staffroom::storage {

/// At the end of every write transaction SQLite asks its page cache to drop any page past the
/// database's end. The default cache (pcache1) skips that when the largest page number it has
/// held since its last drop is within the database. But a b-tree balance renumbers pages by
/// parking one at the lock-byte page's number (262,145 with 4 KiB pages; it never holds data)
/// for a moment, and from then on the default cache believes it may hold that page: the
/// commit's drop walks the whole hash table and every cached page. Measured in the server at
/// 5,000 posts/s with the writer's 64 MiB cache full: 0.4 ms a commit (p99 2 ms) in about a
/// third of the commits; in a loop of 10-row commits with a 40 MB cache, 180 µs a commit
/// against 143 µs with this guard.
///
/// This wraps the default cache and keeps its own largest page number, which leaves out that
/// momentary parking (a page still parked at a drop has the drop passed on); a drop is passed
/// on only when a page past the limit may be cached. Everything else goes straight to the
/// default cache.
class PageCacheGuard {
 public:
  /// Installs the wrapper for the whole process. Call before SQLite initialises
  /// (configure_sqlite_once does); returns false if SQLite refused, leaving the default cache.
  static bool install();

  struct Counts {
    std::uint64_t drops_passed = 0;   // drops the default cache carried out
    std::uint64_t drops_skipped = 0;  // drops with no page past the limit: nothing to do
    std::uint64_t parkings = 0;       // pages renumbered to the parking number
  };
  /// Since the process started, over every connection (for tests).
  static Counts counts();
  /// The installed methods, to drive a cache directly (for tests); null if not installed.
  static const sqlite3_pcache_methods2* methods();
};

}  // namespace staffroom::storage
