// The seq index's reads: each half sought by key and merged in order, never a scan of a
// channel's whole history or of the posts.
#include <catch2/catch.hpp>

#include <algorithm>
#include <string>
#include <vector>

#include "storage/database.hpp"
#include "storage/seq_index_sql.hpp"
#include "storage_fixture.hpp"

using namespace staffroom;
using namespace staffroom::storage;
using namespace staffroom::storage::testing;

namespace {

std::vector<std::string> plan(Connection& connection, const std::string& sql) {
  auto query = connection.query("EXPLAIN QUERY PLAN " + sql);
  std::vector<std::string> details;
  while (query->step()) details.push_back(query->column_text(3));
  return details;
}

std::size_t count(const std::vector<std::string>& details, const std::string& line) {
  return static_cast<std::size_t>(std::count(details.begin(), details.end(), line));
}

bool mentions(const std::vector<std::string>& details, const std::string& part) {
  return std::any_of(details.begin(), details.end(),
                     [&](const std::string& d) { return d.find(part) != std::string::npos; });
}

}  // namespace

TEST_CASE("seq index reads seek both tables by key and merge them", "[storage][seq_index]") {
  MigratedFile file(1);
  SECTION("a history page, either way") {
    for (const bool forward : {true, false}) {
      const auto details = plan(file.connection, seq_index_sql::history_page(forward));
      INFO(Catch::Detail::stringify(details));
      CHECK(count(details, "SEARCH s USING PRIMARY KEY (channel_id=? AND seq>? AND seq<?)") == 2);
      CHECK(count(details, "MERGE (UNION ALL)") == 1);
      CHECK(count(details, "SEARCH p USING INTEGER PRIMARY KEY (rowid=?)") == 1);
      CHECK_FALSE(mentions(details, "SCAN s"));
      CHECK_FALSE(mentions(details, "SCAN p"));
    }
  }
  SECTION("the unread count, without reading posts") {
    const auto details = plan(file.connection, seq_index_sql::unread_count());
    INFO(Catch::Detail::stringify(details));
    CHECK(count(details, "SEARCH s USING PRIMARY KEY (channel_id=? AND seq>?)") == 2);
    CHECK_FALSE(mentions(details, " p "));
    CHECK_FALSE(mentions(details, "posts"));
  }
  SECTION("the event log, with posts' creations from the index") {
    const auto details = plan(file.connection, seq_index_sql::events_after());
    INFO(Catch::Detail::stringify(details));
    CHECK(count(details, "SEARCH events USING PRIMARY KEY (channel_id=? AND seq>?)") == 1);
    CHECK(count(details, "SEARCH s USING PRIMARY KEY (channel_id=? AND seq>?)") == 2);
    CHECK(count(details, "MERGE (UNION ALL)") == 2);
    // In key order as they come: no sort of a channel's whole log.
    CHECK_FALSE(mentions(details, "TEMP B-TREE"));
    CHECK_FALSE(mentions(details, "SCAN"));
  }
}
