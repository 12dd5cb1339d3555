// A connection's page cache made small for the length of one long scan or rewrite.
#pragma once

#include <cstdint>

namespace staffroom::storage {

class Connection;

/// The writer's connection keeps a 64 MiB page cache for its working set. A start-up scan
/// (ClientIdIndex's filter) or a migration that copies a whole table reads each page once,
/// and through that cache the server kept them: 93 MB after upgrading a file of 1,000,000
/// posts, against 39 MB with a 2 MiB cache. The cache gets back its size at scope exit.
class SmallPageCache {
 public:
  /// Throws StorageError if the size cannot be read or set.
  SmallPageCache(Connection& connection, std::int64_t kib);
  ~SmallPageCache();
  SmallPageCache(const SmallPageCache&) = delete;
  SmallPageCache& operator=(const SmallPageCache&) = delete;

 private:
  Connection& connection_;
  std::int64_t size_ = 0;  // PRAGMA cache_size as it was: pages, or -KiB
};

}  // namespace staffroom::storage
