// A Bloom filter over 64-bit key hashes that grows as keys are added.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <vector>

namespace staffroom::storage {

/// Answers "certainly not added" or "maybe added" for a key's hash, in one cache line per layer.
/// Each layer is a blocked Bloom filter (a key's bits all lie in one 64-byte block) with about
/// kBitsPerKey bits per key it was sized for, so about 1 % false positives when full; a full
/// layer is followed by one twice its size, so a lookup reads a handful of layers however many
/// keys there are. Keys are never removed. Not thread-safe.
class KeyFilter {
 public:
  /// The first layer holds `expected` keys (at least kFirstLayerKeys).
  explicit KeyFilter(std::size_t expected = 0);

  void add(std::uint64_t hash);
  bool may_contain(std::uint64_t hash) const;

  std::size_t keys() const { return keys_; }
  std::size_t layers() const { return layers_.size(); }
  std::size_t bytes() const;

  static constexpr std::size_t kFirstLayerKeys = 65536;
  static constexpr std::size_t kBitsPerKey = 10;

 private:
  using Block = std::array<std::uint64_t, 8>;  // 512 bits, one cache line
  struct Layer {
    explicit Layer(std::size_t capacity);
    std::vector<Block> blocks;
    std::size_t capacity;  // keys it was sized for
    std::size_t keys = 0;
  };
  /// The block of `layer` that `hash` selects, and the key's 7 bits in it.
  static std::size_t block_index(const Layer& layer, std::uint64_t hash);
  static std::array<std::uint16_t, 7> bits_of(std::uint64_t hash);

  std::vector<Layer> layers_;
  std::size_t keys_ = 0;
};

}  // namespace staffroom::storage
