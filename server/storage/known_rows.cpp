#include "storage/known_rows.hpp"

#include "storage/change_results.hpp"
#include "storage/database.hpp"

namespace staffroom::storage {

std::optional<domain::Seq> KnownRows::last_seq(domain::ChannelId channel) {
  if (const auto found = last_seqs_.find(channel); found != last_seqs_.end()) {
    return found->second;
  }
  auto read = connection_.query("SELECT last_seq FROM channels WHERE id = ?1");
  read->bind_int64(1, channel);
  if (!read->step()) return std::nullopt;
  const domain::Seq seq = read->column_int64(0);
  if (last_seqs_.size() >= kMostKept) last_seqs_.clear();
  last_seqs_.emplace(channel, seq);
  batch_open_ = true;
  return seq;
}

void KnownRows::took_seq(domain::ChannelId channel, domain::Seq seq) {
  if (last_seqs_.size() >= kMostKept) last_seqs_.clear();
  last_seqs_[channel] = seq;
  batch_open_ = true;
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
  users_.clear();
  batch_open_ = false;
}

}  // namespace staffroom::storage
