#include "storage/search_index_file.hpp"

#include <filesystem>
#include <optional>
#include <string>
#include <system_error>

#include "storage/database.hpp"

namespace staffroom::storage {
namespace {

namespace fs = std::filesystem;

// The file's layout; another number (an older or newer server's) means: build it again.
constexpr int kLayout = 1;

// Where the database stands: its identity, last post and last body change, read together.
struct MainState {
  std::string identity;
  SearchMark newest;
};

MainState main_state(Connection& main) {
  Transaction read(main, Transaction::Kind::deferred);
  MainState state;
  {
    auto identity = main.query("SELECT id FROM database_identity");
    if (!identity->step()) throw StorageError("database_identity has no row");
    state.identity = identity->column_text(0);
  }
  state.newest = newest_committed(main);
  read.commit();
  return state;
}

void configure(Connection& index) {
  index.exec("PRAGMA busy_timeout = 5000");
  {
    auto mode = index.query("PRAGMA journal_mode = WAL");
    if (!mode->step() || mode->column_text(0) != "wal") {
      throw StorageError("cannot switch '" + index.path() + "' to WAL mode");
    }
  }
  // A lost tail after a power cut is indexed again from the marks, which commit with it: the
  // file never needs an fsync per round.
  index.exec("PRAGMA synchronous = NORMAL");
  index.exec("PRAGMA temp_store = MEMORY");
  index.exec("PRAGMA cache_size = -2048");
}

// An empty index of the database `state` describes: no post indexed, and no body change
// before this moment left to apply (the posts are read as they are now).
void create(Connection& index, const MainState& state) {
  Transaction write(index, Transaction::Kind::immediate);
  index.exec(
      "CREATE VIRTUAL TABLE posts_fts USING fts5(body, tokenize = 'unicode61 remove_diacritics 2');"
      "CREATE TABLE search_marks (source TEXT NOT NULL, through_post_id INTEGER NOT NULL, "
      "through_stale_id INTEGER NOT NULL);");
  auto marks = index.query(
      "INSERT INTO search_marks (source, through_post_id, through_stale_id) VALUES (?1, 0, ?2)");
  marks->bind_text(1, state.identity).bind_int64(2, state.newest.stale);
  marks->run();
  index.exec("PRAGMA user_version = " + std::to_string(kLayout));
  write.commit();
}

// The file's marks if it is a usable index of `state`'s database; nothing otherwise.
std::optional<SearchMark> usable(Connection& index, const MainState& state) {
  auto version = index.query("PRAGMA user_version");
  if (!version->step() || version->column_int64(0) != kLayout) return std::nullopt;
  auto marks = index.query("SELECT source, through_post_id, through_stale_id FROM search_marks");
  if (!marks->step() || marks->column_text(0) != state.identity) return std::nullopt;
  const SearchMark mark{marks->column_int64(1), marks->column_int64(2)};
  if (!state.newest.covers(mark)) return std::nullopt;
  index.query("SELECT rowid FROM posts_fts LIMIT 1")->run();  // throws if it is gone
  return mark;
}

void remove_files(const std::string& path) {
  for (const char* suffix : {"", "-wal", "-shm", "-journal"}) {
    std::error_code ignored;
    fs::remove(path + suffix, ignored);
  }
}

}  // namespace

SearchMark newest_committed(Connection& main) {
  auto newest = main.query(
      "SELECT (SELECT coalesce(max(id), 0) FROM posts), "
      "(SELECT coalesce(max(id), 0) FROM search_stale)");
  newest->step();
  return {newest->column_int64(0), newest->column_int64(1)};
}

std::string search_index_path(const std::string& db_path) {
  const fs::path path(db_path);
  return (path.parent_path() / (path.stem().string() + "-search" + path.extension().string()))
      .string();
}

SearchIndexFile open_search_index(const std::string& db_path, Connection& main) {
  const std::string path = search_index_path(db_path);
  const MainState state = main_state(main);
  SearchIndexFile file;
  try {
    if (fs::exists(path)) {
      file.connection = std::make_unique<Connection>(path, Connection::Mode::read_write);
      configure(*file.connection);
      if (auto mark = usable(*file.connection, state)) {
        file.mark = *mark;
        return file;
      }
    }
  } catch (const StorageError&) {
    // Unreadable (not a database, damaged): it is rebuilt below like a missing one.
  }
  file.connection.reset();
  remove_files(path);
  file.connection = std::make_unique<Connection>(path, Connection::Mode::read_write_create);
  configure(*file.connection);
  create(*file.connection, state);
  file.mark = {0, state.newest.stale};
  file.fresh = true;
  return file;
}

}  // namespace staffroom::storage
