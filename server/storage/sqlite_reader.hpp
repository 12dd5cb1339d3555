// Read-only queries over SQLite, one connection per reading thread (WAL lets them run
// beside the writer).
#pragma once

#include <memory>
#include <string>

#include "domain/store.hpp"

namespace staffroom::storage {

class Connection;

/// domain::Reader on its own read-only connection; use it from one thread at a time.
class SqliteReader final : public domain::Reader {
 public:
  /// Opens an existing, migrated database. Throws StorageError otherwise.
  explicit SqliteReader(const std::string& path);
  ~SqliteReader() override;
  SqliteReader(const SqliteReader&) = delete;
  SqliteReader& operator=(const SqliteReader&) = delete;

  domain::Snapshot load() override;
  domain::HistoryPage history(domain::ChannelId channel, std::optional<domain::Seq> after_seq,
                              std::optional<domain::Seq> before_seq, int limit) override;
  std::optional<domain::Thread> thread(domain::PostId post) override;
  std::int64_t unread(domain::ChannelId channel, domain::UserId user,
                      domain::Seq after_seq) override;

 private:
  std::optional<domain::Post> post_by_id(domain::PostId post);

  std::unique_ptr<Connection> connection_;
};

/// Opens SqliteReaders on one database file.
class SqliteReaderFactory final : public domain::ReaderFactory {
 public:
  explicit SqliteReaderFactory(std::string path) : path_(std::move(path)) {}

  std::unique_ptr<domain::Reader> open_reader() override;

 private:
  std::string path_;
};

}  // namespace staffroom::storage
