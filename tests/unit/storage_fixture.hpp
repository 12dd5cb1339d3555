// Shared helpers for the storage tests: temp directories, synchronous commits, change builders
// and a small community to run changes against.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <functional>
#include <future>
#include <mutex>
#include <numeric>
#include <random>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "domain/changes.hpp"
#include "domain/store.hpp"
#include "storage/database.hpp"
#include "storage/schema.hpp"
#include "storage/search_index_file.hpp"
#include "storage/search_indexer.hpp"
#include "storage/search_progress.hpp"
#include "storage/sqlite_reader.hpp"
#include "storage/sqlite_writer.hpp"

namespace staffroom::storage::testing {

/// A fresh directory under the system temp dir, removed with everything in it at scope exit.
class TempDir {
 public:
  TempDir() {
    static std::atomic<int> counter{0};
    std::random_device random;
    path_ = std::filesystem::temp_directory_path() /
            ("staffroom-storage-" + std::to_string(random()) + "-" + std::to_string(++counter));
    std::filesystem::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  std::string file(const std::string& name) const { return (path_ / name).string(); }

 private:
  std::filesystem::path path_;
};

/// Waits (bounded: 5 s) until `done()` holds; returns whether it does.
template <typename Check>
bool eventually(Check done) {
  for (int i = 0; i < 500 && !done(); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return done();
}

/// The id of this process's thread named `name` (as `top -H` shows it), or -1 if none is.
inline int thread_id_named(const std::string& name) {
  for (const auto& task : std::filesystem::directory_iterator("/proc/self/task")) {
    std::ifstream comm(task.path() / "comm");
    std::string line;
    std::getline(comm, line);
    if (line == name) return std::stoi(task.path().filename().string());
  }
  return -1;
}

/// Holds the writer thread inside a commit callback while `append_all()` appends, so what it
/// appends gathers into one batch; then lets the writer go on.
template <typename AppendAll>
void while_writer_held(domain::Writer& writer, AppendAll append_all) {
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  std::promise<void> holding;
  writer.append(domain::MarkRead{1, 1, 0}, [&holding, released](domain::Committed) {
    holding.set_value();
    released.wait();
  });
  holding.get_future().wait();
  append_all();
  release.set_value();
}

/// Records every batch the writer reports (WriterOptions::on_commit): its size and time.
struct BatchLog {
  std::mutex mutex;
  std::vector<std::size_t> sizes;
  std::vector<std::chrono::nanoseconds> times;
  std::function<void(std::size_t, std::chrono::nanoseconds)> hook() {
    return [this](std::size_t size, std::chrono::nanoseconds took) {
      std::lock_guard lock(mutex);
      sizes.push_back(size);
      times.push_back(took);
    };
  }
};

/// Appends one change and waits for its commit.
inline domain::Committed commit(domain::Writer& writer, domain::Change change) {
  std::promise<domain::Committed> done;
  auto result = done.get_future();
  writer.append(std::move(change),
                [&done](domain::Committed committed) { done.set_value(std::move(committed)); });
  if (result.wait_for(std::chrono::seconds(30)) != std::future_status::ready) {
    throw std::runtime_error("commit timed out");
  }
  return result.get();
}

inline domain::NewUser user(const std::string& handle) {
  return domain::NewUser{handle, "Name of " + handle, "$argon2id$fake", 1000};
}

inline domain::NewChannel channel(const std::string& slug, domain::UserId owner) {
  return domain::NewChannel{
      slug, "Title " + slug, "About " + slug, domain::Visibility::public_, owner, 2000};
}

inline domain::NewPost post(domain::ChannelId channel_id, domain::UserId author,
                            const std::string& body,
                            std::optional<domain::PostId> thread_id = std::nullopt,
                            std::optional<std::string> client_id = std::nullopt) {
  domain::NewPost change;
  change.channel_id = channel_id;
  // Tests create users u1, u2, ... in order, so user N has id N and handle "uN".
  const std::string handle = "u" + std::to_string(author);
  change.author = domain::Author{author, handle, "Name of " + handle};
  change.thread_id = thread_id;
  change.body = body;
  change.html = "<p>" + body + "</p>\n";  // as the renderer gives a plain line
  change.client_id = std::move(client_id);
  change.at = 3000;
  return change;
}

inline domain::JoinChannel join(domain::ChannelId channel_id, domain::UserId user_id,
                                domain::Role role = domain::Role::member,
                                std::optional<domain::UserId> invited_by = std::nullopt) {
  return domain::JoinChannel{channel_id, user_id, role, 2500, invited_by};
}

inline domain::NewPost mentioning(domain::NewPost change, std::vector<domain::UserId> users) {
  change.mentions = std::move(users);
  return change;
}

inline domain::EditPost edit(domain::PostId post_id, const std::string& body,
                             domain::Timestamp at = 4000) {
  return domain::EditPost{post_id, body, "<p>" + body + "</p>\n", at};
}

inline domain::ReactToPost react(domain::PostId post_id, domain::UserId user_id,
                                 const std::string& emoji, bool on = true,
                                 domain::Timestamp at = 5000) {
  return domain::ReactToPost{post_id, user_id, emoji, on, at};
}

/// Brings the search index file up to date (a SearchIndexer's rounds, on this thread) and
/// checks it: FTS5's own integrity-check, and that it holds exactly the undeleted posts with a
/// body, each under its id and with its current body. Throws StorageError when it does not.
inline void check_search_index(const std::string& path) {
  SearchProgress progress;
  SearchIndexer indexer(path, progress);
  indexer.catch_up();
  Connection index(search_index_path(path), Connection::Mode::read_write);
  index.exec("INSERT INTO posts_fts (posts_fts, rank) VALUES ('integrity-check', 1)");
  auto rows = [](Connection& connection, const char* sql) {
    std::vector<std::pair<std::int64_t, std::string>> out;
    auto query = connection.query(sql);
    while (query->step()) out.emplace_back(query->column_int64(0), query->column_text(1));
    return out;
  };
  Connection main(path, Connection::Mode::read_only);
  const auto indexed = rows(index, "SELECT rowid, body FROM posts_fts ORDER BY rowid");
  const auto posts =
      rows(main, "SELECT id, body FROM posts WHERE deleted = 0 AND body != '' ORDER BY id");
  if (indexed != posts) {
    throw StorageError("the search index holds " + std::to_string(indexed.size()) +
                       " posts that differ from the " + std::to_string(posts.size()) +
                       " undeleted ones");
  }
}

/// Moves the seq index entries `where` selects from post_seqs_recent into post_seqs, as a
/// PostSeqSweep would, so reads can be tested against an index split between its two tables.
inline void settle_seq_index(const std::string& path, const std::string& where) {
  Connection connection(path, Connection::Mode::read_write);
  connection.exec("INSERT INTO post_seqs SELECT * FROM post_seqs_recent WHERE " + where);
  connection.exec("DELETE FROM post_seqs_recent WHERE " + where);
}

/// A migrated file on a bare writer connection (no writer thread), for the writer's helpers
/// driven by hand: users 1..`users` ("u1" the admin) and u1's channel 1 ("a") at `last_seq`.
struct MigratedFile {
  TempDir dir;
  std::string path = dir.file("db");
  Connection connection{path, Connection::Mode::read_write_create};

  explicit MigratedFile(int users, domain::Seq last_seq = 0) {
    configure_writer(connection, false);
    migrate(connection);
    for (int i = 1; i <= users; ++i) {
      const std::string n = std::to_string(i);
      connection.exec(
          "INSERT INTO users (id, handle, display_name, password_hash, admin, created_at) "
          "VALUES (" +
          n + ", 'u" + n + "', 'U" + n + "', 'h', " + (i == 1 ? "1" : "0") + ", 10)");
    }
    connection.exec(
        "INSERT INTO channels (id, slug, title, visibility, created_by, created_at, last_seq) "
        "VALUES (1, 'a', 'A', 'public', 1, 20, " +
        std::to_string(last_seq) + ")");
  }
};

/// u1 owns channel 1 ("a"); synchronous FULL. The writer's reported batch sizes are kept (read
/// them once the writer has stopped or is held).
struct OneChannel {
  TempDir dir;
  std::string path = dir.file("db");
  std::vector<std::size_t> batch_sizes;
  storage::SqliteWriter writer{storage::WriterOptions{
      path, true, [this](std::size_t n, std::chrono::nanoseconds) { batch_sizes.push_back(n); }}};

  OneChannel() {
    commit(writer, user("u1"));
    commit(writer, channel("a", 1));
  }
};

// u1 owns channel 1 ("a"), u2 and u3 joined it (seqs 2, 3); channel 2 ("b") is u1's alone.
struct Community {
  TempDir dir;
  std::string path = dir.file("db");
  storage::SqliteWriter writer{storage::WriterOptions{path, false, {}}};

  Community() {
    for (const char* handle : {"u1", "u2", "u3"}) commit(writer, user(handle));
    commit(writer, channel("a", 1));
    commit(writer, join(1, 2));
    commit(writer, join(1, 3));
    commit(writer, channel("b", 1));
  }

  domain::Seq last_seq(domain::ChannelId channel_id) {
    for (const auto& c : storage::SqliteReader(path).load().channels) {
      if (c.id == channel_id) return c.last_seq;
    }
    return -1;
  }

  // The event log's seqs are exactly 1..last_seq: no gap, no duplicate.
  bool gap_free(domain::ChannelId channel_id) {
    const auto events = storage::SqliteReader(path).events_after(channel_id, 0, 100000);
    std::vector<domain::Seq> seqs;
    for (const auto& e : events) seqs.push_back(e.seq);
    std::vector<domain::Seq> expected(static_cast<std::size_t>(last_seq(channel_id)));
    std::iota(expected.begin(), expected.end(), 1);
    return seqs == expected;
  }
};

}  // namespace staffroom::storage::testing
