// Where the domain sends read queries: threads that each own a Reader.
#pragma once

#include <functional>

#include "domain/store.hpp"

namespace staffroom::domain {

/// Runs read jobs off the network threads, each with a Reader of its own thread.
class ReadLane {
 public:
  virtual ~ReadLane() = default;
  virtual void post(std::function<void(Reader&)> job) = 0;
};

}  // namespace staffroom::domain
