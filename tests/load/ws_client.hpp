// One client WebSocket connection of the load generator.
#pragma once

#include <boost/asio/ip/tcp.hpp>
#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "protocol/ws_frames.hpp"
#include "ring_reader.hpp"

namespace staffroom::load {

class WsClient;

/// What a connection tells its owner; every call runs on the io_context's one thread.
class WsClientHandler {
 public:
  virtual ~WsClientHandler() = default;
  virtual void on_open(WsClient& client) = 0;
  virtual void on_frame(WsClient& client, std::string_view frame) = 0;
  virtual void on_closed(WsClient& client, const std::string& why) = 0;
};

/// Connects (optionally from a chosen 127.0.0.x), upgrades with a bearer token, then parses
/// frames itself (several per read, no allocation per frame) and writes queued frames in order. The
/// generator must outrun the servers it measures: 200,000 deliveries per second on one core leave
/// it a few microseconds per frame, so once open it reads through the RingReader when there is
/// one (and through Asio where the kernel refuses it).
class WsClient : public std::enable_shared_from_this<WsClient>, private RingReader::Receiver {
 public:
  using Payload = std::shared_ptr<const std::string>;

  /// `ring` (may be null) must outlive the client.
  WsClient(boost::asio::io_context& ioc, WsClientHandler& handler, int index, int channel,
           RingReader* ring = nullptr);
  ~WsClient() override;

  void connect(const boost::asio::ip::tcp::endpoint& server,
               std::optional<boost::asio::ip::address> source, const std::string& target,
               const std::string& bearer, int rcvbuf);
  void send(Payload frame);
  void send(std::string frame) { send(std::make_shared<const std::string>(std::move(frame))); }
  /// Stops reading (a stalled consumer) until resume_reading.
  void stop_reading();
  void resume_reading();
  void close();

  int index() const { return index_; }
  int channel() const { return channel_; }
  bool open() const { return open_; }
  std::size_t queued() const { return queue_.size(); }
  std::size_t frames_read() const { return frames_read_; }

 private:
  void on_connect(const boost::system::error_code& ec);
  void on_handshake(const boost::system::error_code& ec, std::size_t bytes);
  void wait_readable();
  void on_ring_bytes(char* data, std::size_t size) override;
  void on_ring_end(int result) override;
  void on_read(const boost::system::error_code& ec, std::size_t n);
  bool on_event(const protocol::WsFrameReader::Event& event);
  void do_write();
  void fail(const std::string& why);

  boost::asio::ip::tcp::socket socket_;
  WsClientHandler& handler_;
  protocol::WsFrameReader reader_;
  RingReader* ring_;
  RingReader::WatchId watch_ = 0;
  bool watching_ = false;
  std::string handshake_;  // the response until the frames begin
  std::vector<char> buffer_;
  std::deque<std::string> queue_;
  std::string target_;
  std::string bearer_;
  int index_;
  int channel_;
  bool open_ = false;
  bool closed_ = false;
  bool reading_ = true;
  bool read_pending_ = false;
  bool writing_ = false;
  std::size_t frames_read_ = 0;
};

}  // namespace staffroom::load
