#include "storage/wal_buffer_vfs.hpp"

#include <sqlite3.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <mutex>
#include <new>
#include <vector>

#include "storage/database.hpp"

namespace staffroom::storage {
namespace {

constexpr const char* kName = "staffroom-wal-buffer";
// The WAL file format (sqlite.org/fileformat2.html#walformat): a 32-byte header, then frames
// of a 24-byte header and a page; bytes 4-7 of a frame header are non-zero only in the frame
// that commits a transaction.
constexpr int kWalHeaderBytes = 32;
constexpr int kFrameHeaderBytes = 24;
// The unix VFS writes at most 128 KiB - 1 bytes per call (it masks the length with 0x1ffff),
// so gathered frames go out in pieces below that.
constexpr std::size_t kMaxWrite = std::size_t{124} << 10;
// Past this, gathered frames are written out early (a very large transaction).
constexpr std::size_t kMaxGathered = std::size_t{8} << 20;

sqlite3_vfs* root_vfs = nullptr;

/// The WAL file as SQLite sees it; the default VFS's file lives right behind it.
struct WalFile {
  sqlite3_file base;  // must come first: SQLite hands us this pointer
  sqlite3_file* real = nullptr;
  std::vector<unsigned char> gathered;
  sqlite3_int64 start = 0;    // file offset of gathered[0]
  bool commit_frame = false;  // the write after this completes the commit frame
};

constexpr std::size_t wal_file_bytes() {
  return (sizeof(WalFile) + alignof(std::max_align_t) - 1) / alignof(std::max_align_t) *
         alignof(std::max_align_t);
}

WalFile* wal(sqlite3_file* file) { return reinterpret_cast<WalFile*>(file); }

int flush(WalFile* f) {
  int rc = SQLITE_OK;
  for (std::size_t done = 0; done < f->gathered.size() && rc == SQLITE_OK; done += kMaxWrite) {
    const auto amount = std::min(kMaxWrite, f->gathered.size() - done);
    rc = f->real->pMethods->xWrite(f->real, f->gathered.data() + done, static_cast<int>(amount),
                                   f->start + static_cast<sqlite3_int64>(done));
  }
  f->gathered.clear();
  f->commit_frame = false;
  return rc;
}

std::uint32_t big_endian32(const unsigned char* p) {
  return (std::uint32_t{p[0]} << 24) | (std::uint32_t{p[1]} << 16) | (std::uint32_t{p[2]} << 8) |
         std::uint32_t{p[3]};
}

int wal_close(sqlite3_file* file) {
  auto* f = wal(file);
  const int flushed = flush(f);
  const int rc = f->real->pMethods->xClose(f->real);
  f->~WalFile();
  return flushed != SQLITE_OK ? flushed : rc;
}

int wal_read(sqlite3_file* file, void* out, int amount, sqlite3_int64 offset) {
  auto* f = wal(file);
  if (const int rc = flush(f); rc != SQLITE_OK) return rc;
  return f->real->pMethods->xRead(f->real, out, amount, offset);
}

int wal_write(sqlite3_file* file, const void* data, int amount, sqlite3_int64 offset) {
  auto* f = wal(file);
  const auto size = static_cast<std::size_t>(amount);
  const bool follows =
      !f->gathered.empty() && offset == f->start + static_cast<sqlite3_int64>(f->gathered.size());
  if (!f->gathered.empty() && (!follows || f->gathered.size() + size > kMaxGathered)) {
    if (const int rc = flush(f); rc != SQLITE_OK) return rc;
  }
  if (size > kMaxGathered) return f->real->pMethods->xWrite(f->real, data, amount, offset);
  if (f->gathered.empty()) f->start = offset;
  const auto* bytes = static_cast<const unsigned char*>(data);
  f->gathered.insert(f->gathered.end(), bytes, bytes + size);
  if (f->commit_frame) return flush(f);  // the commit frame's page: the transaction is whole
  if (amount == kFrameHeaderBytes && offset >= kWalHeaderBytes && big_endian32(bytes + 4) != 0) {
    f->commit_frame = true;
  }
  return SQLITE_OK;
}

// Every other operation first writes out what is gathered, so the file is exactly as it would
// be without this VFS whenever anything but a frame append looks at it.
template <auto Method, typename... Args>
int after_flush(sqlite3_file* file, Args... args) {
  auto* f = wal(file);
  if (const int rc = flush(f); rc != SQLITE_OK) return rc;
  return (f->real->pMethods->*Method)(f->real, args...);
}

int wal_truncate(sqlite3_file* file, sqlite3_int64 size) {
  return after_flush<&sqlite3_io_methods::xTruncate>(file, size);
}
int wal_sync(sqlite3_file* file, int flags) {
  return after_flush<&sqlite3_io_methods::xSync>(file, flags);
}
int wal_file_size(sqlite3_file* file, sqlite3_int64* size) {
  return after_flush<&sqlite3_io_methods::xFileSize>(file, size);
}
int wal_lock(sqlite3_file* file, int lock) {
  return after_flush<&sqlite3_io_methods::xLock>(file, lock);
}
int wal_unlock(sqlite3_file* file, int lock) {
  return after_flush<&sqlite3_io_methods::xUnlock>(file, lock);
}
int wal_check_reserved_lock(sqlite3_file* file, int* out) {
  return after_flush<&sqlite3_io_methods::xCheckReservedLock>(file, out);
}
int wal_file_control(sqlite3_file* file, int op, void* arg) {
  return after_flush<&sqlite3_io_methods::xFileControl>(file, op, arg);
}
int wal_sector_size(sqlite3_file* file) {
  auto* f = wal(file);
  return f->real->pMethods->xSectorSize(f->real);
}
int wal_device_characteristics(sqlite3_file* file) {
  auto* f = wal(file);
  return f->real->pMethods->xDeviceCharacteristics(f->real);
}
int wal_shm_map(sqlite3_file* file, int page, int page_size, int extend, void volatile** out) {
  return after_flush<&sqlite3_io_methods::xShmMap>(file, page, page_size, extend, out);
}
int wal_shm_lock(sqlite3_file* file, int offset, int n, int flags) {
  return after_flush<&sqlite3_io_methods::xShmLock>(file, offset, n, flags);
}
void wal_shm_barrier(sqlite3_file* file) {
  auto* f = wal(file);
  flush(f);  // never has anything to write: SQLite does not call it on a WAL file
  f->real->pMethods->xShmBarrier(f->real);
}
int wal_shm_unmap(sqlite3_file* file, int delete_flag) {
  return after_flush<&sqlite3_io_methods::xShmUnmap>(file, delete_flag);
}
int wal_fetch(sqlite3_file* file, sqlite3_int64 offset, int amount, void** out) {
  auto* f = wal(file);
  if (f->real->pMethods->iVersion < 3) {
    *out = nullptr;
    return SQLITE_OK;
  }
  return after_flush<&sqlite3_io_methods::xFetch>(file, offset, amount, out);
}
int wal_unfetch(sqlite3_file* file, sqlite3_int64 offset, void* page) {
  auto* f = wal(file);
  if (f->real->pMethods->iVersion < 3) return SQLITE_OK;
  return after_flush<&sqlite3_io_methods::xUnfetch>(file, offset, page);
}

const sqlite3_io_methods kWalMethods = {3,
                                        wal_close,
                                        wal_read,
                                        wal_write,
                                        wal_truncate,
                                        wal_sync,
                                        wal_file_size,
                                        wal_lock,
                                        wal_unlock,
                                        wal_check_reserved_lock,
                                        wal_file_control,
                                        wal_sector_size,
                                        wal_device_characteristics,
                                        wal_shm_map,
                                        wal_shm_lock,
                                        wal_shm_barrier,
                                        wal_shm_unmap,
                                        wal_fetch,
                                        wal_unfetch};

int vfs_open(sqlite3_vfs*, const char* name, sqlite3_file* file, int flags, int* out_flags) {
  // Anything but a WAL is the default VFS's file, in the same memory.
  if ((flags & SQLITE_OPEN_WAL) == 0)
    return root_vfs->xOpen(root_vfs, name, file, flags, out_flags);
  auto* f = new (file) WalFile();
  f->base.pMethods = nullptr;
  f->real = reinterpret_cast<sqlite3_file*>(reinterpret_cast<char*>(file) + wal_file_bytes());
  const int rc = root_vfs->xOpen(root_vfs, name, f->real, flags, out_flags);
  if (rc != SQLITE_OK) {
    if (f->real->pMethods != nullptr) f->real->pMethods->xClose(f->real);
    f->~WalFile();
    file->pMethods = nullptr;  // SQLite does not call xClose on a file that failed to open
    return rc;
  }
  f->base.pMethods = &kWalMethods;
  return SQLITE_OK;
}

// The rest of the VFS is the default one's.
int vfs_delete(sqlite3_vfs*, const char* name, int sync_dir) {
  return root_vfs->xDelete(root_vfs, name, sync_dir);
}
int vfs_access(sqlite3_vfs*, const char* name, int flags, int* out) {
  return root_vfs->xAccess(root_vfs, name, flags, out);
}
int vfs_full_pathname(sqlite3_vfs*, const char* name, int size, char* out) {
  return root_vfs->xFullPathname(root_vfs, name, size, out);
}
void* vfs_dl_open(sqlite3_vfs*, const char* name) { return root_vfs->xDlOpen(root_vfs, name); }
void vfs_dl_error(sqlite3_vfs*, int size, char* out) { root_vfs->xDlError(root_vfs, size, out); }
void (*vfs_dl_sym(sqlite3_vfs*, void* handle, const char* symbol))(void) {
  return root_vfs->xDlSym(root_vfs, handle, symbol);
}
void vfs_dl_close(sqlite3_vfs*, void* handle) { root_vfs->xDlClose(root_vfs, handle); }
int vfs_randomness(sqlite3_vfs*, int size, char* out) {
  return root_vfs->xRandomness(root_vfs, size, out);
}
int vfs_sleep(sqlite3_vfs*, int micros) { return root_vfs->xSleep(root_vfs, micros); }
int vfs_current_time(sqlite3_vfs*, double* out) { return root_vfs->xCurrentTime(root_vfs, out); }
int vfs_get_last_error(sqlite3_vfs*, int size, char* out) {
  return root_vfs->xGetLastError != nullptr ? root_vfs->xGetLastError(root_vfs, size, out) : 0;
}
int vfs_current_time_int64(sqlite3_vfs*, sqlite3_int64* out) {
  return root_vfs->xCurrentTimeInt64(root_vfs, out);
}

sqlite3_vfs make_vfs(sqlite3_vfs* root) {
  sqlite3_vfs vfs{};
  vfs.iVersion = 2;
  vfs.szOsFile = static_cast<int>(wal_file_bytes()) + root->szOsFile;
  vfs.mxPathname = root->mxPathname;
  vfs.zName = kName;
  vfs.xOpen = vfs_open;
  vfs.xDelete = vfs_delete;
  vfs.xAccess = vfs_access;
  vfs.xFullPathname = vfs_full_pathname;
  vfs.xDlOpen = vfs_dl_open;
  vfs.xDlError = vfs_dl_error;
  vfs.xDlSym = vfs_dl_sym;
  vfs.xDlClose = vfs_dl_close;
  vfs.xRandomness = vfs_randomness;
  vfs.xSleep = vfs_sleep;
  vfs.xCurrentTime = vfs_current_time;
  vfs.xGetLastError = vfs_get_last_error;
  vfs.xCurrentTimeInt64 = vfs_current_time_int64;
  return vfs;
}

}  // namespace

const char* WalBufferVfs::name() {
  static std::once_flag once;
  static sqlite3_vfs vfs;
  static int registered = SQLITE_ERROR;
  std::call_once(once, [] {
    configure_sqlite_once();
    root_vfs = sqlite3_vfs_find(nullptr);
    if (root_vfs == nullptr || root_vfs->iVersion < 2) return;
    vfs = make_vfs(root_vfs);
    registered = sqlite3_vfs_register(&vfs, /*makeDflt=*/0);
  });
  if (registered != SQLITE_OK) throw StorageError("cannot register the WAL-buffering SQLite VFS");
  return kName;
}

}  // namespace staffroom::storage
