#include "storage/page_cache_guard.hpp"

#include <sqlite3.h>

#include <atomic>
#include <new>

namespace staffroom::storage {

namespace {

sqlite3_pcache_methods2 base;  // the default cache, read once at install()

std::atomic<std::uint64_t> drops_passed{0};
std::atomic<std::uint64_t> drops_skipped{0};
std::atomic<std::uint64_t> parkings{0};

// One per page cache (per connection and database); used by one thread at a time, like the
// connection that owns it.
struct GuardedCache {
  sqlite3_pcache* inner = nullptr;
  unsigned parking = 0;  // the lock-byte page's number: SQLite's byte 2^30 over the page size
  unsigned max_key = 0;  // no page with a larger number is cached (parking aside)
};

GuardedCache* guarded(sqlite3_pcache* cache) { return reinterpret_cast<GuardedCache*>(cache); }

int init(void* arg) { return base.xInit ? base.xInit(arg) : SQLITE_OK; }

void shutdown(void* arg) {
  if (base.xShutdown) base.xShutdown(arg);
}

sqlite3_pcache* create(int page_size, int extra_size, int purgeable) {
  auto* cache = new (std::nothrow) GuardedCache;
  if (cache == nullptr) return nullptr;
  cache->inner = base.xCreate(page_size, extra_size, purgeable);
  if (cache->inner == nullptr) {
    delete cache;
    return nullptr;
  }
  constexpr unsigned kPendingByte = 0x40000000;  // SQLite's PENDING_BYTE
  cache->parking = kPendingByte / static_cast<unsigned>(page_size) + 1;
  return reinterpret_cast<sqlite3_pcache*>(cache);
}

void cache_size(sqlite3_pcache* cache, int pages) { base.xCachesize(guarded(cache)->inner, pages); }

int page_count(sqlite3_pcache* cache) { return base.xPagecount(guarded(cache)->inner); }

sqlite3_pcache_page* fetch(sqlite3_pcache* cache, unsigned key, int create_flag) {
  auto* g = guarded(cache);
  sqlite3_pcache_page* page = base.xFetch(g->inner, key, create_flag);
  if (page != nullptr && key > g->max_key) g->max_key = key;
  return page;
}

void unpin(sqlite3_pcache* cache, sqlite3_pcache_page* page, int discard) {
  base.xUnpin(guarded(cache)->inner, page, discard);
}

void rekey(sqlite3_pcache* cache, sqlite3_pcache_page* page, unsigned old_key, unsigned new_key) {
  auto* g = guarded(cache);
  base.xRekey(g->inner, page, old_key, new_key);
  // A balance swaps two pages' numbers through the parking number, three renumberings in a
  // row with nothing in between: no drop can find a page parked there.
  if (new_key == g->parking) {
    parkings.fetch_add(1, std::memory_order_relaxed);
  } else if (new_key > g->max_key) {
    g->max_key = new_key;
  }
}

void truncate(sqlite3_pcache* cache, unsigned limit) {
  auto* g = guarded(cache);
  if (limit > g->max_key) {
    drops_skipped.fetch_add(1, std::memory_order_relaxed);
    return;
  }
  base.xTruncate(g->inner, limit);
  g->max_key = limit > 0 ? limit - 1 : 0;
  drops_passed.fetch_add(1, std::memory_order_relaxed);
}

void destroy(sqlite3_pcache* cache) {
  auto* g = guarded(cache);
  base.xDestroy(g->inner);
  delete g;
}

void shrink(sqlite3_pcache* cache) { base.xShrink(guarded(cache)->inner); }

}  // namespace

bool PageCacheGuard::install() {
  if (sqlite3_config(SQLITE_CONFIG_GETPCACHE2, &base) != SQLITE_OK || base.xCreate == nullptr) {
    return false;
  }
  static sqlite3_pcache_methods2 methods;
  methods.iVersion = 1;
  methods.pArg = base.pArg;
  methods.xInit = init;
  methods.xShutdown = shutdown;
  methods.xCreate = create;
  methods.xCachesize = cache_size;
  methods.xPagecount = page_count;
  methods.xFetch = fetch;
  methods.xUnpin = unpin;
  methods.xRekey = rekey;
  methods.xTruncate = truncate;
  methods.xDestroy = destroy;
  methods.xShrink = shrink;
  return sqlite3_config(SQLITE_CONFIG_PCACHE2, &methods) == SQLITE_OK;
}

PageCacheGuard::Counts PageCacheGuard::counts() {
  Counts out;
  out.drops_passed = drops_passed.load(std::memory_order_relaxed);
  out.drops_skipped = drops_skipped.load(std::memory_order_relaxed);
  out.parkings = parkings.load(std::memory_order_relaxed);
  return out;
}

}  // namespace staffroom::storage
