// The Bloom filter ClientIdIndex asks before reading post_client_ids: never a false "no",
// few false "maybe"s, growing by layers.
#include <catch2/catch.hpp>

#include <cstdint>

#include "storage/key_filter.hpp"

using staffroom::storage::KeyFilter;

namespace {

// Distinct, well-spread 64-bit values (splitmix64), as std::hash gives for distinct keys.
std::uint64_t nth_hash(std::uint64_t n) {
  std::uint64_t x = n * 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

}  // namespace

TEST_CASE("KeyFilter never denies a key it was given, across its layers", "[storage][key_filter]") {
  KeyFilter filter;
  CHECK_FALSE(filter.may_contain(nth_hash(1)));  // empty
  constexpr std::uint64_t kKeys = 300000;
  for (std::uint64_t i = 0; i < kKeys; ++i) filter.add(nth_hash(i));
  CHECK(filter.keys() == kKeys);
  CHECK(filter.layers() == 3);  // 65,536 + 131,072 + 262,144 keys of room
  std::uint64_t denied = 0;
  for (std::uint64_t i = 0; i < kKeys; ++i) denied += filter.may_contain(nth_hash(i)) ? 0 : 1;
  CHECK(denied == 0);

  // Keys never added: each layer answers "maybe" for about 1 % of them when full.
  std::uint64_t maybes = 0;
  constexpr std::uint64_t kOthers = 100000;
  for (std::uint64_t i = kKeys; i < kKeys + kOthers; ++i) {
    maybes += filter.may_contain(nth_hash(i)) ? 1 : 0;
  }
  INFO("false maybes: " << maybes);
  CHECK(maybes < kOthers * 3 / 100);
  CHECK(maybes > 0);  // it is a filter, not a set
}

TEST_CASE("KeyFilter sizes its first layer for the keys expected", "[storage][key_filter]") {
  const KeyFilter small;
  CHECK(small.bytes() == KeyFilter::kFirstLayerKeys * KeyFilter::kBitsPerKey / 8);
  KeyFilter large(1000000);
  CHECK(large.bytes() == 19532 * 64);  // 10,000,000 bits in whole 512-bit blocks
  for (std::uint64_t i = 0; i < 1000000; ++i) large.add(nth_hash(i));
  CHECK(large.layers() == 1);
  large.add(nth_hash(1000000));
  CHECK(large.layers() == 2);
}
