#include "storage/search_indexer.hpp"

#include <pthread.h>
#include <sched.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <exception>
#include <string>
#include <utility>
#include <vector>

#include "storage/database.hpp"
#include "storage/schema.hpp"
#include "storage/search_index_file.hpp"

namespace staffroom::storage {

SearchIndexer::SearchIndexer(const std::string& db_path, SearchProgress& progress, Hooks hooks)
    : progress_(progress), hooks_(std::move(hooks)) {
  main_ = std::make_unique<Connection>(db_path, Connection::Mode::read_only);
  configure_reader(*main_);
  require_current_schema(*main_);
  // Rounds read recent pages once; the writer's own cache is the one that should be large.
  main_->exec("PRAGMA cache_size = -1024");
  SearchIndexFile file = open_search_index(db_path, *main_);
  index_ = std::move(file.connection);
  mark_ = file.mark;
  fresh_ = file.fresh;
  // A round gathers its rows here first, so that one statement writes them all to the index:
  // FTS5 writes its pending words out as a segment whenever a statement that wrote to it ends.
  index_->exec(
      "CREATE TEMP TABLE search_fresh (id INTEGER PRIMARY KEY, body TEXT NOT NULL);"
      "CREATE TEMP TABLE search_gone (id INTEGER PRIMARY KEY);");
  progress_.reached(mark_);
}

SearchIndexer::~SearchIndexer() { stop(); }

void SearchIndexer::start() {
  thread_ = std::thread([this] { run(); });
  progress_.wake();  // whatever was committed before the start
}

void SearchIndexer::stop() {
  progress_.stop();
  if (thread_.joinable()) thread_.join();
}

bool SearchIndexer::index_round() {
  struct Body {
    std::int64_t id;
    std::string text;
  };
  std::vector<Body> fresh;
  std::vector<std::int64_t> gone;
  SearchMark next = mark_;
  bool more = false;
  {
    // Reads only, then ends: while it is open (and the scheduler may hold this thread up in
    // it) the database's WAL cannot restart from its beginning.
    Transaction read(*main_, Transaction::Kind::deferred);
    {
      auto posts = main_->query("SELECT id, deleted, body FROM posts WHERE id > ?1 ORDER BY id");
      posts->bind_int64(1, mark_.post);
      std::size_t rows = 0;
      std::size_t bytes = 0;
      while (posts->step()) {
        if (rows == kMostPosts || bytes >= kMostBytes) {
          more = true;
          break;
        }
        ++rows;
        next.post = posts->column_int64(0);
        if (posts->column_int64(1) != 0) continue;
        std::string body = posts->column_text(2);
        bytes += body.size();
        if (!body.empty()) fresh.push_back({next.post, std::move(body)});
      }
    }
    {
      auto changes = main_->query("SELECT id, post_id FROM search_stale WHERE id > ?1 ORDER BY id");
      changes->bind_int64(1, mark_.stale);
      std::size_t rows = 0;
      while (changes->step()) {
        if (rows == kMostChanges) {
          more = true;
          break;
        }
        ++rows;
        next.stale = changes->column_int64(0);
        // A post first indexed in this round or a later one is read as it is then.
        const std::int64_t post = changes->column_int64(1);
        if (post <= mark_.post) gone.push_back(post);
      }
    }
    std::sort(gone.begin(), gone.end());
    gone.erase(std::unique(gone.begin(), gone.end()), gone.end());
    auto current = main_->query("SELECT deleted, body FROM posts WHERE id = ?1");
    for (const std::int64_t post : gone) {
      current->bind_int64(1, post);
      if (current->step() && current->column_int64(0) == 0) {
        std::string body = current->column_text(1);
        if (!body.empty()) fresh.push_back({post, std::move(body)});
      }
      current->reset();
    }
    read.commit();
  }
  if (next == mark_) return false;

  Transaction write(*index_, Transaction::Kind::immediate);
  {
    // Another indexer of this file (a test's; a server's second process stops at the writer's
    // lock) went first: start again from where it got to.
    auto marks = index_->query("SELECT through_post_id, through_stale_id FROM search_marks");
    if (!marks->step()) throw StorageError("search_marks has no row");
    const SearchMark stored{marks->column_int64(0), marks->column_int64(1)};
    if (!(stored == mark_)) {
      mark_ = stored;
      progress_.reached(mark_);
      return true;
    }
  }
  {
    auto stage =
        index_->query("INSERT OR REPLACE INTO temp.search_fresh (id, body) VALUES (?1, ?2)");
    for (const Body& body : fresh) {
      stage->bind_int64(1, body.id).bind_text(2, body.text);
      stage->run();
      stage->reset();
    }
  }
  {
    auto stage = index_->query("INSERT OR IGNORE INTO temp.search_gone (id) VALUES (?1)");
    for (const std::int64_t post : gone) {
      stage->bind_int64(1, post);
      stage->run();
      stage->reset();
    }
  }
  // A changed post's old words go first; its current body (if any) is in search_fresh.
  if (!gone.empty()) {
    index_->query("DELETE FROM posts_fts WHERE rowid IN (SELECT id FROM temp.search_gone)")->run();
  }
  if (!fresh.empty()) {
    index_
        ->query(
            "INSERT INTO posts_fts (rowid, body) SELECT id, body FROM temp.search_fresh ORDER BY "
            "id")
        ->run();
  }
  index_->query("DELETE FROM temp.search_fresh")->run();
  index_->query("DELETE FROM temp.search_gone")->run();
  {
    auto marks =
        index_->query("UPDATE search_marks SET through_post_id = ?1, through_stale_id = ?2");
    marks->bind_int64(1, next.post).bind_int64(2, next.stale);
    marks->run();
  }
  write.commit();
  indexed_ += fresh.size();
  mark_ = next;
  progress_.reached(mark_);
  return more;
}

void SearchIndexer::catch_up() {
  while (index_round()) {
  }
}

void SearchIndexer::run() {
  // Acks and deliveries take the core first; the index gets what is left. SCHED_IDLE, not
  // nice 19: a nice-19 thread may finish its time slice before a woken network thread gets
  // the core, and in S4 at 25,000-35,000 posts/s the ack p99 was lower with SCHED_IDLE in 15
  // of 20 alternating runs (8.2-8.9 ms against 11.6-13.5 at 25,000). A steady load that fills
  // the core starves it: searches then wait their bound and the newest posts are found later.
  sched_param idle{};
  if (pthread_setschedparam(pthread_self(), SCHED_IDLE, &idle) != 0) {
    setpriority(PRIO_PROCESS, static_cast<id_t>(gettid()), 19);
  }
  pthread_setname_np(pthread_self(), "search-index");  // as `top -H` and /proc show it
  const auto started = std::chrono::steady_clock::now();
  bool building = fresh_;
  while (progress_.wait_for_work(kGather, kIdle)) {
    try {
      while (index_round() && !progress_.stopping()) {
      }
      if (building && !progress_.stopping()) {
        building = false;
        if (hooks_.on_built) hooks_.on_built(indexed_, std::chrono::steady_clock::now() - started);
      }
    } catch (const std::exception& error) {
      if (hooks_.on_failure) hooks_.on_failure(std::string("search index: ") + error.what());
      if (!progress_.rest(kIdle)) return;
    }
  }
}

}  // namespace staffroom::storage
