// Writes of posts: creation, edits, deletion and reactions.
#pragma once

#include "domain/changes.hpp"

namespace staffroom::storage {

class ClientIdIndex;
class Connection;
class EventLog;
class KnownRows;

/// Applies NewPost, EditPost, DeletePost and ReactToPost. Each takes the post's channel's next
/// seq and logs an event; Committed.post is the post afterwards, with its reactions. The search
/// index follows on its own (SearchIndexer): new posts by id, edits and deletions through the
/// search_stale trigger on posts.body. A retried post (same author and
/// client_id) is found through `client_ids`, which learns each new one. A new post's seq index
/// entry is written after it by ChangeApplier (PostSeqSweep::added), in the same change.
class PostChanges {
 public:
  PostChanges(Connection& connection, KnownRows& known, EventLog& log, ClientIdIndex& client_ids)
      : connection_(connection), known_(known), log_(log), client_ids_(client_ids) {}

  domain::Committed on(const domain::NewPost& change);
  domain::Committed on(const domain::EditPost& change);
  domain::Committed on(const domain::DeletePost& change);
  domain::Committed on(const domain::ReactToPost& change);

 private:
  /// The committed result of a change that took `seq`, with the post as it is now.
  domain::Committed after(domain::PostId post, domain::Seq seq);
  void record_mentions(const domain::NewPost& change, domain::PostId post, domain::Seq seq);

  Connection& connection_;
  KnownRows& known_;
  EventLog& log_;
  ClientIdIndex& client_ids_;
};

}  // namespace staffroom::storage
