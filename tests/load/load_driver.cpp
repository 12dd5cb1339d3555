#include "load_driver.hpp"

#include <unistd.h>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "open_loop_schedule.hpp"
#include "proc_stats.hpp"
#include "step_report.hpp"

namespace staffroom::load {

namespace asio = boost::asio;
using json = nlohmann::json;
using Clock = std::chrono::steady_clock;

namespace {
constexpr std::size_t kErrorsKept = 10;
double seconds_since(std::int64_t start_ns, std::int64_t now) {
  return static_cast<double>(now - start_ns) / 1e9;
}
}  // namespace

LoadDriver::LoadDriver(asio::io_context& ioc, LoadOptions options, AccountRegistry& accounts,
                       RingReader* ring)
    : ioc_(ioc),
      ring_(ring),
      timer_(ioc),
      options_(std::move(options)),
      accounts_(accounts),
      tracker_(options_.channels, options_.channels * options_.subscribers),
      stalls_(options_.stall, options_.stall_step, options_.stall_every, options_.subscribers),
      staffroom_(options_.protocol == "staffroom"),
      receivers_(static_cast<std::size_t>(options_.channels), 0),
      ready_(static_cast<std::size_t>(options_.channels * options_.subscribers), false),
      stalled_(ready_.size(), false) {}

std::int64_t LoadDriver::now_ns() { return OpenLoopSchedule::now_ns(); }

asio::awaitable<void> LoadDriver::sleep(Clock::duration d) {
  timer_.expires_after(d);
  co_await timer_.async_wait(asio::use_awaitable);
}

std::uint32_t LoadDriver::receivers(int channel) const {
  return receivers_[static_cast<std::size_t>(channel)];
}

void LoadDriver::note_error(const std::string& what) {
  ++error_count_;
  if (errors_.size() < kErrorsKept) errors_.push_back(what);
}

std::shared_ptr<WsClient> LoadDriver::start_client(int index, int channel, int account) {
  auto client = std::make_shared<WsClient>(ioc_, *this, index, channel, ring_);
  const asio::ip::tcp::endpoint server(asio::ip::make_address("127.0.0.1"), options_.port);
  std::optional<asio::ip::address> source;
  const int total = options_.channels * options_.subscribers;
  if (index >= 0 && total > options_.per_source_ip) {
    // Past ~28k connections one source address runs out of ephemeral ports.
    const auto host = static_cast<unsigned char>(1 + index / options_.per_source_ip);
    source = asio::ip::address_v4({127, 0, 0, host});
  }
  const bool stallable = options_.stall > 0 && channel == 0 && index >= 0 &&
                         index >= options_.subscribers - options_.stall;
  const std::string token = staffroom_ ? accounts_.account(channel, account).token : "";
  client->connect(server, source, staffroom_ ? "/ws" : "/", token,
                  stallable ? options_.stall_rcvbuf : 0);
  return client;
}

void LoadDriver::send_request(WsClient& client, Pending kind, const json& request) {
  const auto id = next_request_++;
  pending_[id] = Request{kind, client.index(), client.channel()};
  auto frame = request;
  frame["id"] = id;
  client.send(frame.dump());
}

void LoadDriver::on_open(WsClient& client) {
  const auto c = static_cast<std::size_t>(client.channel());
  if (client.index() < 0) {
    send_request(client, Pending::create,
                 {{"op", "channel.create"},
                  {"slug", "bench-" + std::to_string(c)},
                  {"title", "Bench " + std::to_string(c)}});
  } else if (staffroom_) {
    // A request right away also ends the server's initial hold of channel events.
    send_request(client, Pending::join,
                 {{"op", "channel.join"}, {"channel_id", accounts_.channel_ids().at(c)}});
  } else {
    ready_[static_cast<std::size_t>(client.index())] = true;
    ++ready_count_;
    ++receivers_[c];
  }
}

void LoadDriver::on_reply(WsClient& client, const json& reply) {
  const auto it = pending_.find(reply.value("id", std::int64_t{-1}));
  if (it == pending_.end()) {
    // A post.create refused (rate_limited, ...): counted, and a closed loop keeps going.
    note_error(reply.dump().substr(0, 200));
    if (current_step_ >= 0) tracker_.on_error(current_step_);
    if (step_open_ && options_.closed_loop > 0) send_post(client, current_step_, now_ns());
    return;
  }
  const auto request = it->second;
  pending_.erase(it);
  if (!reply.value("ok", false)) {
    note_error(reply.dump().substr(0, 200));
    if (request.kind == Pending::join) ++failed_count_;
    return;
  }
  if (request.kind == Pending::create) {
    accounts_.channel_ids().at(static_cast<std::size_t>(request.channel)) =
        reply.at("channel").at("id").get<std::int64_t>();
    return;
  }
  ready_[static_cast<std::size_t>(request.connection)] = true;
  ++ready_count_;
  ++receivers_[static_cast<std::size_t>(request.channel)];
}

void LoadDriver::on_frame(WsClient& client, std::string_view frame) {
  if (client.index() >= 0) {
    const auto kind = staffroom_ ? classify_staffroom_frame(frame) : FrameKind::post_event;
    if (kind == FrameKind::post_event || kind == FrameKind::post_reply) {
      const auto marker = PostMarker::find(frame);
      const auto now = now_ns();
      if (!marker) {
        note_error("frame without a marker: " + std::string(frame.substr(0, 120)));
        return;
      }
      if (kind == FrameKind::post_event) {
        tracker_.on_delivery(client.index(), client.channel(), *marker, now);
        return;
      }
      tracker_.on_ack(*marker, now);
      if (step_open_ && options_.closed_loop > 0) send_post(client, current_step_, now);
      return;
    }
    if (kind == FrameKind::duplicate_reply) {
      note_error("duplicate reply");
      if (current_step_ >= 0) tracker_.on_error(current_step_);
      return;
    }
  }
  auto parsed = json::parse(frame, nullptr, false);
  if (parsed.is_discarded() || !parsed.is_object()) return note_error("unparsable frame");
  if (parsed.contains("ok")) on_reply(client, parsed);
  // Other events (hello, member.joined, ...) carry nothing the benchmark measures.
}

void LoadDriver::on_closed(WsClient& client, const std::string& why) {
  if (client.index() < 0) return;
  const auto i = static_cast<std::size_t>(client.index());
  if (stalled_[i]) {
    stall_ends_.push_back(why);
    return;
  }
  if (!ready_[i]) {
    ++failed_count_;
    note_error("connection " + std::to_string(i) + ": " + why);
    return;
  }
  ++dropped_count_;
  ready_[i] = false;
  --receivers_[static_cast<std::size_t>(client.channel())];
  tracker_.set_counted(client.index(), false);
  note_error("connection " + std::to_string(i) + " dropped: " + why);
}

void LoadDriver::send_post(WsClient& publisher, int step, std::int64_t scheduled_ns) {
  PostMarker marker{publisher.channel(), 0, scheduled_ns};
  marker.sequence =
      tracker_.add_post(marker.channel, step, scheduled_ns, receivers(marker.channel), staffroom_);
  auto body = marker.body(options_.body_bytes);
  if (!staffroom_) return publisher.send(std::move(body));
  const auto channel_id = accounts_.channel_ids()[static_cast<std::size_t>(marker.channel)];
  publisher.send("{\"id\":" + std::to_string(next_request_++) +
                 ",\"op\":\"post.create\",\"channel_id\":" + std::to_string(channel_id) +
                 ",\"client_id\":\"" + options_.run_tag + "-" + std::to_string(marker.channel) +
                 "-" + std::to_string(marker.sequence) + "\",\"body\":\"" + body + "\"}");
}

asio::awaitable<bool> LoadDriver::create_channels() {
  for (int c = 0; c < options_.channels; ++c) {
    creators_.push_back(start_client(-1 - c, c, 0));
  }
  const auto deadline = Clock::now() + std::chrono::seconds(30);
  auto& ids = accounts_.channel_ids();
  while (Clock::now() < deadline && std::count(ids.begin(), ids.end(), 0) > 0) {
    co_await sleep(std::chrono::milliseconds(5));
  }
  for (auto& c : creators_) c->close();
  co_return std::count(ids.begin(), ids.end(), 0) == 0;
}

asio::awaitable<bool> LoadDriver::open_connections(json& report) {
  const auto start = now_ns();
  const int total = options_.channels * options_.subscribers;
  const auto deadline =
      Clock::now() + std::chrono::milliseconds(static_cast<long>(options_.connect_timeout * 1e3));
  int launched = 0;
  while (Clock::now() < deadline && ready_count_ + failed_count_ < total) {
    while (launched < total &&
           launched - ready_count_ - failed_count_ < options_.connect_parallel) {
      const int c = launched / options_.subscribers;
      const int j = launched % options_.subscribers;
      clients_.push_back(start_client(launched, c, j % options_.accounts));
      ++launched;
    }
    co_await sleep(std::chrono::milliseconds(2));
  }
  report["connect"] = {{"connections", total},
                       {"ready", ready_count_},
                       {"failed", failed_count_},
                       {"seconds", seconds_since(start, now_ns())}};
  for (int c = 0; c < options_.channels; ++c) {
    for (int p = 0; p < options_.publishers; ++p) {
      publishers_.push_back(clients_[static_cast<std::size_t>(c * options_.subscribers + p)].get());
    }
  }
  co_return ready_count_ == total;
}

asio::awaitable<json> LoadDriver::run_step(int step) {
  const auto& s = options_.steps[static_cast<std::size_t>(step)];
  const auto stalling = stalls_.starting_at(step);
  for (const int index : stalling) {
    const auto i = static_cast<std::size_t>(index);
    clients_[i]->stop_reading();
    stalled_[i] = true;
    if (ready_[i]) --receivers_[0];
    tracker_.set_counted(index, false);
  }
  current_step_ = step;
  const auto before = ProcStats::read(options_.server_pid);
  const auto self_before = ProcStats::read(getpid());
  const auto start = now_ns();
  const auto end = start + static_cast<std::int64_t>(s.seconds * 1e9);
  step_open_ = true;
  OpenLoopSchedule::Result schedule;
  if (options_.closed_loop > 0) {
    for (auto* p : publishers_) {
      for (int k = 0; k < options_.closed_loop; ++k) send_post(*p, step, start);
    }
  } else if (s.rate > 0 && !publishers_.empty()) {
    schedule = co_await OpenLoopSchedule::run(
        timer_, start, s.rate, s.seconds, static_cast<std::int64_t>(options_.wake_us * 1e3),
        [this, step](std::int64_t i, std::int64_t at) {
          const auto p = static_cast<std::size_t>(i) % publishers_.size();
          send_post(*publishers_[p], step, at);
        });
  }
  if (now_ns() < end) co_await sleep(std::chrono::nanoseconds(end - now_ns()));
  step_open_ = false;
  const auto drain_end = now_ns() + static_cast<std::int64_t>(options_.drain_seconds * 1e9);
  while (!tracker_.step_complete(step) && now_ns() < drain_end) {
    co_await sleep(std::chrono::milliseconds(2));
  }
  const auto after = ProcStats::read(options_.server_pid);
  auto& counts = tracker_.close_step(step);
  stalls_.record(step, counts);
  auto report = StepReport::make(s, counts, start, before, after);
  report["generator"] =
      StepReport::generator(self_before, ProcStats::read(getpid()), seconds_since(start, now_ns()),
                            schedule.waits, schedule.send_lag);
  if (!stalling.empty()) report["stalls_begun"] = stalling.size();
  co_return report;
}

asio::awaitable<json> LoadDriver::unstall() {
  int stalled = 0;
  std::size_t frames = 0;
  for (std::size_t i = 0; i < stalled_.size(); ++i) {
    if (!stalled_[i]) continue;
    ++stalled;
    clients_[i]->resume_reading();
  }
  const auto deadline =
      Clock::now() + std::chrono::milliseconds(static_cast<long>(options_.stall_wait * 1e3));
  while (Clock::now() < deadline && static_cast<int>(stall_ends_.size()) < stalled) {
    co_await sleep(std::chrono::milliseconds(10));
  }
  for (std::size_t i = 0; i < stalled_.size(); ++i) {
    if (stalled_[i]) frames += clients_[i]->frames_read();
  }
  co_return json{{"stalled", stalled},
                 {"closed_by_server", stall_ends_.size()},
                 {"ends", stall_ends_},
                 {"frames_read", frames},
                 {"windows", stalls_.report()}};
}

asio::awaitable<void> LoadDriver::run(json& report) {
  report["protocol"] = options_.protocol;
  const auto idle_before = ProcStats::read(options_.server_pid);
  if (staffroom_ && accounts_.channel_ids().empty()) {
    accounts_.channel_ids().assign(static_cast<std::size_t>(options_.channels), 0);
    if (!co_await create_channels()) {
      note_error("could not create the channels");
      report["ok"] = false;
      co_return;
    }
  }
  bool ok = co_await open_connections(report);
  if (ok && !options_.setup_only) {
    if (options_.steps.empty()) {
      co_await sleep(std::chrono::milliseconds(static_cast<long>(options_.idle_seconds * 1e3)));
      const auto idle_after = ProcStats::read(options_.server_pid);
      if (idle_before.valid && idle_after.valid && ready_count_ > 0) {
        report["idle"] = StepReport::idle(idle_before, idle_after, ready_count_);
      }
    } else {
      co_await sleep(std::chrono::milliseconds(300));  // let join events settle
    }
    json steps = json::array();
    for (int k = 0; k < static_cast<int>(options_.steps.size()); ++k) {
      auto step = co_await run_step(k);
      const bool over = options_.stop_p99_ms > 0 &&
                        (step["broadcast_ms"]["p99"].get<double>() > options_.stop_p99_ms ||
                         step["lost"].get<std::uint64_t>() > 0);
      steps.push_back(std::move(step));
      if (over) break;
    }
    report["steps"] = steps;
    if (options_.stall > 0) report["stall"] = co_await unstall();
  }
  report["dropped"] = dropped_count_;
  report["ignored_frames"] = tracker_.ignored_frames();
  report["error_count"] = error_count_;
  report["errors"] = errors_;
  report["ok"] = ok;
  for (auto& c : clients_) c->close();
}

}  // namespace staffroom::load
