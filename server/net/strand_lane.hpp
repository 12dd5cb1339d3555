// A domain Lane backed by an Asio strand: tasks run one at a time, in posting order.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/strand.hpp>

#include "domain/lane.hpp"

namespace staffroom::net {

/// The home lane: owns the community model by running every task touching it on one strand.
class StrandLane final : public domain::Lane {
 public:
  explicit StrandLane(boost::asio::io_context& ioc) : strand_(boost::asio::make_strand(ioc)) {}
  void post(domain::Task task) override { boost::asio::post(strand_, std::move(task)); }

 private:
  boost::asio::strand<boost::asio::io_context::executor_type> strand_;
};

}  // namespace staffroom::net
