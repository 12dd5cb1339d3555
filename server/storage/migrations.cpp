#include "storage/migrations.hpp"

namespace staffroom::storage {

// Migration N (1-based) brings user_version from N-1 to N. Never edit a released step: add one.
// Timestamps are INTEGER milliseconds since the Unix epoch, UTC.
const std::vector<std::string>& migrations() {
  static const std::vector<std::string> steps = {
      // 1: accounts, sessions, channels, memberships, posts and the per-channel event log.
      R"sql(
CREATE TABLE users (
  id INTEGER PRIMARY KEY,
  handle TEXT NOT NULL UNIQUE COLLATE NOCASE,
  display_name TEXT NOT NULL,
  password_hash TEXT NOT NULL,
  admin INTEGER NOT NULL DEFAULT 0 CHECK (admin IN (0, 1)),
  created_at INTEGER NOT NULL
);
CREATE TABLE sessions (
  token_hash TEXT PRIMARY KEY,
  user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  created_at INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX sessions_by_user ON sessions(user_id);
CREATE TABLE channels (
  id INTEGER PRIMARY KEY,
  slug TEXT NOT NULL UNIQUE COLLATE NOCASE,
  title TEXT NOT NULL,
  description TEXT NOT NULL DEFAULT '',
  visibility TEXT NOT NULL CHECK (visibility IN ('public', 'private')),
  created_by INTEGER NOT NULL REFERENCES users(id),
  created_at INTEGER NOT NULL,
  last_seq INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE memberships (
  channel_id INTEGER NOT NULL REFERENCES channels(id),
  user_id INTEGER NOT NULL REFERENCES users(id),
  role TEXT NOT NULL CHECK (role IN ('owner', 'moderator', 'member')),
  read_seq INTEGER NOT NULL DEFAULT 0,
  joined_at INTEGER NOT NULL,
  PRIMARY KEY (channel_id, user_id)
) WITHOUT ROWID;
CREATE INDEX memberships_by_user ON memberships(user_id);
CREATE TABLE posts (
  id INTEGER PRIMARY KEY,
  channel_id INTEGER NOT NULL REFERENCES channels(id),
  seq INTEGER NOT NULL,
  thread_id INTEGER REFERENCES posts(id),
  author_id INTEGER NOT NULL REFERENCES users(id),
  body TEXT NOT NULL,
  html TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  edited_at INTEGER,
  deleted INTEGER NOT NULL DEFAULT 0 CHECK (deleted IN (0, 1)),
  reply_count INTEGER NOT NULL DEFAULT 0,
  client_id TEXT,
  UNIQUE (channel_id, seq)
);
-- A retried post.create finds its first post by (author, client_id).
CREATE UNIQUE INDEX posts_by_client_id ON posts(author_id, client_id) WHERE client_id IS NOT NULL;
CREATE INDEX posts_by_thread ON posts(thread_id, seq) WHERE thread_id IS NOT NULL;
-- Covers the unread count, so counting reads the index only, never the post bodies. `deleted`
-- is a column as well as the filter because SQLite does not count filter columns as covered.
CREATE INDEX posts_unread ON posts(channel_id, seq, author_id, deleted) WHERE deleted = 0;
CREATE TABLE events (
  channel_id INTEGER NOT NULL REFERENCES channels(id),
  seq INTEGER NOT NULL,
  kind TEXT NOT NULL,
  post_id INTEGER REFERENCES posts(id),
  user_id INTEGER REFERENCES users(id),
  at INTEGER NOT NULL,
  PRIMARY KEY (channel_id, seq)
) WITHOUT ROWID;
)sql",
      // 2: archived channels, edit history, reactions, mentions, richer events, full-text search.
      R"sql(
ALTER TABLE channels ADD COLUMN archived INTEGER NOT NULL DEFAULT 0 CHECK (archived IN (0, 1));
CREATE TABLE post_versions (
  id INTEGER PRIMARY KEY,
  post_id INTEGER NOT NULL REFERENCES posts(id),
  body TEXT NOT NULL,
  html TEXT NOT NULL,
  written_at INTEGER NOT NULL,
  replaced_at INTEGER NOT NULL
);
CREATE INDEX post_versions_by_post ON post_versions(post_id, id);
-- Within an emoji, users in the order they reacted: (at, rowid).
CREATE TABLE reactions (
  post_id INTEGER NOT NULL REFERENCES posts(id),
  emoji TEXT NOT NULL,
  user_id INTEGER NOT NULL REFERENCES users(id),
  at INTEGER NOT NULL,
  PRIMARY KEY (post_id, emoji, user_id)
);
-- The order emojis were first used on a post (rowid), kept when their first users leave, so
-- a reaction does not jump about when the person who started it takes theirs back.
CREATE TABLE reaction_emojis (
  post_id INTEGER NOT NULL REFERENCES posts(id),
  emoji TEXT NOT NULL,
  PRIMARY KEY (post_id, emoji)
);
CREATE TABLE mentions (
  id INTEGER PRIMARY KEY,
  user_id INTEGER NOT NULL REFERENCES users(id),
  post_id INTEGER NOT NULL REFERENCES posts(id),
  channel_id INTEGER NOT NULL REFERENCES channels(id),
  seq INTEGER NOT NULL,
  created_at INTEGER NOT NULL
);
CREATE INDEX mentions_by_user ON mentions(user_id, id);
CREATE INDEX mentions_unread ON mentions(channel_id, user_id, seq);
CREATE INDEX mentions_by_post ON mentions(post_id);
ALTER TABLE events ADD COLUMN actor_id INTEGER REFERENCES users(id);
ALTER TABLE events ADD COLUMN role TEXT CHECK (role IN ('owner', 'moderator', 'member'));
ALTER TABLE events ADD COLUMN emoji TEXT;
ALTER TABLE events ADD COLUMN on_flag INTEGER CHECK (on_flag IN (0, 1));
-- External content: the words live in posts.body only. The triggers keep the index a mirror of
-- posts.body (what FTS5's integrity-check and 'rebuild' expect); a deleted post's body is ''
-- so it has no words left to find, and search filters on posts.deleted as well.
CREATE VIRTUAL TABLE posts_fts USING fts5(
  body, content = 'posts', content_rowid = 'id', tokenize = 'unicode61 remove_diacritics 2'
);
CREATE TRIGGER posts_fts_after_insert AFTER INSERT ON posts BEGIN
  INSERT INTO posts_fts (rowid, body) VALUES (new.id, new.body);
END;
CREATE TRIGGER posts_fts_after_update AFTER UPDATE OF body ON posts BEGIN
  INSERT INTO posts_fts (posts_fts, rowid, body) VALUES ('delete', old.id, old.body);
  INSERT INTO posts_fts (rowid, body) VALUES (new.id, new.body);
END;
CREATE TRIGGER posts_fts_after_delete AFTER DELETE ON posts BEGIN
  INSERT INTO posts_fts (posts_fts, rowid, body) VALUES ('delete', old.id, old.body);
END;
INSERT INTO posts_fts (posts_fts) VALUES ('rebuild');
)sql",
      // 3: the writer indexes new posts itself, all of a batch at once (SearchIndexQueue): a
      // trigger indexed each inside its change's savepoint, one FTS5 segment per post.
      R"sql(
DROP TRIGGER posts_fts_after_insert;
)sql",
      // 4: a new post writes two channel- or author-keyed index leaves, not four; those leaves
      // were most of the WAL pages per post. Post creations are logged by posts itself (their
      // seq and created_at), not copied into events; one (channel_id, seq, author_id, deleted)
      // index serves history, catch-up and the unread count instead of UNIQUE (channel_id, seq)
      // beside posts_unread. A seq is unique in its channel because the writer takes each from
      // channels.last_seq in the transaction that uses it. SQLite cannot drop a table
      // constraint, so posts is rebuilt (its ids kept: the search index refers to them).
      R"sql(
DELETE FROM events WHERE kind = 'post.created';
CREATE TABLE posts_rebuilt (
  id INTEGER PRIMARY KEY,
  channel_id INTEGER NOT NULL REFERENCES channels(id),
  seq INTEGER NOT NULL,
  thread_id INTEGER REFERENCES posts(id),
  author_id INTEGER NOT NULL REFERENCES users(id),
  body TEXT NOT NULL,
  html TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  edited_at INTEGER,
  deleted INTEGER NOT NULL DEFAULT 0 CHECK (deleted IN (0, 1)),
  reply_count INTEGER NOT NULL DEFAULT 0,
  client_id TEXT
);
INSERT INTO posts_rebuilt (id, channel_id, seq, thread_id, author_id, body, html, created_at,
                           edited_at, deleted, reply_count, client_id)
  SELECT id, channel_id, seq, thread_id, author_id, body, html, created_at, edited_at, deleted,
         reply_count, client_id FROM posts ORDER BY id;
DROP TABLE posts;
ALTER TABLE posts_rebuilt RENAME TO posts;
CREATE UNIQUE INDEX posts_by_client_id ON posts(author_id, client_id) WHERE client_id IS NOT NULL;
CREATE INDEX posts_by_thread ON posts(thread_id, seq) WHERE thread_id IS NOT NULL;
-- Covers the unread count (posts not deleted, by others, after a seq) without the bodies.
CREATE INDEX posts_by_seq ON posts(channel_id, seq, author_id, deleted);
CREATE TRIGGER posts_fts_after_update AFTER UPDATE OF body ON posts BEGIN
  INSERT INTO posts_fts (posts_fts, rowid, body) VALUES ('delete', old.id, old.body);
  INSERT INTO posts_fts (rowid, body) VALUES (new.id, new.body);
END;
CREATE TRIGGER posts_fts_after_delete AFTER DELETE ON posts BEGIN
  INSERT INTO posts_fts (posts_fts, rowid, body) VALUES ('delete', old.id, old.body);
END;
)sql",
      // 5: the search index's segments are merged a few pages per batch by the writer
      // (SearchIndexQueue::before_commit), not by FTS5's automerge, which merges 64 pages per
      // level each time 64 leaves have been written, inside that one commit: every 1,024
      // batches a commit rewrote hundreds of pages (a 30-60 ms stall, growing with the index).
      // usermerge 8: a level is merged once it holds 8 segments, not 4, so a page is rewritten
      // fewer times; a search reads up to 7 segments a level instead of 3.
      R"sql(
INSERT INTO posts_fts (posts_fts, rank) VALUES ('automerge', 0);
INSERT INTO posts_fts (posts_fts, rank) VALUES ('usermerge', 8);
)sql",
      // 6: a retried post is found by (author, client_id) in memory for posts after the mark,
      // in post_client_ids for the rest (ClientIdIndex): the unique index on posts dirtied a
      // leaf per post in every commit, its keys being scattered over authors and client ids.
      R"sql(
CREATE TABLE post_client_ids (
  author_id INTEGER NOT NULL,
  client_id TEXT NOT NULL,
  post_id INTEGER NOT NULL,
  PRIMARY KEY (author_id, client_id)
) WITHOUT ROWID;
INSERT INTO post_client_ids (author_id, client_id, post_id)
  SELECT author_id, client_id, id FROM posts WHERE client_id IS NOT NULL
  ORDER BY author_id, client_id;
-- Every post with an id up to through_post_id that has a client_id is in post_client_ids.
CREATE TABLE post_client_id_mark (through_post_id INTEGER NOT NULL);
INSERT INTO post_client_id_mark (through_post_id) SELECT coalesce(max(id), 0) FROM posts;
DROP INDEX posts_by_client_id;
)sql",
      // 7: each channel's (seq -> post) index is two tables: post_seqs_recent takes new posts
      // (a trigger, like an index, until step 9) and stays small, and the writer moves its
      // entries a key range per batch into post_seqs (PostSeqSweep). As an index on posts it
      // dirtied one leaf per channel a commit touched, the tail of that channel's run: three
      // quarters of every commit's pages at 25,000 posts/s (50 posts in 45 channels). A small
      // table has few leaves to dirty, and a move writes each channel's tail once for all the
      // entries it gathered. Every entry is in exactly one of the two tables in any committed
      // state; readers ask both. `deleted` and `author_id` are copies the unread count reads.
      R"sql(
