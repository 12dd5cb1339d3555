#include "floor_probe.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sched.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <string>
#include <thread>

namespace staffroom::load {
namespace {

// Each message starts with its broadcast number and scheduled time; the rest is padding.
constexpr int kHeader = 16;

std::int64_t now_ns() {
  timespec t{};
  clock_gettime(CLOCK_MONOTONIC, &t);
  return static_cast<std::int64_t>(t.tv_sec) * 1'000'000'000 + t.tv_nsec;
}

void pin_to(int cpu) {
  if (cpu < 0) return;
  cpu_set_t set;
  CPU_ZERO(&set);
  CPU_SET(static_cast<unsigned>(cpu), &set);
  sched_setaffinity(0, sizeof set, &set);
}

double thread_cpu_seconds() {
  rusage usage{};
  getrusage(RUSAGE_THREAD, &usage);
  const auto secs = [](const timeval& t) {
    return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) * 1e-6;
  };
  return secs(usage.ru_utime) + secs(usage.ru_stime);
}

[[noreturn]] void fail(const std::string& what) {
  throw std::runtime_error(what + ": " + std::strerror(errno));
}

}  // namespace

FloorProbe::FloorProbe(FloorOptions options)
    : options_(options),
      per_group_(static_cast<std::size_t>(options.subscribers / std::max(options.groups, 1))) {
  if (options_.groups < 1 || per_group_ == 0) {
    throw std::invalid_argument("--groups must be between 1 and --subscribers");
  }
  if (!(options_.rate > 0) || !(options_.seconds > 0) || options_.body_bytes < kHeader) {
    throw std::invalid_argument("the rate and seconds must be positive, the body >= 16 bytes");
  }
}

FloorProbe::~FloorProbe() {
  for (const int fd : senders_) close(fd);
  for (const int fd : receivers_) close(fd);
}

