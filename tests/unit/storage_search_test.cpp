// Full-text search: safe query building, escaped snippets, channel limits, edits and deletes.
#include <catch2/catch.hpp>

#include <chrono>
#include <future>
#include <iostream>
#include <random>
#include <string>
#include <vector>

#include "storage/post_search.hpp"
#include "storage/search_indexer.hpp"
#include "storage/search_progress.hpp"
#include "storage/sqlite_reader.hpp"
#include "storage/sqlite_writer.hpp"
#include "storage_fixture.hpp"

using namespace staffroom;
using namespace staffroom::storage;
using namespace staffroom::storage::testing;

namespace {

using Words = std::vector<std::string>;

std::vector<domain::PostId> ids_of(const std::vector<domain::SearchHit>& hits) {
  std::vector<domain::PostId> ids;
  for (const auto& hit : hits) ids.push_back(hit.post.id);
  return ids;
}

// Channels 1 ("a") and 2 ("b") of u1; each body below is one post, in order.
struct Library {
  TempDir dir;
  std::string path = dir.file("db");
  std::vector<domain::PostId> ids;

  explicit Library(const std::vector<std::pair<domain::ChannelId, std::string>>& posts) {
    SqliteWriter writer({path, false, {}});
    commit(writer, user("u1"));
    commit(writer, channel("a", 1));
    commit(writer, channel("b", 1));
    for (const auto& [channel_id, body] : posts) {
      ids.push_back(commit(writer, post(channel_id, 1, body)).id);
    }
    check_search_index(path);  // indexes them all
  }
};

}  // namespace