CREATE TABLE post_seqs (
  channel_id INTEGER NOT NULL,
  seq INTEGER NOT NULL,
  post_id INTEGER NOT NULL,
  author_id INTEGER NOT NULL,
  deleted INTEGER NOT NULL,
  PRIMARY KEY (channel_id, seq)
) WITHOUT ROWID;
CREATE TABLE post_seqs_recent (
  channel_id INTEGER NOT NULL,
  seq INTEGER NOT NULL,
  post_id INTEGER NOT NULL,
  author_id INTEGER NOT NULL,
  deleted INTEGER NOT NULL,
  PRIMARY KEY (channel_id, seq)
) WITHOUT ROWID;
INSERT INTO post_seqs (channel_id, seq, post_id, author_id, deleted)
  SELECT channel_id, seq, id, author_id, deleted FROM posts ORDER BY channel_id, seq;
DROP INDEX posts_by_seq;
CREATE TRIGGER post_seqs_after_insert AFTER INSERT ON posts BEGIN
  INSERT INTO post_seqs_recent (channel_id, seq, post_id, author_id, deleted)
    VALUES (new.channel_id, new.seq, new.id, new.author_id, new.deleted);
END;
-- Setting a key column would delete and reinsert the entry even when unchanged, so deletion
-- sets `deleted` alone; a post's channel, seq and author never change, and a change that
-- tried would leave its entry behind.
CREATE TRIGGER post_seqs_after_deleted AFTER UPDATE OF deleted ON posts BEGIN
  UPDATE post_seqs SET deleted = new.deleted WHERE channel_id = new.channel_id AND seq = new.seq;
  UPDATE post_seqs_recent SET deleted = new.deleted
    WHERE channel_id = new.channel_id AND seq = new.seq;
