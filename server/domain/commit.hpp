// Appends a change and continues on the home lane once it is committed.
#pragma once

#include <functional>
#include <utility>

#include "domain/lane.hpp"
#include "domain/store.hpp"

namespace staffroom::domain {

/// The writer calls back on its own thread; every continuation that touches the model must
/// hop back to the home lane first. This has the writer do that hop (once per batch).
inline void commit_then(Writer& writer, Lane& home, Change change,
                        std::function<void(Committed)> then) {
  writer.append_on(std::move(change), home, std::move(then));
}

}  // namespace staffroom::domain
