// room_for_one: a push_back after it never allocates, and a run of them grows the vector
// geometrically.
#include <catch2/catch.hpp>

#include <cstddef>
#include <vector>

#include "storage/room_for_one.hpp"

using staffroom::storage::room_for_one;

TEST_CASE("room_for_one leaves room for a push_back and grows geometrically",
          "[storage][room_for_one]") {
  std::vector<int> v;
  std::size_t reallocations = 0;
  for (int i = 0; i < 100000; ++i) {
    const auto before = v.capacity();
    room_for_one(v);
    if (v.capacity() != before) ++reallocations;
    REQUIRE(v.capacity() > v.size());
    const auto* data = v.data();
    v.push_back(i);
    REQUIRE(v.data() == data);  // the push_back did not reallocate
  }
  // 16, 32, ..., 131072: 14 allocations. Reserving exactly one more made 100,000.
  CHECK(reallocations <= 14);
  CHECK(v.size() == 100000);
}

TEST_CASE("room_for_one keeps a cleared vector's room", "[storage][room_for_one]") {
  std::vector<int> v(40);
  v.clear();
  const auto capacity = v.capacity();
  room_for_one(v);
  CHECK(v.capacity() == capacity);
}
