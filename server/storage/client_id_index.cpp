#include "storage/client_id_index.hpp"

#include <algorithm>
#include <functional>
#include <new>

#include "storage/database.hpp"
#include "storage/room_for_one.hpp"
#include "storage/small_page_cache.hpp"

namespace staffroom::storage {

std::size_t ClientIdIndex::KeyHash::operator()(const KeyView& key) const noexcept {
  return std::hash<std::string_view>{}(key.second) ^
         (std::hash<domain::UserId>{}(key.first) * 0x9e3779b97f4a7c15ULL);
}

ClientIdIndex::ClientIdIndex(Connection& connection, std::size_t generation)
    : connection_(connection), generation_size_(std::max<std::size_t>(generation, 1)) {
  domain::PostId mark = 0;
  {
    auto query = connection_.query("SELECT through_post_id FROM post_client_id_mark");
    if (!query->step()) throw StorageError("post_client_id_mark has no row");
    mark = query->column_int64(0);
  }
  load_filter(mark);
  // posts' rowid order: a range scan from the mark to the end, however large the table.
  auto query = connection_.query(
      "SELECT author_id, client_id, id FROM posts WHERE id > ?1 AND client_id IS NOT NULL");
  query->bind_int64(1, mark);
  while (query->step()) {
    Key key{query->column_int64(0), query->column_text(1)};
    filed_.add(KeyHash{}(key));
    recent_.emplace(std::move(key), query->column_int64(2));
  }
  maybe_freeze();
}

void ClientIdIndex::load_filter(domain::PostId mark) {
  // The table holds at most one row per post up to the mark: the first layer is sized for that
  // many keys, and later ones grow as posts are added.
  filed_ = KeyFilter(static_cast<std::size_t>(std::max<domain::PostId>(mark, 0)));
  // A small page cache for the scan: the writer's own would keep the whole table in memory.
  SmallPageCache small(connection_, 1024);
  auto filed = connection_.query("SELECT author_id, client_id FROM post_client_ids");
  while (filed->step()) {
    filed_.add(KeyHash{}(KeyView{filed->column_int64(0), filed->column_text(1)}));
  }
}

std::optional<domain::PostId> ClientIdIndex::find(domain::UserId author,
                                                  std::string_view client_id) {
  const KeyView key{author, client_id};
  // Asked first: a new client_id, nearly every one, costs one hash and no map or table lookup.
  if (!filed_.may_contain(KeyHash{}(key))) return std::nullopt;
  if (auto found = recent_.find(key); found != recent_.end()) return found->second;
  ++table_reads_;
  auto query = connection_.query(
      "SELECT post_id FROM post_client_ids WHERE author_id = ?1 AND client_id = ?2");
  query->bind_int64(1, author).bind_text(2, client_id);
  if (query->step()) return query->column_int64(0);
  return std::nullopt;
}

void ClientIdIndex::add(domain::UserId author, std::string_view client_id, domain::PostId post) {
  room_for_one(added_);  // an entry in recent_ is always one added_ can forget
  // A key the batch then forgets stays in the filter: one more false maybe, nothing worse.
  filed_.add(KeyHash{}(KeyView{author, client_id}));
  const auto [entry, inserted] = recent_.try_emplace(Key{author, std::string(client_id)}, post);
  if (inserted) added_.push_back(&*entry);
}

void ClientIdIndex::erase(Entry entry) noexcept {
  const auto found = recent_.find(KeyView{entry->first.first, entry->first.second});
  if (found != recent_.end()) recent_.erase(found);
}

void ClientIdIndex::forget_from(std::size_t mark) {
  while (added_.size() > mark) {
    erase(added_.back());
    added_.pop_back();
  }
}

void ClientIdIndex::begin_batch() {
  forget_from(0);
  writing_ = written_;
}

void ClientIdIndex::before_commit() {
  if (frozen_ == 0) return;
  const std::size_t slice = std::max(kSlice, 2 * added_.size());
  const std::size_t end = std::min(frozen_, written_ + slice);
  // Takes the slice's entries off the heap in key order. A rolled-back slice's entries are in
  // ordered_ already and are written again.
  while (ordered_.size() < end) {
    std::pop_heap(heap_.begin(), heap_.end(), later);
    ordered_.push_back(heap_.back());
    heap_.pop_back();
  }
  // OR IGNORE: after a restart part of a generation may be in the table already (the mark had
  // not moved), and its entries are written again. A row naming another post cannot arise
  // with one writer per file; if it did, both posts already exist, and the row keeps the one
  // that reached the table first.
  auto insert = connection_.query(
      "INSERT OR IGNORE INTO post_client_ids (author_id, client_id, post_id) VALUES (?1, ?2, ?3)");
  for (std::size_t i = written_; i < end; ++i) {
    const auto& [key, post] = *ordered_[i];
    insert->bind_int64(1, key.first).bind_text(2, key.second).bind_int64(3, post);
    insert->run();
    insert->reset();
  }
  if (end == frozen_) {
    auto mark = connection_.query("UPDATE post_client_id_mark SET through_post_id = ?1");
    mark->bind_int64(1, through_);
    mark->run();
  }
  writing_ = end;
}

void ClientIdIndex::committed() noexcept {
  added_.clear();
  written_ = writing_;
}

void ClientIdIndex::between_batches() noexcept {
  // Entries in the table, committed, leave memory: lookups find them there.
  for (; released_ < written_; ++released_) erase(ordered_[released_]);
  if (frozen_ > 0 && released_ == frozen_) {
    ordered_.clear();
    frozen_ = written_ = writing_ = released_ = 0;
  }
  try {
    maybe_freeze();
  } catch (const std::bad_alloc&) {
    // No memory for a new heap: the entries stay in memory, and a later batch tries again.
    heap_.clear();
  }
}

void ClientIdIndex::maybe_freeze() {
  // Only between batches: every entry in memory is then committed, and every post up to the
  // newest of them is either in memory or already in the table.
  if (frozen_ > 0 || !added_.empty() || recent_.size() < generation_size_) return;
  heap_.reserve(recent_.size());
  ordered_.reserve(recent_.size());
  domain::PostId through = 0;
  for (const auto& entry : recent_) {
    heap_.push_back(&entry);
    through = std::max(through, entry.second);
  }
  // A heap, not a sort: each slice takes its entries off it in key order, so the ordering
  // work is spread over the batches that write them (sorting 20,000 keys at once held up a
  // batch for milliseconds).
  std::make_heap(heap_.begin(), heap_.end(), later);
  through_ = through;
  frozen_ = heap_.size();
  written_ = writing_ = released_ = 0;
}

}  // namespace staffroom::storage
