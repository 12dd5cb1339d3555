#include "storage/search_progress.hpp"

namespace staffroom::storage {

void SearchProgress::wake() {
  {
    std::lock_guard lock(mutex_);
    pending_ = true;
  }
  work_.notify_one();
}

bool SearchProgress::wait_for(SearchMark target, std::chrono::milliseconds most) {
  std::unique_lock lock(mutex_);
  if (indexed_.covers(target)) return true;
  ++waiting_;
  work_.notify_one();
  done_.wait_for(lock, most, [&] { return stopping_ || indexed_.covers(target); });
  --waiting_;
  return indexed_.covers(target);
}

SearchMark SearchProgress::indexed() const {
  std::lock_guard lock(mutex_);
  return indexed_;
}

bool SearchProgress::wait_for_work(std::chrono::milliseconds gather,
                                   std::chrono::milliseconds idle) {
  std::unique_lock lock(mutex_);
  work_.wait_for(lock, idle, [this] { return stopping_ || pending_ || waiting_ > 0; });
  // A busy writer commits every few milliseconds: indexing each commit alone would write a
  // segment (and its share of merges) per commit. Gathering for a while indexes many at once;
  // a waiting search cuts the pause short.
  if (pending_ && waiting_ == 0) {
    work_.wait_for(lock, gather, [this] { return stopping_ || waiting_ > 0; });
  }
  pending_ = false;
  return !stopping_;
}

void SearchProgress::reached(SearchMark mark) {
  {
    std::lock_guard lock(mutex_);
    indexed_ = mark;
  }
  done_.notify_all();
}

bool SearchProgress::rest(std::chrono::milliseconds most) {
  std::unique_lock lock(mutex_);
  work_.wait_for(lock, most, [this] { return stopping_; });
  return !stopping_;
}

bool SearchProgress::stopping() const {
  std::lock_guard lock(mutex_);
  return stopping_;
}

void SearchProgress::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  work_.notify_all();
  done_.notify_all();
}

}  // namespace staffroom::storage
