#include "ring_pump.hpp"

#include <unistd.h>

namespace staffroom::load {

// A duplicate, because the descriptor object closes what it holds and the ring is not its.
RingPump::RingPump(boost::asio::io_context& ioc, RingReader& reader)
    : reader_(reader), ready_(ioc, ::dup(reader.fd())) {}

void RingPump::start() {
  stopped_ = false;
  wait();
}

void RingPump::stop() {
  stopped_ = true;
  boost::system::error_code ignored;
  ready_.cancel(ignored);
}

void RingPump::wait() {
  // Completions the last drain left (it hands back after a bounded number) are ready at once:
  // Asio's wait re-checks readiness when it is armed.
  ready_.async_wait(boost::asio::posix::stream_descriptor::wait_read,
                    [this](const boost::system::error_code& ec) {
                      if (ec || stopped_) return;
                      reader_.drain();
                      wait();
                    });
}

}  // namespace staffroom::load
