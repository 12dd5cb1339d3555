// A retried post is found by (author, client_id) whether its entry is in memory or already in
// post_client_ids, across rollbacks and restarts; entries reach the table in key order.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

#include "storage/client_id_index.hpp"
#include "storage/database.hpp"
#include "storage_fixture.hpp"

using namespace staffroom;
using namespace staffroom::storage;
using namespace staffroom::storage::testing;

namespace {

// Users 1-3 and channel 1; posts are inserted as the writer would (without their seq index
// entries, which these tests never read).
struct Store : MigratedFile {
  std::int64_t last_id = 0;

  Store() : MigratedFile(3) {}

  // One post row, as PostChanges writes it, and its entry in `index`.
  domain::PostId post(ClientIdIndex& index, domain::UserId author, const std::string& client_id) {
    auto insert = connection.query(
        "INSERT INTO posts (channel_id, seq, author_id, body, html, created_at, client_id) "
        "VALUES (1, ?1, ?2, 'b', '<p>b</p>', 30, ?3)");
    insert->bind_int64(1, ++last_id).bind_int64(2, author).bind_text(3, client_id);
    insert->run();
    const auto id = connection.last_insert_rowid();
    index.add(author, client_id, id);
    return id;
  }

  // A batch of `count` posts by authors 1-3 in turn, committed the way SqliteWriter does.
  std::vector<domain::PostId> batch(ClientIdIndex& index, int count, const std::string& prefix) {
    std::vector<domain::PostId> ids;
    Transaction transaction(connection, Transaction::Kind::immediate);
    index.begin_batch();
    for (int i = 0; i < count; ++i) {
      ids.push_back(post(index, 1 + i % 3, prefix + std::to_string(i)));
    }
    index.before_commit();
    transaction.commit();
    index.committed();
    index.between_batches();
    return ids;
  }

  std::int64_t number(const std::string& sql) {
    auto query = connection.query(sql);
    REQUIRE(query->step());
    return query->column_int64(0);
  }
};

}  // namespace

TEST_CASE("a batch's posts are found at once; a batch that did not commit is forgotten",
          "[storage][client_ids]") {
  Store store;
  ClientIdIndex index(store.connection);
  const auto kept = store.batch(index, 3, "k");
  CHECK(index.find(1, "k0") == kept[0]);
  CHECK(index.find(2, "k1") == kept[1]);
  CHECK_FALSE(index.find(2, "k0"));  // another author's id

  {
    Transaction transaction(store.connection, Transaction::Kind::immediate);
    index.begin_batch();
    const auto lost = store.post(index, 1, "lost");
    CHECK(index.find(1, "lost") == lost);  // a retry inside the same batch finds it
    const auto mark = index.mark();
    store.post(index, 2, "undone");
    index.forget_from(mark);  // that change's savepoint rolled back
    CHECK_FALSE(index.find(2, "undone"));
    CHECK(index.find(1, "lost") == lost);
  }  // rolled back: the batch never reaches committed()
  index.begin_batch();
  CHECK_FALSE(index.find(1, "lost"));
  CHECK(index.find(1, "k0") == kept[0]);
  CHECK(index.in_memory() == 3);
}

