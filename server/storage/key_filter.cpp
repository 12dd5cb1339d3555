#include "storage/key_filter.hpp"

#include <algorithm>

namespace staffroom::storage {
namespace {

// splitmix64's finaliser: the bits inside a block come from a second, independent-looking
// mix of the hash, not from the bits that chose the block.
std::uint64_t remix(std::uint64_t x) {
  x ^= x >> 30;
  x *= 0xbf58476d1ce4e5b9ULL;
  x ^= x >> 27;
  x *= 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

}  // namespace

KeyFilter::Layer::Layer(std::size_t keys_wanted)
    : blocks(std::max<std::size_t>(1, (keys_wanted * kBitsPerKey + 511) / 512), Block{}),
      capacity(keys_wanted) {}

KeyFilter::KeyFilter(std::size_t expected) {
  layers_.emplace_back(std::max(expected, kFirstLayerKeys));
}

std::size_t KeyFilter::block_index(const Layer& layer, std::uint64_t hash) {
  // The top 32 bits scaled to the block count: no modulo, and any count works.
  return static_cast<std::size_t>(((hash >> 32) * layer.blocks.size()) >> 32);
}

std::array<std::uint16_t, 7> KeyFilter::bits_of(std::uint64_t hash) {
  const std::uint64_t mixed = remix(hash);
  std::array<std::uint16_t, 7> bits{};
  for (std::size_t i = 0; i < bits.size(); ++i) {
    bits[i] = static_cast<std::uint16_t>((mixed >> (9 * i)) & 511);
  }
  return bits;
}

void KeyFilter::add(std::uint64_t hash) {
  if (layers_.back().keys >= layers_.back().capacity) {
    layers_.emplace_back(2 * layers_.back().capacity);
  }
  Layer& layer = layers_.back();
  Block& block = layer.blocks[block_index(layer, hash)];
  for (const std::uint16_t bit : bits_of(hash)) block[bit / 64] |= std::uint64_t{1} << (bit % 64);
  ++layer.keys;
  ++keys_;
}

bool KeyFilter::may_contain(std::uint64_t hash) const {
  const auto bits = bits_of(hash);
  for (const Layer& layer : layers_) {
    const Block& block = layer.blocks[block_index(layer, hash)];
    const bool all = std::all_of(bits.begin(), bits.end(), [&](std::uint16_t bit) {
      return (block[bit / 64] >> (bit % 64)) & 1;
    });
    if (all) return true;
  }
  return false;
}

std::size_t KeyFilter::bytes() const {
  std::size_t total = 0;
  for (const Layer& layer : layers_) total += layer.blocks.size() * sizeof(Block);
  return total;
}

}  // namespace staffroom::storage
