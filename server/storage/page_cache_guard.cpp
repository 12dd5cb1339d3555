#include "storage/page_cache_guard.hpp"

#include <sqlite3.h>

#include <atomic>
#include <new>

namespace staffroom::storage {

namespace {

sqlite3_pcache_methods2 base;       // the default cache, read once at install()
sqlite3_pcache_methods2 installed;  // these wrappers around it
std::atomic<bool> is_installed{false};

std::atomic<std::uint64_t> drops_passed{0};
std::atomic<std::uint64_t> drops_skipped{0};
std::atomic<std::uint64_t> parkings{0};

// One per page cache (per connection and database); used by one thread at a time, like the
// connection that owns it.
struct GuardedCache {
  sqlite3_pcache* inner = nullptr;
  unsigned parking = 0;  // the lock-byte page's number: SQLite's byte 2^30 over the page size
  unsigned max_key = 0;  // no page with a larger number is cached (parking aside)
  sqlite3_pcache_page* parked = nullptr;  // a page renumbered to `parking` and not yet away
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
  auto* g = guarded(cache);
  if (discard && page == g->parked) g->parked = nullptr;
  base.xUnpin(g->inner, page, discard);
}

void rekey(sqlite3_pcache* cache, sqlite3_pcache_page* page, unsigned old_key, unsigned new_key) {
  auto* g = guarded(cache);
  base.xRekey(g->inner, page, old_key, new_key);
  // A balance swaps two pages' numbers through the parking number, three renumberings in a
  // row with nothing in between, so it is left out of max_key; should a page still be parked
  // at a drop (another SQLite release), truncate() passes the drop on.
  if (old_key == g->parking && page == g->parked) g->parked = nullptr;
  if (new_key == g->parking) {
    g->parked = page;
    parkings.fetch_add(1, std::memory_order_relaxed);
  } else if (new_key > g->max_key) {
    g->max_key = new_key;
  }
}

void truncate(sqlite3_pcache* cache, unsigned limit) {
  auto* g = guarded(cache);
  if (limit > g->max_key && (g->parked == nullptr || limit > g->parking)) {
    drops_skipped.fetch_add(1, std::memory_order_relaxed);
    return;
  }
  base.xTruncate(g->inner, limit);
  g->max_key = limit > 0 ? limit - 1 : 0;
  if (limit <= g->parking) g->parked = nullptr;  // dropped with the rest
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
  installed.iVersion = 1;
  installed.pArg = base.pArg;
  installed.xInit = init;
  installed.xShutdown = shutdown;
  installed.xCreate = create;
  installed.xCachesize = cache_size;
  installed.xPagecount = page_count;
  installed.xFetch = fetch;
  installed.xUnpin = unpin;
  installed.xRekey = rekey;
  installed.xTruncate = truncate;
  installed.xDestroy = destroy;
  installed.xShrink = shrink;
  if (sqlite3_config(SQLITE_CONFIG_PCACHE2, &installed) != SQLITE_OK) return false;
  is_installed.store(true);
  return true;
}

const sqlite3_pcache_methods2* PageCacheGuard::methods() {
  return is_installed.load() ? &installed : nullptr;
}

PageCacheGuard::Counts PageCacheGuard::counts() {
  Counts out;
  out.drops_passed = drops_passed.load(std::memory_order_relaxed);
  out.drops_skipped = drops_skipped.load(std::memory_order_relaxed);
  out.parkings = parkings.load(std::memory_order_relaxed);
  return out;
}

}  // namespace staffroom::storage