END;
CREATE TRIGGER post_seqs_keys_fixed BEFORE UPDATE OF channel_id, seq, author_id ON posts
  WHEN new.channel_id IS NOT old.channel_id OR new.seq IS NOT old.seq
    OR new.author_id IS NOT old.author_id BEGIN
  SELECT RAISE(ABORT, 'a post''s channel, seq and author never change');
END;
CREATE TRIGGER post_seqs_after_delete AFTER DELETE ON posts BEGIN
  DELETE FROM post_seqs WHERE channel_id = old.channel_id AND seq = old.seq;
  DELETE FROM post_seqs_recent WHERE channel_id = old.channel_id AND seq = old.seq;
END;
)sql",
      // 8: posts.html holds 'p' for a post rendered as its body in one paragraph (StoredHtml);
      // rows written before keep their rendering, which reads the same. Nothing to change
      // here: the step is the mark that tells an older server, which would show 'p', that
      // this file is newer than it.
      R"sql(
-- posts.html = 'p': the rendering is '<p>' || body || '</p>' || char(10).
)sql",
      // 9: the writer puts a new post's seq index entry into post_seqs_recent itself
      // (PostSeqSweep::added). As a trigger, it made SQLite open a statement journal for every
      // INSERT into posts, copying the pages the insert touched that its batch had already
      // dirtied: about a fifth of the insert. The other post_seqs triggers stay: deletes and
      // edits are rare. A server older than this step would insert posts without entries, so
      // the step also marks the file as newer than it.
      R"sql(
DROP TRIGGER post_seqs_after_insert;
)sql",
      // 10: the search index moves to a file of its own, kept by a background thread at a low
      // priority (SearchIndexer): indexing in the writer's batch was a seventh of the server's
      // CPU per post, and every ack waited for it. That thread reads new posts by id (ids only
      // grow: posts are never removed) and body changes from search_stale, which a trigger
      // fills on every edit and deletion; database_identity tells it whether its file was
      // built from this database (and not from one restored or copied over it).
      R"sql(
DROP TRIGGER posts_fts_after_update;
DROP TRIGGER posts_fts_after_delete;
DROP TABLE posts_fts;
CREATE TABLE search_stale (id INTEGER PRIMARY KEY, post_id INTEGER NOT NULL);
CREATE TRIGGER search_stale_after_body AFTER UPDATE OF body ON posts
  WHEN new.body IS NOT old.body BEGIN
  INSERT INTO search_stale (post_id) VALUES (new.id);
END;
CREATE TABLE database_identity (id TEXT NOT NULL);
INSERT INTO database_identity (id) VALUES (lower(hex(randomblob(16))));
)sql",
  };
  return steps;
}

}  // namespace staffroom::storage
