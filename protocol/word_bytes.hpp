// Tests on eight bytes at once (SWAR), for the scans that every frame's text goes through.
#pragma once

#include <cstdint>
#include <cstring>

namespace staffroom::protocol::word_bytes {

inline constexpr std::uint64_t kOnes = 0x0101010101010101ull;
inline constexpr std::uint64_t kHighs = 0x8080808080808080ull;

/// Eight bytes from `p` (any alignment).
inline std::uint64_t load(const char* p) {
  std::uint64_t w;
  std::memcpy(&w, p, sizeof w);
  return w;
}

/// True when some byte has its high bit set (not ASCII).
inline bool any_high(std::uint64_t w) { return (w & kHighs) != 0; }

/// True when some byte is below `n` (n <= 128). A borrow can only mark bytes above one that
/// really is below n, so the answer for the word as a whole is exact.
inline bool any_below(std::uint64_t w, unsigned n) { return ((w - kOnes * n) & ~w & kHighs) != 0; }

/// True when some byte equals `c`.
inline bool any_equal(std::uint64_t w, unsigned char c) { return any_below(w ^ (kOnes * c), 1); }

/// True when some byte cannot stand as it is inside a JSON string: a control character, a
/// quote or a backslash (the writer escapes them; the reader stops at them).
inline bool any_json_special(std::uint64_t w) {
  return any_below(w, 0x20) || any_equal(w, '"') || any_equal(w, '\\');
}

}  // namespace staffroom::protocol::word_bytes
