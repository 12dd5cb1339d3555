// Drains a RingReader from an Asio event loop whenever its completions are ready.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>

#include "ring_reader.hpp"

namespace staffroom::load {

/// Waits on the ring's descriptor beside the loop's sockets and timers: one wake-up, however
/// many deliveries came in the meantime, and no read per delivery.
class RingPump {
 public:
  RingPump(boost::asio::io_context& ioc, RingReader& reader);
  void start();
  void stop();

 private:
  void wait();

  RingReader& reader_;
  boost::asio::posix::stream_descriptor ready_;  // a duplicate of the ring's descriptor
  bool stopped_ = false;
};

}  // namespace staffroom::load
