// The load generator's RingReader over real loopback TCP sockets: every byte of many sockets
// in order (also when the provided buffers run out), pause and resume, a receiver that stops
// itself, the end of a stream and a reset. Where the kernel refuses io_uring (a container's
// seccomp profile), create() must say why and the generator reads through Asio instead.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cerrno>
#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "ring_reader.hpp"

namespace {

using staffroom::load::RingReader;

/// A socket pair over loopback: `writer` is the server's end, `reader` the generator's.
struct Pair {
  int writer = -1;
  int reader = -1;
  ~Pair() {
    if (writer >= 0) ::close(writer);
    if (reader >= 0) ::close(reader);
  }
};

std::vector<std::unique_ptr<Pair>> connect_pairs(int count) {
  const int listener = ::socket(AF_INET, SOCK_STREAM, 0);
  REQUIRE(listener >= 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof address;
  auto* raw = reinterpret_cast<sockaddr*>(&address);
  REQUIRE(::bind(listener, raw, length) == 0);
  REQUIRE(::listen(listener, 1024) == 0);
  REQUIRE(::getsockname(listener, raw, &length) == 0);
  std::vector<std::unique_ptr<Pair>> pairs;
  for (int i = 0; i < count; ++i) {
    auto p = std::make_unique<Pair>();
    p->reader = ::socket(AF_INET, SOCK_STREAM, 0);
    REQUIRE(::connect(p->reader, raw, length) == 0);
    p->writer = ::accept(listener, nullptr, nullptr);
    REQUIRE(p->writer >= 0);
    pairs.push_back(std::move(p));
  }
  ::close(listener);
  return pairs;
}

void write_all(int fd, const std::string& bytes) {
  std::size_t done = 0;
  while (done < bytes.size()) {
    const ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
    REQUIRE(n > 0);
    done += static_cast<std::size_t>(n);
  }
}

/// A ring, or null where this kernel refuses io_uring itself (a container's seccomp profile):
/// any other reason for not having one is a bug in setting it up, and fails.
std::unique_ptr<RingReader> ring_here(unsigned buffers = 8192, unsigned buffer_bytes = 4096) {
  std::string why;
  auto ring = RingReader::create(why, buffers, buffer_bytes);
  INFO("no ring: " << why);
  if (!ring) CHECK(why.rfind("io_uring: ", 0) == 0);
  return ring;
}

/// Collects what one socket delivers, and how it ended.
struct Collector final : RingReader::Receiver {
  std::string bytes;
  int calls = 0;
  int ended = 1;  // 1: not ended
  RingReader* stop_in = nullptr;
  RingReader::WatchId id = 0;
  void on_ring_bytes(char* data, std::size_t size) override {
    ++calls;
    bytes.append(data, size);
    if (stop_in != nullptr) stop_in->stop(id);  // a client that closes on what it read
  }
  void on_ring_end(int result) override { ended = result; }
};

/// Drains until `done` holds, bounded in time (2 s); returns whether it held.
template <typename Done>
bool drain_until(RingReader& ring, Done done) {
  const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(2);
  while (!done()) {
    if (std::chrono::steady_clock::now() > until) return false;
    ring.wait(20);
    ring.drain();
  }
  return true;
}

/// Drains for `ms` whatever comes (to show that nothing does).
void drain_for(RingReader& ring, int ms) {
  const auto until = std::chrono::steady_clock::now() + std::chrono::milliseconds(ms);
  while (std::chrono::steady_clock::now() < until) {
    ring.wait(10);
    ring.drain();
  }
}

std::string pattern(std::size_t size, int seed) {
  std::string s(size, '\0');
  for (std::size_t i = 0; i < size; ++i) s[i] = static_cast<char>('a' + (i * 7 + seed) % 26);
  return s;
}

}  // namespace

TEST_CASE("ring reader: without io_uring it says why", "[load][ring]") {
  std::string why;
  auto ring = RingReader::create(why, 6);  // not a power of two: refused before any system call
  CHECK(ring == nullptr);
  CHECK_FALSE(why.empty());
}

TEST_CASE("ring reader: every byte of 200 sockets arrives in order, also past the buffers",
          "[load][ring]") {
  // 16 buffers of 512 bytes for 200 sockets: the buffers run out again and again, which ends
  // recvs with -ENOBUFS; each must be re-armed with nothing lost or reordered.
  auto ring = ring_here(16, 512);
  if (!ring) return;
  auto pairs = connect_pairs(200);
  std::vector<Collector> collectors(pairs.size());
  for (std::size_t i = 0; i < pairs.size(); ++i) ring->watch(pairs[i]->reader, collectors[i]);
  std::vector<std::string> expected(pairs.size());
  for (int round = 0; round < 3; ++round) {
    for (std::size_t i = 0; i < pairs.size(); ++i) {
      // 20 bytes, a bit over a buffer, and 70,000 (many buffers) in turn.
      const std::size_t size = round == 0 ? 20 : round == 1 ? 600 : 70000;
      const auto bytes = pattern(size, static_cast<int>(i) + round);
      write_all(pairs[i]->writer, bytes);
      expected[i] += bytes;
    }
    REQUIRE(drain_until(*ring, [&] {
      for (std::size_t i = 0; i < pairs.size(); ++i) {
        if (collectors[i].bytes.size() < expected[i].size()) return false;
      }
      return true;
    }));
  }
  for (std::size_t i = 0; i < pairs.size(); ++i) {
    INFO("socket " << i);
    CHECK(collectors[i].bytes == expected[i]);
    CHECK(collectors[i].ended == 1);
  }
  CHECK(ring->rearms() > 0);
}

TEST_CASE(
    "ring reader: driven like an event loop, by its descriptor and a small drain bound, "
    "nothing is left behind",
    "[load][ring]") {
  // The generator drains only when fd() is readable, and each drain stops after a bound. With
  // deferred task work each ask runs only a slice of the queued arrivals, and what it leaves
  // rings nothing by itself: the reader must ask again, and ring its eventfd when the bound
  // stops it, or deliveries wait for some later arrival (or forever, at a step's end).
  auto ring = ring_here();
  if (!ring) return;
  auto pairs = connect_pairs(300);
  std::vector<Collector> collectors(pairs.size());
  for (std::size_t i = 0; i < pairs.size(); ++i) ring->watch(pairs[i]->reader, collectors[i]);
  std::size_t expected = 0;
  for (int round = 0; round < 5; ++round) {
    for (std::size_t i = 0; i < pairs.size(); ++i) write_all(pairs[i]->writer, "0123456789");
    expected += 10;
    const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(2);
    bool all = false;
    while (!all && std::chrono::steady_clock::now() < until) {
      pollfd ready{ring->fd(), POLLIN, 0};
      if (::poll(&ready, 1, 20) == 1) ring->drain(7);
      all = true;
      for (const auto& c : collectors) all = all && c.bytes.size() == expected;
    }
    INFO("round " << round);
    REQUIRE(all);
  }
}

TEST_CASE("ring reader: a paused socket delivers nothing until resumed", "[load][ring]") {
  auto ring = ring_here();
  if (!ring) return;
  auto pairs = connect_pairs(2);
  Collector paused;
  Collector other;
  const auto id = ring->watch(pairs[0]->reader, paused);
  ring->watch(pairs[1]->reader, other);
  write_all(pairs[0]->writer, "before");
  REQUIRE(drain_until(*ring, [&] { return paused.bytes == "before"; }));
  ring->pause(id);
  drain_for(*ring, 30);  // the cancel completes
  write_all(pairs[0]->writer, "while paused");
  write_all(pairs[1]->writer, "others go on");
  REQUIRE(drain_until(*ring, [&] { return other.bytes == "others go on"; }));
  drain_for(*ring, 100);
  CHECK(paused.bytes == "before");
  ring->resume(id);
  REQUIRE(drain_until(*ring, [&] { return paused.bytes == "beforewhile paused"; }));
  // Paused and resumed before the cancel has completed: reading goes on all the same.
  ring->pause(id);
  ring->resume(id);
  write_all(pairs[0]->writer, "!");
  CHECK(drain_until(*ring, [&] { return paused.bytes == "beforewhile paused!"; }));
}

TEST_CASE(
    "ring reader: a receiver that stops itself hears nothing more, and its slot serves "
    "the next socket alone",
    "[load][ring]") {
  auto ring = ring_here();
  if (!ring) return;
  auto pairs = connect_pairs(2);
  Collector first;
  first.stop_in = ring.get();
  first.id = ring->watch(pairs[0]->reader, first);
  write_all(pairs[0]->writer, "one");
  REQUIRE(drain_until(*ring, [&] { return first.calls == 1; }));
  write_all(pairs[0]->writer, "two");
  drain_for(*ring, 100);
  CHECK(first.calls == 1);
  CHECK(first.bytes == "one");
  Collector second;
  second.id = ring->watch(pairs[1]->reader, second);
  CHECK(second.id == first.id);  // the slot was released and is reused
  write_all(pairs[1]->writer, "three");
  REQUIRE(drain_until(*ring, [&] { return second.bytes == "three"; }));
  drain_for(*ring, 50);
  CHECK(second.bytes == "three");  // nothing of the first socket's "two"
  CHECK(first.calls == 1);
}

TEST_CASE("ring reader: the end of a stream and a reset are reported", "[load][ring]") {
  auto ring = ring_here();
  if (!ring) return;
  auto pairs = connect_pairs(2);
  Collector closed;
  Collector reset;
  ring->watch(pairs[0]->reader, closed);
  ring->watch(pairs[1]->reader, reset);
  write_all(pairs[0]->writer, "last words");
  ::close(pairs[0]->writer);
  pairs[0]->writer = -1;
  const linger abort{1, 0};  // close with RST
  REQUIRE(::setsockopt(pairs[1]->writer, SOL_SOCKET, SO_LINGER, &abort, sizeof abort) == 0);
  ::close(pairs[1]->writer);
  pairs[1]->writer = -1;
  REQUIRE(drain_until(*ring, [&] { return closed.ended != 1 && reset.ended != 1; }));
  CHECK(closed.bytes == "last words");
  CHECK(closed.ended == 0);
  CHECK(reset.ended == -ECONNRESET);
}
