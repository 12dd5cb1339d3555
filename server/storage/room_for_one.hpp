// Room for one more element, so that the push_back that follows cannot throw.
#pragma once

#include <algorithm>
#include <cstddef>

namespace staffroom::storage {

/// Makes sure `v` can take one more element without allocating, so that a push_back after a
/// change to another structure cannot fail and leave the two out of step. Grows geometrically:
/// reserve(size() + 1) allocates exactly that much, so a run of them copies the whole vector
/// each time (quadratic in its length).
template <typename Vector>
void room_for_one(Vector& v) {
  if (v.size() == v.capacity()) v.reserve(std::max<std::size_t>(16, 2 * v.capacity()));
}

}  // namespace staffroom::storage
