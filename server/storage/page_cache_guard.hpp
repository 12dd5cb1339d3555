// SQLite's default page cache, without a whole-cache scan after most busy commits.
#pragma once

#include <cstdint>

namespace staffroom::storage {

/// At the end of every write transaction SQLite asks its page cache to drop any page past the
/// database's end. The default cache (pcache1) skips that when its largest page number ever
/// cached is within the database. But a b-tree balance renumbers pages by parking one at the
/// lock-byte page's number (262,145 with 4 KiB pages; it never holds data) for a moment, and
/// from then on the default cache believes it may hold that page: the commit's drop walks the
/// whole hash table and every cached page. With the writer's 64 MiB cache full that took
/// 0.4 ms a commit (p99 2 ms), in about a third of the commits under load.
///
/// This wraps the default cache and keeps its own largest page number, which leaves out that
/// momentary parking; a drop is passed on only when a page past the limit may be cached.
/// Everything else goes straight to the default cache.
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
};

}  // namespace staffroom::storage
