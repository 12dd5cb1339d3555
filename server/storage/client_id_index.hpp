// Finds a retried post by (author, client_id): recent posts in memory, older ones in a table
// written in key order, a slice per batch.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "domain/types.hpp"
#include "storage/key_filter.hpp"

namespace staffroom::storage {

class Connection;

/// A post.create's client_id is unique per author, for good. A unique index on posts(author_id,
/// client_id) kept that promise, but authors (and a client's ids) are scattered over its keys,
/// so every post dirtied a leaf of its own in every commit: in S4 (100 channels, 56 posts a
/// commit) that was 30 of the commit's 80 WAL pages, and the checkpoint copied them again.
/// Only the writer (one per file: SqliteWriter locks it) knows the entries in memory.
///
/// So posts newer than a durable mark are found in memory (loaded from posts at start, where
/// every post keeps its client_id), and older ones in post_client_ids. When the memory holds
/// `generation` entries they are frozen and written into post_client_ids a slice a batch, in
/// key order: consecutive entries share leaves, so a slice dirties a few pages, not one per
/// entry. A slice is kSlice entries, or twice the batch's new posts if that is more, so a
/// generation is always written before the next one has grown as large. The batch that
/// writes the last slice moves the mark to the generation's newest post, in the same
/// transaction. A slice's entries leave memory once it has committed.
///
/// Nearly every client_id is new, and probing post_client_ids for it was a fifth of a post's
/// statements: a Bloom filter of every key known, in memory or in the table (filed_, built at
/// start and fed by add()), is asked first and answers most misses without either lookup.
///
/// Lives on the writer thread. The batch protocol: begin_batch(), add() per new post (mark()
/// and forget_from() around a change's savepoint), before_commit(), committed() once the
/// COMMIT is durable, and between_batches() after the batch's callbacks. A batch that never
/// reaches committed() is undone by the next begin_batch(), with its slice.
class ClientIdIndex {
 public:
  /// Loads the posts after the mark. Throws StorageError.
  explicit ClientIdIndex(Connection& connection, std::size_t generation = kGeneration);
  ClientIdIndex(const ClientIdIndex&) = delete;
  ClientIdIndex& operator=(const ClientIdIndex&) = delete;

  /// The post `author` first made with `client_id`, if any (including this batch's). Throws
  /// StorageError.
  std::optional<domain::PostId> find(domain::UserId author, std::string_view client_id);
  /// A post of the open batch; `client_id` is not yet known for `author`.
  void add(domain::UserId author, std::string_view client_id, domain::PostId post);

  /// How many this batch has added; forget_from(mark) drops those added since.
  std::size_t mark() const { return added_.size(); }
  void forget_from(std::size_t mark);

  /// Undoes an earlier batch that did not commit.
  void begin_batch();
  /// Inside the transaction, after the last change: writes the next slice. Throws StorageError.
  void before_commit();
  /// The batch's COMMIT is durable.
  void committed() noexcept;
  /// Drops the entries of committed slices from memory and freezes the next generation when
  /// memory is full: work that need not delay a batch's acks.
  void between_batches() noexcept;

  /// Entries held in memory.
  std::size_t in_memory() const { return recent_.size(); }
  /// Lookups the filter let through that missed memory and read post_client_ids, since start.
  std::size_t table_reads() const { return table_reads_; }

  /// Memory holds about this many entries before they move to the table. Freezing one takes
  /// a pass over the map and a heap of its entries: at 5,000 that held a batch up 0.3-1.1 ms
  /// in S4 at 25,000 posts/s, at 20,000 up to 4 ms. A generation still gives each author's
  /// entries a few leaves of the table between them when authors are few (S4: 100).
  static constexpr std::size_t kGeneration = 5000;
  /// Entries written per batch at least.
  static constexpr std::size_t kSlice = 256;

 private:
  using Key = std::pair<domain::UserId, std::string>;
  /// Looks a key up without copying its client id.
  using KeyView = std::pair<domain::UserId, std::string_view>;
  struct KeyHash {
    using is_transparent = void;
    std::size_t operator()(const KeyView& key) const noexcept;
    std::size_t operator()(const Key& key) const noexcept {
      return (*this)(KeyView{key.first, key.second});
    }
  };
  struct KeyEqual {
    using is_transparent = void;
    template <typename A, typename B>
    bool operator()(const A& a, const B& b) const noexcept {
      return a.first == b.first && a.second == b.second;
    }
  };
  using Map = std::unordered_map<Key, domain::PostId, KeyHash, KeyEqual>;
  /// An entry of recent_: node pointers stay valid until the entry is erased (rehash included).
  using Entry = const Map::value_type*;

  /// Erases `entry`, found again by its key first: erase(key) would read the key from the node
  /// it frees.
  void erase(Entry entry) noexcept;

  /// The heap's order: the smallest key on top, so entries come off it in key order.
  static bool later(Entry a, Entry b) { return b->first < a->first; }
  /// Adds every key in post_client_ids to filed_. Throws StorageError.
  void load_filter(domain::PostId mark);

  /// Freezes everything in memory into heap_ when it is large enough.
  void maybe_freeze();

  Connection& connection_;
  std::size_t generation_size_;
  Map recent_;
  KeyFilter filed_;  // every key in memory or in post_client_ids (and a few false maybes)
  std::size_t table_reads_ = 0;
  std::vector<Entry> added_;    // this batch's new entries, in order
  std::vector<Entry> heap_;     // the frozen generation's entries not yet ordered (a min-heap)
  std::vector<Entry> ordered_;  // ... and those taken off it, in key order
  std::size_t frozen_ = 0;      // entries in the frozen generation (0: none)
  domain::PostId through_ = 0;  // the generation's newest post
  std::size_t written_ = 0;     // ordered_ entries in the table, committed
  std::size_t writing_ = 0;     // ... including the open batch's slice
  std::size_t released_ = 0;    // ... of those, erased from memory
};

}  // namespace staffroom::storage