TEST_CASE("fts_match_query quotes every word on its own", "[storage][search]") {
  struct Case {
    Words words;
    std::string query;
  };
  const std::vector<Case> cases = {
      {{"number", "talks"}, R"("number" "talks")"},
      {{R"(say "hi")"}, R"("say ""hi""")"},
      {{"AND"}, R"("AND")"},
      {{"NEAR(a", "b)"}, R"q("NEAR(a" "b)")q"},
      {{"-x", "*", "("}, R"q("-x" "*" "(")q"},
      {{"", "x", ""}, R"("x")"},
      {{std::string("a\0b", 3)}, R"("ab")"},
      {{}, ""},
      {{""}, ""},
  };
  for (const auto& c : cases) {
    INFO(c.query);
    CHECK(fts_match_query(c.words) == c.query);
  }
}

TEST_CASE("snippet_html escapes everything, then marks the matches", "[storage][search]") {
  const std::string raw =
      std::string("x <b>") + snippet_open + "bold" + snippet_close + "</b> & 'q' \"z\" …";
  CHECK(snippet_html(raw) ==
        "x &lt;b&gt;<mark>bold</mark>&lt;/b&gt; &amp; &#39;q&#39; &quot;z&quot; …");
  CHECK(snippet_html("").empty());
}

TEST_CASE("search finds posts with every word, best first, in the given channels",
          "[storage][search]") {
  Library library({
      {1, "Number talks in grade four"},                        // 0
      {1, "talks talks talks about numbers and number sense"},  // 1
      {1,
       "A very long post about many other things that mentions talks "
       "once among a great many further words of no interest at all"},  // 2
      {2, "Number talks in channel b"},                                 // 3
      {1, "Fractions with paper strips"},                               // 4
  });
  const auto& id = library.ids;
  SqliteReader reader(library.path);
  struct Case {
    const char* name;
    Words words;
    std::vector<domain::ChannelId> channels;
    int limit;
    std::vector<domain::PostId> hits;
  };
  const std::vector<Case> cases = {
      {"every word must match", {"number", "talks"}, {1}, 10, {id[1], id[0]}},
      {"case and order do not matter", {"TALKS", "Number"}, {1}, 10, {id[1], id[0]}},
      {"more matches rank higher", {"talks"}, {1}, 10, {id[1], id[0], id[2]}},
      {"limit", {"talks"}, {1}, 1, {id[1]}},
      {"both channels", {"number", "talks"}, {1, 2}, 10, {id[1], id[0], id[3]}},
      {"only channel 2", {"talks"}, {2}, 10, {id[3]}},
      {"no channels", {"talks"}, {}, 10, {}},
      {"unknown channel", {"talks"}, {9}, 10, {}},
      {"no words", {}, {1, 2}, 10, {}},
      {"empty word", {""}, {1, 2}, 10, {}},
      {"no match", {"geometry"}, {1, 2}, 10, {}},
      {"limit 0", {"talks"}, {1}, 0, {}},
  };
  for (const auto& c : cases) {
    INFO(c.name);
    CHECK(ids_of(reader.search(c.words, c.channels, c.limit)) == c.hits);
  }
  const auto hits = reader.search({"fractions"}, {1, 2}, 10);
  REQUIRE(hits.size() == 1);
  CHECK(hits[0].post.body == "Fractions with paper strips");
  CHECK(hits[0].post.author.handle == "u1");
  CHECK(hits[0].snippet == "<mark>Fractions</mark> with paper strips");
}

TEST_CASE("FTS syntax in the words is plain text and never throws", "[storage][search]") {
  Library library({
      {1, "Number talks AND fractions"},     // 0
      {1, "x-ray results -x"},               // 1
      {1, "NEAR(a b) is FTS syntax"},        // 2
      {1, "Café au lait"},                   // 3
      {1, "数学 class"},                     // 4
      {1, "He said \"hello\" (twice) * 2"},  // 5
  });
  const auto& id = library.ids;
  SqliteReader reader(library.path);
  struct Case {
    const char* name;
    Words words;
    std::vector<domain::PostId> hits;
  };
  const std::vector<Case> cases = {
      {"a lone quote", {"\""}, {}},
      {"a star", {"*"}, {}},
      {"a prefix star is not a prefix query", {"num*"}, {}},
      {"AND is a word", {"AND"}, {id[0]}},
      {"and so is its lowercase", {"and", "fractions"}, {id[0]}},
      {"a leading minus is not NOT", {"-x"}, {id[1]}},
      {"NEAR is a word", {"NEAR(a", "b)"}, {id[2]}},
      {"an open parenthesis", {"("}, {}},
      {"a closing parenthesis", {")"}, {}},
      {"parentheses around a word", {"(twice)"}, {id[5]}},
      {"quotes around a word", {"\"hello\""}, {id[5]}},
      {"diacritics ignored", {"cafe"}, {id[3]}},
      {"diacritics given", {"CAFÉ"}, {id[3]}},
      {"unicode", {"数学"}, {id[4]}},
      {"an emoji", {"🎉"}, {}},
      {"a NUL", {std::string("x\0", 2)}, {id[1]}},
      {"syntax only", {"\"", "*", "(", ")", "-", "AND", "OR", "NOT", ":", "^"}, {}},
      {"a column filter", {"body:talks"}, {}},
  };
  for (const auto& c : cases) {
    INFO(c.name);
    std::vector<domain::SearchHit> hits;
    REQUIRE_NOTHROW(hits = reader.search(c.words, {1}, 10));
    CHECK(ids_of(hits) == c.hits);
  }
}

TEST_CASE("snippets are HTML-escaped with the matches marked", "[storage][search]") {
  Library library({{1, "Use <b>bold</b> & \"quotes\" for 'number' talks"}});
  SqliteReader reader(library.path);
  const auto hits = reader.search({"bold", "number"}, {1}, 10);
  REQUIRE(hits.size() == 1);
  CHECK(hits[0].snippet ==
        "Use &lt;b&gt;<mark>bold</mark>&lt;/b&gt; &amp; &quot;quotes&quot; for "
        "&#39;<mark>number</mark>&#39; talks");
  CHECK(hits[0].post.body == "Use <b>bold</b> & \"quotes\" for 'number' talks");
}

TEST_CASE("a search finds what was committed before it, edits and deletes included",
          "[storage][search]") {
  TempDir dir;
  const std::string path = dir.file("db");
  SqliteWriter writer({path, false, {}});
  commit(writer, user("u1"));
  commit(writer, channel("a", 1));
  // The indexer's thread as the server runs it: it gathers for kGather after a commit, so a
  // search that did not wait for it would run before the post is indexed.
  SearchProgress progress;
  SearchIndexer indexer(path, progress);
  indexer.start();
  const auto id = commit(writer, post(1, 1, "apples and oranges")).id;
  progress.wake();
  SqliteReader reader(path, &progress);
  CHECK(ids_of(reader.search({"apples"}, {1}, 10)) == std::vector<domain::PostId>{id});

  commit(writer, edit(id, "pears and plums"));
  progress.wake();
  CHECK(reader.search({"apples"}, {1}, 10).empty());
  const auto pears = reader.search({"pears"}, {1}, 10);
  REQUIRE(pears.size() == 1);
  CHECK(pears[0].snippet == "<mark>pears</mark> and plums");
  CHECK(pears[0].post.edited_at == 4000);
  check_search_index(path);

  commit(writer, domain::DeletePost{id, 5000});
  progress.wake();
  CHECK(reader.search({"pears"}, {1}, 10).empty());
  CHECK(reader.search({"apples"}, {1}, 10).empty());
  check_search_index(path);
}

TEST_CASE("a search waits for an index a little behind, not for one being rebuilt",
          "[storage][search]") {
  for (const domain::PostId newest : {domain::PostId{3}, PostSearch::kMostBehind + 10}) {
    INFO("the newest post " << newest);
    MigratedFile file(1);
    file.connection.exec(
        "INSERT INTO posts (id, channel_id, seq, author_id, body, html, created_at) "
        "VALUES (" +
        std::to_string(newest) + ", 1, 1, 1, 'waiting words', 'p', 3000)");
    // The index file exists, but no round has run: as far behind as the newest post's id.
    SearchProgress progress;
    SearchIndexer indexer(file.path, progress);
    REQUIRE(progress.indexed().post == 0);
    SqliteReader reader(file.path, &progress);
    const auto before = std::chrono::steady_clock::now();
    CHECK(reader.search({"waiting"}, {1}, 10).empty());
    const auto took = std::chrono::steady_clock::now() - before;
    if (newest <= PostSearch::kMostBehind) {
      CHECK(took >= PostSearch::kMostWait);  // waited for the indexer, which never came
    } else {
      CHECK(took < PostSearch::kMostWait);  // answered from what the index holds
    }
  }
}

TEST_CASE("search over 100k posts", "[.perf]") {
  TempDir dir;
  const std::string path = dir.file("db");
  constexpr int post_count = 100000;
  constexpr int channel_count = 10;
  // A Zipf-like vocabulary: word k of 5,000 is used about 1/k as often as word 1.
  std::vector<std::string> vocabulary;
  for (int k = 0; k < 5000; ++k) vocabulary.push_back("w" + std::to_string(k));
  std::mt19937 random(42);
  std::vector<double> weights;
  for (int k = 1; k <= 5000; ++k) weights.push_back(1.0 / k);
  std::discrete_distribution<int> pick(weights.begin(), weights.end());
  const auto started = std::chrono::steady_clock::now();
  {
    SqliteWriter writer({path, false, {}});
    commit(writer, user("u1"));
    for (int c = 0; c < channel_count; ++c) commit(writer, channel("c" + std::to_string(c), 1));
    std::promise<void> done;
    for (int i = 0; i < post_count; ++i) {
      std::string body;
      for (int w = 0; w < 25; ++w) body += vocabulary[static_cast<std::size_t>(pick(random))] + ' ';
      auto change = post(1 + i % channel_count, 1, body);
      writer.append(std::move(change), [&done, i](domain::Committed committed) {
        if (committed.error) throw std::runtime_error(committed.error->message);
        if (i == post_count - 1) done.set_value();
      });
    }
    done.get_future().wait();
  }
  check_search_index(path);  // indexes them all
  const auto inserted = std::chrono::steady_clock::now();
  std::cout << "inserted " << post_count << " posts in "
            << std::chrono::duration<double>(inserted - started).count() << " s\n";

  SqliteReader reader(path);
  std::vector<domain::ChannelId> all;
  for (int c = 1; c <= channel_count; ++c) all.push_back(c);
  struct Query {
    const char* name;
    Words words;
  };
  for (const Query& q :
       {Query{"common word", {"w0"}}, Query{"mid word", {"w50"}}, Query{"rare word", {"w4999"}},
        Query{"two words", {"w1", "w7"}}, Query{"no match", {"nothing"}}}) {
    reader.search(q.words, all, 20);  // warm the page cache
    constexpr int runs = 5;
    std::size_t hits = 0;
    const auto before = std::chrono::steady_clock::now();
    for (int r = 0; r < runs; ++r) hits = reader.search(q.words, all, 20).size();
    const auto per_query =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - before)
            .count() /
        runs;
    std::cout << q.name << ": " << hits << " hits, " << per_query << " ms per search\n";
    CHECK(per_query < 1000);
  }
}
