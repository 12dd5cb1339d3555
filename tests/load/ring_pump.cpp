#include "ring_pump.hpp"

#include <unistd.h>

#include <cerrno>
#include <system_error>

namespace staffroom::load {

// A duplicate, because the descriptor object closes what it holds and the ring is not its.
RingPump::RingPump(boost::asio::io_context& ioc, RingReader& reader)
    : reader_(reader), ready_(ioc) {
  const int copy = ::dup(reader.fd());
  if (copy < 0) throw std::system_error(errno, std::generic_category(), "dup");
  ready_.assign(copy);
}

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
  // Asio arms a wait with EPOLL_CTL_MOD, which re-checks readiness.
  ready_.async_wait(boost::asio::posix::stream_descriptor::wait_read,
                    [this](const boost::system::error_code& ec) {
                      if (ec || stopped_) return;
                      reader_.drain();
                      wait();
                    });
}

}  // namespace staffroom::load
