// An ordered executor the domain hands work to without knowing about Asio.
#pragma once

#include <functional>

namespace staffroom::domain {

using Task = std::function<void()>;

/// Runs tasks one at a time in the order posted (a strand, a thread, or inline in tests).
class Lane {
 public:
  virtual ~Lane() = default;
  virtual void post(Task task) = 0;
};

}  // namespace staffroom::domain
