// A page cache made small for one scan gets its size back, however the scope ends.
#include <catch2/catch.hpp>

#include <stdexcept>

#include "storage/database.hpp"
#include "storage/small_page_cache.hpp"
#include "storage_fixture.hpp"

using namespace staffroom::storage;
using namespace staffroom::storage::testing;

namespace {

std::int64_t cache_size(Connection& connection) {
  auto query = connection.query("PRAGMA cache_size");
  return query->step() ? query->column_int64(0) : 0;
}

}  // namespace

TEST_CASE("SmallPageCache shrinks the cache for its scope only", "[storage][page_cache]") {
  MigratedFile file(1);
  file.connection.exec("PRAGMA cache_size = -65536");
  {
    SmallPageCache small(file.connection, 1024);
    CHECK(cache_size(file.connection) == -1024);
  }
  CHECK(cache_size(file.connection) == -65536);
  file.connection.exec("PRAGMA cache_size = 500");  // in pages, not KiB: kept as given
  CHECK_THROWS_AS(
      [&] {
        SmallPageCache small(file.connection, 2048);
        CHECK(cache_size(file.connection) == -2048);
        throw std::runtime_error("the scan failed");
      }(),
      std::runtime_error);
  CHECK(cache_size(file.connection) == 500);
}
