#include "storage/known_rows.hpp"

#include "storage/change_results.hpp"
#include "storage/database.hpp"
#include "storage/room_for_one.hpp"

namespace staffroom::storage {

std::optional<domain::Seq> KnownRows::last_seq(domain::ChannelId channel) {
  if (const auto found = last_seqs_.find(channel); found != last_seqs_.end()) {
    return found->second.seq;
  }
  auto read = connection_.query("SELECT last_seq FROM channels WHERE id = ?1");
  read->bind_int64(1, channel);
  if (!read->step()) return std::nullopt;
  const domain::Seq seq = read->column_int64(0);
  make_room();
  last_seqs_.emplace(channel, LastSeq{seq, false});
  batch_open_ = true;
  return seq;
}

void KnownRows::took_seq(domain::ChannelId channel, domain::Seq seq) {
  if (!last_seqs_.contains(channel)) make_room();
  room_for_one(unwritten_);  // so that a channel marked unwritten is listed
  LastSeq& last = last_seqs_[channel];
  last.seq = seq;
  if (!last.unwritten) {
    last.unwritten = true;
    unwritten_.push_back(channel);
  }
  batch_open_ = true;
}

void KnownRows::write_taken() {
  if (unwritten_.empty()) return;
  auto bump = connection_.query("UPDATE channels SET last_seq = ?2 WHERE id = ?1");
  for (const domain::ChannelId channel : unwritten_) {
    LastSeq& last = last_seqs_.at(channel);
    bump->bind_int64(1, channel).bind_int64(2, last.seq);
    bump->run();
    bump->reset();
    last.unwritten = false;
  }
  unwritten_.clear();
}

void KnownRows::make_room() {
  if (last_seqs_.size() < kMostKept) return;
  write_taken();
  last_seqs_.clear();
}

bool KnownRows::user_exists(domain::UserId user) {
  if (users_.contains(user)) return true;
  // A missing user is not remembered: it may be created later.
  if (!storage::user_exists(connection_, user)) return false;
  if (users_.size() >= kMostKept) users_.clear();
  users_.insert(user);
  batch_open_ = true;
  return true;
}

void KnownRows::begin_batch() noexcept {
  if (batch_open_) forget();
}

void KnownRows::forget() noexcept {
  last_seqs_.clear();
  unwritten_.clear();
  users_.clear();
  batch_open_ = false;
}

}  // namespace staffroom::storage
