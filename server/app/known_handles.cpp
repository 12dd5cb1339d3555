#include "app/known_handles.hpp"

namespace staffroom::app {

KnownHandles::KnownHandles(const std::vector<std::string>& handles)
    : set_(std::make_shared<const Set>(handles.begin(), handles.end())) {}

void KnownHandles::add(const std::string& handle) {
  std::lock_guard lock(mutex_);
  auto next = std::make_shared<Set>(*set_);
  next->insert(handle);
  set_ = std::move(next);
}

std::shared_ptr<const KnownHandles::Set> KnownHandles::snapshot() const {
  std::lock_guard lock(mutex_);
  return set_;
}

}  // namespace staffroom::app
