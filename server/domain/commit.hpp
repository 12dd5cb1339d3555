// Appends a change and continues on the home lane once it is committed.
#pragma once

#include <functional>
#include <utility>

#include "domain/lane.hpp"
#include "domain/store.hpp"

namespace staffroom::domain {

/// The writer calls back on its own thread; every continuation that touches the model must
/// hop back to the home lane first. This does that hop.
inline void commit_then(Writer& writer, Lane& home, Change change,
                        std::function<void(Committed)> then) {
  writer.append(std::move(change), [&home, then = std::move(then)](Committed c) mutable {
    home.post([then = std::move(then), c = std::move(c)]() mutable { then(std::move(c)); });
  });
}

}  // namespace staffroom::domain
