#include "storage/change_applier.hpp"

#include <variant>

namespace staffroom::storage {

domain::Committed ChangeApplier::apply(const domain::Change& change) {
  // The first handler with an overload for the change takes it; a change no handler knows
  // fails to compile in the last branch.
  domain::Committed committed = std::visit(
      [this](const auto& typed) -> domain::Committed {
        if constexpr (requires { accounts_.on(typed); }) {
          return accounts_.on(typed);
        } else if constexpr (requires { channels_.on(typed); }) {
          return channels_.on(typed);
        } else {
          return posts_.on(typed);
        }
      },
      change);
  // A retry that found its first post wrote nothing new. The entry is written in the post's
  // change: a change that fails after it is undone whole (its savepoint, or the batch's rerun).
  if (std::holds_alternative<domain::NewPost>(change) && !committed.error && !committed.duplicate) {
    seqs_.added(committed.post.value());
  }
  return committed;
}

}  // namespace staffroom::storage
