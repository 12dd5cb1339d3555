// The search index's own SQLite file beside the database: opened as it is, or built afresh.
#pragma once

#include <memory>
#include <string>

#include "storage/search_progress.hpp"

namespace staffroom::storage {

class Connection;

/// The file for the database at `db_path`: staffroom.db -> staffroom-search.db, in the same
/// directory. It holds nothing that is not in the database: deleting it (with its -wal and
/// -shm) only makes the next start index every post again.
std::string search_index_path(const std::string& db_path);

/// The newest post and body change the database `main` holds: what an index must reach to
/// hold everything committed so far. Throws StorageError.
SearchMark newest_committed(Connection& main);

/// An open index file and how far it has indexed.
struct SearchIndexFile {
  std::unique_ptr<Connection> connection;
  SearchMark mark;
  /// Whether it was (re)created empty: every post is still to be indexed.
  bool fresh = false;
};

/// Opens the index of the database `main` reads (a read connection on a migrated file). The
/// file is created, or replaced by an empty one, when it is missing, unreadable, of another
/// layout, built from another database (database_identity), or ahead of this one (a restored
/// backup: its marks pass the last post or body change). Throws StorageError when even a new
/// file cannot be made.
SearchIndexFile open_search_index(const std::string& db_path, Connection& main);

}  // namespace staffroom::storage
