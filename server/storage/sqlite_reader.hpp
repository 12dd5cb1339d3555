// Read-only queries over SQLite, one connection per reading thread (WAL lets them run
// beside the writer).
#pragma once

#include <memory>
#include <string>

#include "domain/store.hpp"
#include "storage/activity_queries.hpp"
#include "storage/post_search.hpp"

namespace staffroom::storage {

class Connection;

/// domain::Reader on its own read-only connection; use it from one thread at a time.
class SqliteReader final : public domain::Reader {
 public:
  /// Opens an existing, migrated database. Searches read its index file; with
  /// `search_progress` (the running SearchIndexer's) each first waits for what was committed
  /// before it. Throws StorageError otherwise.
  explicit SqliteReader(const std::string& path, SearchProgress* search_progress = nullptr);
  ~SqliteReader() override;
  SqliteReader(const SqliteReader&) = delete;
  SqliteReader& operator=(const SqliteReader&) = delete;

  domain::Snapshot load() override;
  domain::HistoryPage history(domain::ChannelId channel, std::optional<domain::Seq> after_seq,
                              std::optional<domain::Seq> before_seq, int limit) override;
  std::optional<domain::Thread> thread(domain::PostId post) override;
  std::int64_t unread(domain::ChannelId channel, domain::UserId user,
                      domain::Seq after_seq) override;
  std::int64_t unread_mentions(domain::ChannelId channel, domain::UserId user,
                               domain::Seq after_seq) override;
  std::optional<domain::Post> post(domain::PostId post) override;
  std::vector<domain::PostVersion> versions(domain::PostId post) override;
  std::vector<domain::Mention> mentions(domain::UserId user,
                                        const std::vector<domain::ChannelId>& channels,
                                        std::optional<std::int64_t> before_id, int limit) override;
  std::vector<domain::LoggedEvent> events_after(domain::ChannelId channel, domain::Seq after_seq,
                                                int limit) override;
  std::vector<domain::SearchHit> search(const std::vector<std::string>& words,
                                        const std::vector<domain::ChannelId>& channels,
                                        int limit) override;

 private:
  std::unique_ptr<Connection> connection_;
  // Both use *connection_, so they are declared (and built) after it.
  ActivityQueries activity_;
  PostSearch search_;
};

/// Opens SqliteReaders on one database file.
class SqliteReaderFactory final : public domain::ReaderFactory {
 public:
  explicit SqliteReaderFactory(std::string path, SearchProgress* search_progress = nullptr)
      : path_(std::move(path)), search_progress_(search_progress) {}

  std::unique_ptr<domain::Reader> open_reader() override;

 private:
  std::string path_;
  SearchProgress* search_progress_;
};

}  // namespace staffroom::storage
