// SendBatch and FrameWriter over real loopback TCP sockets: many connections written in one
// batch (through io_uring where the kernel allows it, one sendmsg each otherwise), full
// sockets, half-written frames resumed, and a peer that is gone.
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <cerrno>
#include <memory>
#include <string>
#include <vector>

#include "net/frame_writer.hpp"
#include "net/send_batch.hpp"
#include "protocol/ws_frames.hpp"

namespace {

using staffroom::net::FrameWriter;
using staffroom::net::GatheredWrite;
using staffroom::net::send_gathered;
using staffroom::net::SendBatch;
using staffroom::protocol::WsFrameReader;
using staffroom::protocol::WsOpcode;

/// One loopback connection: `sender` is the server's non-blocking end, `receiver` the peer's.
struct Connection {
  int sender = -1;
  int receiver = -1;
  FrameWriter writer;
  std::vector<std::string> sent;      // payloads in the order they were queued
  std::vector<std::string> received;  // text payloads parsed from what arrived
  WsFrameReader reader{1 << 24, WsFrameReader::Peer::server};

  ~Connection() {
    if (sender >= 0) ::close(sender);
    if (receiver >= 0) ::close(receiver);
  }
  void queue(std::string payload) {
    sent.push_back(payload);
    writer.push(std::make_shared<const std::string>(std::move(payload)));
  }
  /// Reads until every queued frame has arrived (bounded: 2 s).
  void read_until_all_arrived() {
    for (int attempt = 0; attempt < 200 && received.size() < sent.size(); ++attempt) {
      read_available();
      if (received.size() < sent.size()) ::usleep(10000);
    }
  }
  /// Reads what is there (the receiver is non-blocking).
  void read_available() {
    std::vector<char> buffer(256 * 1024);
    for (;;) {
      const ssize_t n = ::read(receiver, buffer.data(), buffer.size());
      if (n <= 0) return;
      const auto error = reader.feed(buffer.data(), static_cast<std::size_t>(n), [&](auto& e) {
        if (e.opcode == WsOpcode::text) received.emplace_back(e.payload);
        return true;
      });
      INFO((error ? error->reason : ""));
      REQUIRE_FALSE(error);
    }
  }
};

class Listener {
 public:
  Listener() {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    REQUIRE(::bind(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0);
    REQUIRE(::listen(fd_, 1024) == 0);
    socklen_t length = sizeof address_;
    REQUIRE(::getsockname(fd_, reinterpret_cast<sockaddr*>(&address_), &length) == 0);
  }
  ~Listener() { ::close(fd_); }

  /// `buffer`: a small send and receive buffer (bytes), so that the socket fills quickly.
  std::unique_ptr<Connection> connect(int buffer = 0) {
    auto c = std::make_unique<Connection>();
    c->receiver = ::socket(AF_INET, SOCK_STREAM, 0);
    if (buffer > 0) {
      REQUIRE(::setsockopt(c->receiver, SOL_SOCKET, SO_RCVBUF, &buffer, sizeof buffer) == 0);
    }
    REQUIRE(::connect(c->receiver, reinterpret_cast<const sockaddr*>(&address_), sizeof address_) ==
            0);
    c->sender = ::accept(fd_, nullptr, nullptr);
    REQUIRE(c->sender >= 0);
    if (buffer > 0) {
      REQUIRE(::setsockopt(c->sender, SOL_SOCKET, SO_SNDBUF, &buffer, sizeof buffer) == 0);
    }
    const int one = 1;
    ::setsockopt(c->sender, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    ::fcntl(c->sender, F_SETFL, O_NONBLOCK);
    ::fcntl(c->receiver, F_SETFL, O_NONBLOCK);
    return c;
  }

 private:
  int fd_ = -1;
  sockaddr_in address_{};
};

/// One turn of the hub's loop: every connection with queued frames writes once, all in one
/// batch (several runs when there are more than the batch holds). Returns the writes made.
std::size_t write_once(SendBatch& batch, std::vector<std::unique_ptr<Connection>>& connections) {
  std::vector<std::pair<Connection*, GatheredWrite*>> pending;
  std::size_t writes = 0;
  std::size_t next = 0;
  while (next < connections.size()) {
    for (; next < connections.size() && !batch.full(); ++next) {
      auto& c = *connections[next];
      if (c.writer.empty()) continue;
      GatheredWrite* write = batch.add(c.sender);
      REQUIRE(write != nullptr);
      c.writer.gather(*write);
      pending.emplace_back(&c, write);
    }
    batch.run();
    for (auto [c, write] : pending) {
      if (write->result == -EAGAIN) continue;  // full: it keeps everything for the next turn
      REQUIRE(write->result >= 0);
      c->writer.took(*write, static_cast<std::size_t>(write->result));
    }
    writes += pending.size();
    pending.clear();
    batch.clear();
  }
  return writes;
}

std::string payload(std::size_t connection, std::size_t frame, std::size_t size) {
  std::string text = std::to_string(connection) + ":" + std::to_string(frame) + ":";
  text.resize(size, static_cast<char>('a' + (connection + frame) % 26));
  return text;
}

}  // namespace

TEST_CASE("a send batch writes each connection's frames in order, past its capacity",
          "[net][send-batch]") {
  const bool ring = GENERATE(true, false);
  SendBatch batch(ring);
  // Where the kernel allows io_uring, asking for it must get it.
  CHECK(batch.uses_io_uring() == (ring && SendBatch::probe().empty()));
  Listener listener;
  std::vector<std::unique_ptr<Connection>> connections;
  const std::size_t count = SendBatch::kCapacity + 44;  // two runs per turn
  for (std::size_t i = 0; i < count; ++i) {
    connections.push_back(listener.connect());
    // Sizes that take each header form: 2, 4 and 10 bytes.
    connections.back()->queue(payload(i, 0, 20));
    connections.back()->queue(payload(i, 1, 300));
    connections.back()->queue(payload(i, 2, 70000));
  }
  std::vector<std::size_t> queued_before;
  for (auto& c : connections) queued_before.push_back(c->writer.bytes());
  write_once(batch, connections);
  // Each write's result went to its own connection: every queue gave up its first frames.
  for (std::size_t i = 0; i < count; ++i) CHECK(connections[i]->writer.bytes() < queued_before[i]);
  for (int turn = 0; turn < 200; ++turn) {
    bool queued = false;
    for (auto& c : connections) {
      c->read_available();
      queued = queued || !c->writer.empty();
    }
    if (!queued) break;
    write_once(batch, connections);
  }
  for (auto& c : connections) {
    c->read_until_all_arrived();
    CHECK(c->writer.empty());
    CHECK(c->received == c->sent);
  }
  CHECK(batch.uses_io_uring() == (ring && SendBatch::probe().empty()));  // and it kept it
}

TEST_CASE("a full socket keeps the rest queued; a half-written frame resumes intact",
          "[net][send-batch]") {
  const bool ring = GENERATE(true, false);
  SendBatch batch(ring);
  Listener listener;
  std::vector<std::unique_ptr<Connection>> connections;
  connections.push_back(listener.connect(4096));
  connections.push_back(listener.connect(4096));
  for (std::size_t frame = 0; frame < 40; ++frame) {
    connections[0]->queue(payload(0, frame, 5000 + frame * 7));
    connections[1]->queue(payload(1, frame, 300));
  }
  // Nobody reads yet: the first connection's socket fills and takes part of a frame.
  write_once(batch, connections);
  Connection& full = *connections[0];
  long result = 0;
  for (int attempt = 0; attempt < 1000 && result != -EAGAIN; ++attempt) {
    REQUIRE_FALSE(full.writer.empty());
    GatheredWrite* write = batch.add(full.sender);
    full.writer.gather(*write);
    batch.run();
    result = write->result;
    if (result >= 0) full.writer.took(*write, static_cast<std::size_t>(result));
    batch.clear();
  }
  CHECK(result == -EAGAIN);  // the socket is full: the kernel says so, at once
  // The reader catches up; the writer drains (one sendmsg at a time, then in batches) and
  // the stream parses into exactly the frames queued, in order.
  for (int turn = 0; turn < 2000 && !full.writer.empty(); ++turn) {
    full.read_available();
    int error = 0;
    REQUIRE(full.writer.write(full.sender, error) != FrameWriter::Result::failed);
  }
  for (auto& c : connections) {
    for (int turn = 0; turn < 2000 && !c->writer.empty(); ++turn) {
      c->read_available();
      write_once(batch, connections);
    }
    c->read_until_all_arrived();
    CHECK(c->writer.empty());
    CHECK(c->received == c->sent);
  }
}

TEST_CASE("frames taken a few bytes at a time resume mid-header and mid-body, intact",
          "[net][send-batch]") {
  Listener listener;
  auto c = listener.connect();
  // Headers of 2, 4 and 10 bytes, and an empty payload (a header alone).
  const std::size_t sizes[] = {9, 125, 126, 300, 65535, 65536, 70000};
  for (std::size_t frame = 0; frame < 7; ++frame) c->queue(payload(0, frame, sizes[frame]));
  c->queue("");
  // As if the socket took only 1, 2, ... 13 bytes each time: every cut lands somewhere else
  // in a header or a body, and the next gather must start exactly there.
  std::size_t cut = 0;
  for (int turn = 0; turn < 200000 && !c->writer.empty(); ++turn) {
    GatheredWrite write;
    write.fd = c->sender;
    c->writer.gather(write);
    cut = cut % 13 + 1;
    std::size_t left = std::min(cut, write.attempted);
    std::size_t count = 0;
    while (left > 0) {  // the first `cut` bytes of the gathered buffers
      const std::size_t n = std::min(left, write.buffers[count].iov_len);
      write.buffers[count++].iov_len = n;
      left -= n;
    }
    write.count = count;
    send_gathered(write);
    if (write.result == -EAGAIN) {  // the reader is behind: let it catch up, cut again
      c->read_available();
      continue;
    }
    REQUIRE(write.result == static_cast<long>(std::min(cut, write.attempted)));
    c->writer.took(write, static_cast<std::size_t>(write.result));
    if (turn % 64 == 0) c->read_available();
  }
  c->read_until_all_arrived();
  CHECK(c->writer.empty());
  CHECK(c->received == c->sent);
}

TEST_CASE("a write to a peer that is gone fails alone; the batch's others go out",
          "[net][send-batch]") {
  const bool ring = GENERATE(true, false);
  SendBatch batch(ring);
  Listener listener;
  std::vector<std::unique_ptr<Connection>> connections;
  for (int i = 0; i < 3; ++i) connections.push_back(listener.connect());
  // The middle peer resets its connection (linger 0): the next write to it fails.
  const linger reset{1, 0};
  ::setsockopt(connections[1]->receiver, SOL_SOCKET, SO_LINGER, &reset, sizeof reset);
  ::close(connections[1]->receiver);
  connections[1]->receiver = -1;
  ::usleep(20000);
  std::vector<GatheredWrite*> writes;
  for (std::size_t i = 0; i < connections.size(); ++i) {
    connections[i]->queue(payload(i, 0, 100));
    writes.push_back(batch.add(connections[i]->sender));
    connections[i]->writer.gather(*writes.back());
  }
  batch.run();  // no SIGPIPE either: the process would die here
  CHECK(writes[0]->result == static_cast<long>(writes[0]->attempted));
  CHECK(writes[1]->result < 0);
  CHECK(writes[1]->result != -EAGAIN);
  CHECK(writes[2]->result == static_cast<long>(writes[2]->attempted));
}