TEST_CASE("a full generation moves to the table a slice per batch, in key order",
          "[storage][client_ids]") {
  Store store;
  const std::size_t generation = ClientIdIndex::kSlice * 2 + 10;
  ClientIdIndex index(store.connection, generation);
  const auto first = store.batch(index, static_cast<int>(generation), "g");
  // Frozen at commit; nothing written yet and the mark has not moved.
  CHECK(store.number("SELECT count(*) FROM post_client_ids") == 0);
  CHECK(store.number("SELECT through_post_id FROM post_client_id_mark") == 0);

  std::vector<std::int64_t> rows_after;
  std::vector<std::size_t> memory_after;
  for (int i = 0; i < 3; ++i) {
    store.batch(index, 1, "later" + std::to_string(i) + "-");
    rows_after.push_back(store.number("SELECT count(*) FROM post_client_ids"));
    memory_after.push_back(index.in_memory());
    if (i == 0) {
      // Key order: the first slice holds all of author 1's entries, then author 2's first.
      CHECK(store.number("SELECT count(*) FROM post_client_ids WHERE author_id = 1") ==
            static_cast<std::int64_t>(generation / 3));
      CHECK(store.number("SELECT max(author_id) FROM post_client_ids") == 2);
      // Half in the table, half in memory, the mark not yet moved: all are found.
      for (std::size_t j = 0; j < generation; ++j) {
        const auto author = static_cast<domain::UserId>(1 + j % 3);
        REQUIRE(index.find(author, "g" + std::to_string(j)) == first[j]);
      }
      CHECK(index.table_reads() >= ClientIdIndex::kSlice);
    }
  }
  const auto slice = static_cast<std::int64_t>(ClientIdIndex::kSlice);
  CHECK(rows_after == std::vector<std::int64_t>{slice, 2 * slice, 2 * slice + 10});
  // Each slice's entries leave memory once it has committed; the three later posts stay.
  CHECK(memory_after == std::vector<std::size_t>{generation + 1 - ClientIdIndex::kSlice,
                                                 generation + 2 - 2 * ClientIdIndex::kSlice, 3});
  CHECK(store.number("SELECT through_post_id FROM post_client_id_mark") == first.back());

  for (std::size_t i = 0; i < generation; ++i) {
    const auto author = static_cast<domain::UserId>(1 + i % 3);
    REQUIRE(index.find(author, "g" + std::to_string(i)) == first[i]);
  }
  CHECK(index.find(1, "later0-0"));
}

TEST_CASE("a slice whose batch rolled back is written again; the mark moves only with the last",
          "[storage][client_ids]") {
  Store store;
  ClientIdIndex index(store.connection, 10);
  const auto ids = store.batch(index, 10, "r");
  {
    Transaction transaction(store.connection, Transaction::Kind::immediate);
    index.begin_batch();
    index.before_commit();  // the whole generation (10 < kSlice), then the batch fails
  }
  index.between_batches();  // as the writer calls it after every batch, failed or not
  CHECK(store.number("SELECT count(*) FROM post_client_ids") == 0);
  CHECK(store.number("SELECT through_post_id FROM post_client_id_mark") == 0);
  CHECK(index.in_memory() == 10);
  CHECK(index.find(2, "r1") == ids[1]);
  store.batch(index, 0, "none");
  CHECK(store.number("SELECT count(*) FROM post_client_ids") == 10);
  CHECK(store.number("SELECT through_post_id FROM post_client_id_mark") == ids.back());
  CHECK(index.in_memory() == 0);
  CHECK(index.find(2, "r1") == ids[1]);
}

TEST_CASE("after a restart, posts after the mark are in memory and the rest in the table",
          "[storage][client_ids]") {
  Store store;
  std::vector<domain::PostId> moved;
  std::vector<domain::PostId> recent;
  {
    ClientIdIndex index(store.connection, 6);
    moved = store.batch(index, 6, "m");
    store.batch(index, 1, "x");  // writes the generation and moves the mark
    recent = store.batch(index, 4, "n");
  }
  // A crash while a later generation was half written: its rows are in the table already.
  store.connection.exec(
      "INSERT INTO post_client_ids (author_id, client_id, post_id) "
      "SELECT author_id, client_id, id FROM posts WHERE client_id = 'n0'");

  ClientIdIndex reopened(store.connection, 5);
  CHECK(reopened.in_memory() == 5);  // x and n0-n3, frozen at once: 5 reached
  for (std::size_t i = 0; i < moved.size(); ++i) {
    CHECK(reopened.find(static_cast<domain::UserId>(1 + i % 3), "m" + std::to_string(i)) ==
          moved[i]);
  }
  CHECK(reopened.find(1, "n0") == recent[0]);
  store.batch(reopened, 0, "none");  // n0 is written again without a conflict
  CHECK(reopened.in_memory() == 0);
  CHECK(store.number("SELECT count(*) FROM post_client_ids") == 11);
  CHECK(reopened.find(2, "n1") == recent[1]);
  CHECK_FALSE(reopened.find(3, "n1"));
}