void FloorProbe::connect_pairs() {
  const int listener = socket(AF_INET, SOCK_STREAM, 0);
  if (listener < 0) fail("socket");
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof address;
  auto* raw = reinterpret_cast<sockaddr*>(&address);
  if (bind(listener, raw, length) != 0 || listen(listener, 1024) != 0 ||
      getsockname(listener, raw, &length) != 0) {
    close(listener);
    fail("listen on 127.0.0.1");
  }
  for (int i = 0; i < options_.subscribers; ++i) {
    const int client = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
    if (client < 0) break;
    receivers_.push_back(client);
    if (connect(client, raw, length) != 0 && errno != EINPROGRESS) break;
    const int server = accept4(listener, nullptr, nullptr, SOCK_NONBLOCK);
    if (server < 0) break;
    senders_.push_back(server);
    const int one = 1;
    setsockopt(server, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  }
  close(listener);
  if (static_cast<int>(senders_.size()) != options_.subscribers) fail("connecting the pairs");
}

bool FloorProbe::write_whole(int fd, const char* data, std::size_t size, std::int64_t deadline_ns) {
  std::size_t done = 0;
  while (done < size) {
    const ssize_t n = write(fd, data + done, size - done);
    if (n > 0) {
      done += static_cast<std::size_t>(n);
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && errno != EAGAIN) return false;
    if (now_ns() >= deadline_ns || abandoned_) return false;
    pollfd room{fd, POLLOUT, 0};
    poll(&room, 1, 50);  // bounded: the deadline is checked again every 50 ms
  }
  return true;
}

void FloorProbe::send_all(FloorResult& result, std::int64_t start_ns, std::int64_t deadline_ns) {
  pin_to(options_.sender_cpu);
  std::vector<char> message(static_cast<std::size_t>(options_.body_bytes), 'x');
  const double interval = 1e9 / options_.rate;
  const double cpu_before = thread_cpu_seconds();
  for (std::int64_t k = 0; k < result.broadcasts && !abandoned_; ++k) {
    const std::int64_t due =
        start_ns + static_cast<std::int64_t>(static_cast<double>(k) * interval);
    if (now_ns() < due) {
      const timespec at{static_cast<time_t>(due / 1'000'000'000),
                        static_cast<long>(due % 1'000'000'000)};
      clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &at, nullptr);
    }
    if (now_ns() >= deadline_ns) break;  // far behind the schedule: the rest counts as lost
    std::memcpy(message.data(), &k, sizeof k);
    std::memcpy(message.data() + sizeof k, &due, sizeof due);
    const auto group = static_cast<std::size_t>(k % options_.groups);
    for (std::size_t s = group * per_group_; s < (group + 1) * per_group_; ++s) {
      if (!write_whole(senders_[s], message.data(), message.size(), deadline_ns)) {
        abandoned_ = true;  // past the deadline (or broken): the rest counts as lost
        break;
      }
      ++result.writes;
    }
  }
  result.sender_cpu_seconds = thread_cpu_seconds() - cpu_before;
  result.send_seconds = static_cast<double>(now_ns() - start_ns) * 1e-9;
}

// One receiving socket's bytes: messages end every body_bytes; the first 16 carry the number
// and the scheduled time.
class FloorProbe::Subscriber final : public RingReader::Receiver {
 public:
  Subscriber(Reception& reception) : reception_(reception) {}
  void on_ring_bytes(char* data, std::size_t size) override { take(data, size, now_ns()); }
  // The pairs close only after the run: an end before that (or a socket the kernel will not
  // read this way, which the probe reports) leaves messages missing, as lost.
  void on_ring_end(int) override {}

  void take(const char* data, std::size_t n, std::int64_t at) {
    auto& r = reception_;
    for (std::size_t p = 0; p < n;) {
      const std::size_t take = std::min(r.size - offset_, n - p);
      if (offset_ < kHeader) {
        std::memcpy(header_.data() + offset_, data + p, std::min(take, kHeader - offset_));
      }
      offset_ += take;
      p += take;
      if (offset_ < r.size) continue;
      offset_ = 0;
      std::int64_t k = 0;
      std::int64_t due = 0;
      std::memcpy(&k, header_.data(), sizeof k);
      std::memcpy(&due, header_.data() + sizeof k, sizeof due);
      if (k < 0 || k >= r.result.broadcasts) continue;
      ++r.result.received;
      r.result.delivery.record(at - due);
      if (++r.have[static_cast<std::size_t>(k)] == r.per_group) r.result.broadcast.record(at - due);
    }
  }

 private:
  Reception& reception_;
  std::size_t offset_ = 0;  // position inside the current message
  std::array<char, kHeader> header_{};
};

void FloorProbe::receive_all(FloorResult& result, std::int64_t deadline_ns) {
  pin_to(options_.receiver_cpu);
  Reception reception{result, static_cast<std::size_t>(options_.body_bytes),
                      static_cast<int>(per_group_),
                      std::vector<int>(static_cast<std::size_t>(result.broadcasts), 0)};
  std::vector<Subscriber> subscribers;
  subscribers.reserve(receivers_.size());
  for (std::size_t i = 0; i < receivers_.size(); ++i) subscribers.emplace_back(reception);
  // Created on this thread: the ring serves only the thread that set it up.
  std::unique_ptr<RingReader> ring;
  std::string why = "--reader epoll";
  if (options_.reader == "auto") ring = RingReader::create(why);
  reader_kind_ = ring ? ring->kind() : "epoll (" + why + ")";
  if (ring) {
    for (std::size_t i = 0; i < receivers_.size(); ++i) ring->watch(receivers_[i], subscribers[i]);
    while (result.received < result.expected && now_ns() < deadline_ns && !abandoned_) {
      ring->wait(50);
      ring->drain();
    }
    // A kernel with provided buffers but no multishot recv (5.19) refuses each socket's read.
    if (ring->refusals() > 0) {
      reader_kind_ += ", which refused " + std::to_string(ring->refusals()) +
                      " sockets (their messages count as lost; use --reader epoll)";
    }
    return;
  }
  const int poller = epoll_create1(0);
  if (poller < 0) {
    abandoned_ = true;
    return;
  }
  for (std::size_t i = 0; i < receivers_.size(); ++i) {
    epoll_event event{};
    event.events = EPOLLIN;
    event.data.u64 = i;
    epoll_ctl(poller, EPOLL_CTL_ADD, receivers_[i], &event);
  }
  std::vector<char> buffer(64 * 1024);
  std::vector<epoll_event> events(256);
  while (result.received < result.expected && now_ns() < deadline_ns) {
    const int ready = epoll_wait(poller, events.data(), static_cast<int>(events.size()), 50);
    for (int e = 0; e < ready; ++e) {
      const auto i = static_cast<std::size_t>(events[static_cast<std::size_t>(e)].data.u64);
      for (;;) {
        const ssize_t n = read(receivers_[i], buffer.data(), buffer.size());
        if (n <= 0) break;
        subscribers[i].take(buffer.data(), static_cast<std::size_t>(n), now_ns());
      }
    }
  }
  close(poller);
}

FloorResult FloorProbe::run() {
  connect_pairs();
  FloorResult result;
  result.broadcasts = static_cast<std::int64_t>(options_.rate * options_.seconds);
  result.expected = result.broadcasts * static_cast<std::int64_t>(per_group_);
  // A moment for the reader to reach epoll_wait before the first scheduled send.
  const std::int64_t start = now_ns() + 50'000'000;
  const std::int64_t deadline =
      start + static_cast<std::int64_t>((options_.seconds + options_.grace_seconds) * 1e9);
  std::thread reader([&] { receive_all(result, deadline); });
  send_all(result, start, deadline);
  reader.join();
  return result;
}

}  // namespace staffroom::load
