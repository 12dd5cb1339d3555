#include "storage/small_page_cache.hpp"

#include <string>

#include "storage/database.hpp"

namespace staffroom::storage {

SmallPageCache::SmallPageCache(Connection& connection, std::int64_t kib) : connection_(connection) {
  {
    auto query = connection_.query("PRAGMA cache_size");
    if (query->step()) size_ = query->column_int64(0);
  }
  connection_.exec("PRAGMA cache_size = " + std::to_string(-kib));
}

SmallPageCache::~SmallPageCache() {
  try {
    connection_.exec("PRAGMA cache_size = " + std::to_string(size_));
  } catch (...) {
    // Only a smaller cache is left behind: slower, never wrong.
  }
}

}  // namespace staffroom::storage