TEST_CASE("batches larger than a slice still empty memory: each generation is written in time",
          "[storage][client_ids]") {
  Store store;
  const std::size_t generation = 100;
  const int per_batch = static_cast<int>(ClientIdIndex::kSlice) + 200;
  ClientIdIndex index(store.connection, generation);
  std::size_t most = 0;
  for (int i = 0; i < 12; ++i) {
    store.batch(index, per_batch, "b" + std::to_string(i) + "-");
    most = std::max(most, index.in_memory());
  }
  // Each batch freezes what it added and the next writes all of it (a slice is at least twice
  // a batch's new posts): memory never holds more than two batches. With fixed slices of
  // kSlice it grew by 200 entries a batch.
  CHECK(most <= 2 * static_cast<std::size_t>(per_batch));
  CHECK(store.number("SELECT count(*) FROM post_client_ids") ==
        static_cast<std::int64_t>(11 * per_batch));
  CHECK(index.find(1, "b0-0"));
  CHECK(index.find(3, "b11-2"));
}

TEST_CASE("the frozen generation survives the map growing while it is written",
          "[storage][client_ids]") {
  Store store;
  const std::size_t generation = 600;
  ClientIdIndex index(store.connection, generation);
  const auto frozen = store.batch(index, static_cast<int>(generation), "f");
  // 250 more: a slice of 500 (twice the batch), and the map rehashes past ~631 buckets while
  // 100 of the generation's entries wait for the next batch.
  const auto more = store.batch(index, 250, "m");
  CHECK(store.number("SELECT count(*) FROM post_client_ids") == 500);
  CHECK(index.in_memory() == generation + 250 - 500);  // the slice written has left memory
  store.batch(index, 1, "last");
  CHECK(store.number("SELECT count(*) FROM post_client_ids") == 600);
  CHECK(index.in_memory() == 251);
  for (std::size_t i = 0; i < frozen.size(); ++i) {
    REQUIRE(index.find(static_cast<domain::UserId>(1 + i % 3), "f" + std::to_string(i)) ==
            frozen[i]);
  }
  CHECK(index.find(2, "m1") == more[1]);
}

TEST_CASE("a new client_id is answered without reading the table, before and after a restart",
          "[storage][client_ids]") {
  Store store;
  const std::size_t generation = 200;
  std::vector<domain::PostId> filed;
  const auto misses_read = [](ClientIdIndex& index) {
    const std::size_t before = index.table_reads();
    for (int i = 0; i < 1000; ++i) CHECK_FALSE(index.find(1, "new" + std::to_string(i)));
    return index.table_reads() - before;
  };
  {
    ClientIdIndex index(store.connection, generation);
    filed = store.batch(index, static_cast<int>(generation), "f");
    store.batch(index, 0, "none");  // writes the generation (one slice) and drops it
    REQUIRE(index.in_memory() == 0);
    CHECK(misses_read(index) < 30);  // the filter's false maybes only (about 1 %)
    const std::size_t before = index.table_reads();
    for (std::size_t i = 0; i < generation; ++i) {
      REQUIRE(index.find(static_cast<domain::UserId>(1 + i % 3), "f" + std::to_string(i)) ==
              filed[i]);
    }
    CHECK(index.table_reads() - before == generation);  // each found in the table
  }
  ClientIdIndex reopened(store.connection, generation);  // the filter is built from the table
  CHECK(misses_read(reopened) < 30);
  for (std::size_t i = 0; i < generation; ++i) {
    REQUIRE(reopened.find(static_cast<domain::UserId>(1 + i % 3), "f" + std::to_string(i)) ==
            filed[i]);
  }
}
