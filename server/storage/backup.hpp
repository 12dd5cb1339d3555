// Online backup of a live database, and the integrity check used to verify copies.
#pragma once

#include <string>

namespace staffroom::storage {

/// Copies `source_path` to `dest_path` as one consistent snapshot while other connections
/// (this process or another) keep writing. Refuses to overwrite an existing `dest_path`;
/// the destination appears only once the copy is complete. Throws StorageError.
void backup_database(const std::string& source_path, const std::string& dest_path);

/// Runs PRAGMA integrity_check on the file: "ok" when sound, otherwise SQLite's findings,
/// one per line. Throws StorageError if the file cannot be opened.
std::string integrity_check(const std::string& path);

}  // namespace staffroom::storage
