#include "storage/paced_writeback.hpp"

#include <fcntl.h>
#include <sqlite3.h>
#include <sys/stat.h>

#include <atomic>
#include <cstring>
#include <new>

namespace staffroom::storage {
namespace {

std::atomic<std::uint64_t> write_back_count{0};

/// The file as SQLite sees it; the root VFS's file lives right behind it.
struct PacedFile {
  sqlite3_file base;  // must come first: SQLite hands us this pointer
  sqlite3_file* real = nullptr;
  int fd = -1;                // the root VFS's descriptor (not ours to close), or -1: unpaced
  std::size_t unwritten = 0;  // bytes written since the last write-back
};

PacedFile* paced(sqlite3_file* file) { return reinterpret_cast<PacedFile*>(file); }

// The unix VFS's file begins with its methods, its VFS, its inode record and its descriptor
// (struct unixFile in os_unix.c, unchanged since SQLite 3.7). Opening a descriptor of our own
// is not an option: closing it would drop every POSIX lock this process holds on the file,
// SQLite's included. The layout is checked, not trusted: the descriptor must be the file.
struct UnixFileHead {
  const sqlite3_io_methods* methods;
  sqlite3_vfs* vfs;
  void* inode;
  int fd;
};

int descriptor_of(sqlite3_file* real, const char* name) {
  if (name == nullptr) return -1;
  UnixFileHead head{};
  std::memcpy(&head, real, sizeof head);
  struct stat by_fd {};
  struct stat by_name {};
  if (head.fd < 0 || fstat(head.fd, &by_fd) != 0 || stat(name, &by_name) != 0) return -1;
  if (by_fd.st_dev != by_name.st_dev || by_fd.st_ino != by_name.st_ino) return -1;
  return head.fd;
}

// Every method but write and close is the root VFS's, called on the wrapped file.
template <auto Method>
struct Forward;
template <typename R, typename... Args, R (*sqlite3_io_methods::*Method)(sqlite3_file*, Args...)>
struct Forward<Method> {
  static R call(sqlite3_file* file, Args... args) {
    sqlite3_file* real = paced(file)->real;
    return (real->pMethods->*Method)(real, args...);
  }
};

int paced_close(sqlite3_file* file) {
  auto* f = paced(file);
  const int rc = f->real->pMethods->xClose(f->real);
  f->~PacedFile();
  return rc;
}

int paced_write(sqlite3_file* file, const void* data, int amount, sqlite3_int64 offset) {
  auto* f = paced(file);
  const int rc = f->real->pMethods->xWrite(f->real, data, amount, offset);
  if (rc != SQLITE_OK || f->fd < 0) return rc;
  f->unwritten += static_cast<std::size_t>(amount);
  if (f->unwritten < PacedWriteback::kPacedBytes) return rc;
  f->unwritten = 0;
  // Waits for what is already on its way, starts the rest, waits for that: at most
  // kPacedBytes of this file in the device's queue. A failure loses nothing: the checkpoint's
  // own fsync still writes and checks every page.
  constexpr unsigned kFlags =
      SYNC_FILE_RANGE_WAIT_BEFORE | SYNC_FILE_RANGE_WRITE | SYNC_FILE_RANGE_WAIT_AFTER;
  if (sync_file_range(f->fd, 0, 0, kFlags) == 0) {
    write_back_count.fetch_add(1, std::memory_order_relaxed);
  }
  return rc;
}

int paced_fetch(sqlite3_file* file, sqlite3_int64 offset, int amount, void** out) {
  sqlite3_file* real = paced(file)->real;
  if (real->pMethods->iVersion < 3) {
    *out = nullptr;
    return SQLITE_OK;
  }
  return real->pMethods->xFetch(real, offset, amount, out);
}

int paced_unfetch(sqlite3_file* file, sqlite3_int64 offset, void* page) {
  sqlite3_file* real = paced(file)->real;
  if (real->pMethods->iVersion < 3) return SQLITE_OK;
  return real->pMethods->xUnfetch(real, offset, page);
}

using M = sqlite3_io_methods;
const sqlite3_io_methods kPacedMethods = {3,
                                          paced_close,
                                          Forward<&M::xRead>::call,
                                          paced_write,
                                          Forward<&M::xTruncate>::call,
                                          Forward<&M::xSync>::call,
                                          Forward<&M::xFileSize>::call,
                                          Forward<&M::xLock>::call,
                                          Forward<&M::xUnlock>::call,
                                          Forward<&M::xCheckReservedLock>::call,
                                          Forward<&M::xFileControl>::call,
                                          Forward<&M::xSectorSize>::call,
                                          Forward<&M::xDeviceCharacteristics>::call,
                                          Forward<&M::xShmMap>::call,
                                          Forward<&M::xShmLock>::call,
                                          Forward<&M::xShmBarrier>::call,
                                          Forward<&M::xShmUnmap>::call,
                                          paced_fetch,
                                          paced_unfetch};

}  // namespace

std::size_t PacedWriteback::file_bytes() {
  return (sizeof(PacedFile) + alignof(std::max_align_t) - 1) / alignof(std::max_align_t) *
         alignof(std::max_align_t);
}

int PacedWriteback::open(sqlite3_vfs* root, const char* name, sqlite3_file* file, int flags,
                         int* out_flags) {
  auto* f = new (file) PacedFile();
  f->base.pMethods = nullptr;
  f->real = reinterpret_cast<sqlite3_file*>(reinterpret_cast<char*>(file) + file_bytes());
  const int rc = root->xOpen(root, name, f->real, flags, out_flags);
  if (rc != SQLITE_OK) {
    if (f->real->pMethods != nullptr) f->real->pMethods->xClose(f->real);
    f->~PacedFile();
    file->pMethods = nullptr;  // SQLite does not call xClose on a file that failed to open
    return rc;
  }
  f->fd = descriptor_of(f->real, name);
  f->base.pMethods = &kPacedMethods;
  return SQLITE_OK;
}

std::uint64_t PacedWriteback::write_backs() {
  return write_back_count.load(std::memory_order_relaxed);
}

}  // namespace staffroom::storage
