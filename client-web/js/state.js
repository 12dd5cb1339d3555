// The client's model: the signed-in user, the channels, and the posts loaded per channel.

/** Holds what the views show; the views and app.js read it, only app.js changes it. */
export class Store {
  constructor() {
    this.reset();
  }

  reset() {
    this.user = null;
    this.channelsLoaded = false;
    this.channels = new Map();      // channel id -> channel
    this.posts = new Map();         // channel id -> Map(post id -> post)
    this.hasMore = new Map();       // channel id -> older posts exist
    this.eventSeq = new Map();      // channel id -> seq of the last event applied
    this.members = new Map();       // channel id -> [{user, role}] (channel.members, cached)
    this.people = new Map();        // handle -> author seen in a post (mention fallback)
    this.firstUnread = new Map();   // channel id -> seq of the first unread post when opened
    this.currentChannelId = null;
    this.threadRootId = null;
    this.threadChannelId = null;
  }

  setChannels(list) {
    this.channelsLoaded = true;
    const next = new Map();
    for (const channel of list) next.set(channel.id, { ...this.channels.get(channel.id), ...channel });
    this.channels = next;
  }

  /** Adds or refreshes a channel with the fields the server sent. */
  upsertChannel(channel) {
    const merged = { ...this.channels.get(channel.id), ...channel };
    this.channels.set(channel.id, merged);
    return merged;
  }

  channelBySlug(slug) {
    for (const channel of this.channels.values()) if (channel.slug === slug) return channel;
    return null;
  }

  get currentChannel() {
    return this.channels.get(this.currentChannelId) || null;
  }

  /** Joined channels first (by slug), then public channels one may join. */
  sidebarChannels() {
    const all = [...this.channels.values()].sort((a, b) => a.slug.localeCompare(b.slug));
    return {
      joined: all.filter((c) => c.member),
      browse: all.filter((c) => !c.member && c.visibility === 'public'),
    };
  }

  /** Raises a channel's last_seq to `seq`; it is what channel.read marks as read. */
  noteSeq(channelId, seq) {
    const channel = this.channels.get(channelId);
    if (channel && typeof seq === 'number' && seq > (channel.last_seq || 0)) channel.last_seq = seq;
  }

  /** True the first time an event's seq is seen for its channel (events arrive in seq order). */
  acceptEvent(channelId, seq) {
    if (typeof seq !== 'number') return true;
    const last = this.eventSeq.get(channelId) || 0;
    if (seq <= last) return false;
    this.eventSeq.set(channelId, seq);
    return true;
  }

  postsOf(channelId) {
    if (!this.posts.has(channelId)) this.posts.set(channelId, new Map());
    return this.posts.get(channelId);
  }

  isLoaded(channelId) {
    return this.posts.has(channelId);
  }

  /** Forgets every loaded post (after a reconnect the open channel is reloaded). */
  clearPosts() {
    this.posts.clear();
    this.hasMore.clear();
  }

  /**
   * Adds or refreshes a post. `counted`: the root's reply_count already includes this reply
   * (it came from history or thread.get); otherwise a reply seen for the first time bumps it.
   * Returns {isNew, post, root} where root is the reply's root post when it is loaded.
   */
  putPost(post, { counted = false } = {}) {
    const posts = this.postsOf(post.channel_id);
    const old = posts.get(post.id);
    const root = post.thread_id != null ? posts.get(post.thread_id) || null : null;
    if (old) {
      // The same post can come back from the reply and the event; never lose a live bump.
      const merged = { ...old, ...post, reply_count: Math.max(old.reply_count || 0, post.reply_count || 0) };
      posts.set(post.id, merged);
      return { isNew: false, post: merged, root };
    }
    posts.set(post.id, post);
    if (post.author && post.author.handle) this.people.set(post.author.handle, post.author);
    if (root && !counted) root.reply_count = (root.reply_count || 0) + 1;
    return { isNew: true, post, root };
  }

  findPost(postId) {
    for (const posts of this.posts.values()) if (posts.has(postId)) return posts.get(postId);
    return null;
  }

  /** Replies of a root post that are loaded, oldest first. */
  repliesOf(channelId, rootId) {
    return [...this.postsOf(channelId).values()].filter((p) => p.thread_id === rootId).sort((a, b) => a.seq - b.seq);
  }

  /**
   * The seq of the first unread post: walks back over the loaded posts by others until
   * `unread` of them are counted (the server counts others' undeleted posts and replies).
   */
  computeFirstUnread(channelId, unread) {
    if (!unread) return null;
    const mine = this.user ? this.user.id : null;
    const posts = [...this.postsOf(channelId).values()].sort((a, b) => b.seq - a.seq);
    let counted = 0;
    for (const post of posts) {
      if (post.deleted || (post.author && post.author.id === mine)) continue;
      counted += 1;
      if (counted >= unread) return post.seq;
    }
    return posts.length ? -1 : null;   // -1: older than what is loaded
  }

  /** Root posts of a channel, oldest first. */
  rootPosts(channelId) {
    return [...this.postsOf(channelId).values()].filter((p) => p.thread_id == null).sort((a, b) => a.seq - b.seq);
  }

  /** The smallest seq loaded for a channel, the cursor for "load older". */
  oldestSeq(channelId) {
    let oldest = Infinity;
    for (const post of this.postsOf(channelId).values()) oldest = Math.min(oldest, post.seq);
    return oldest === Infinity ? null : oldest;
  }

  newestPostSeq(channelId) {
    let newest = 0;
    for (const post of this.postsOf(channelId).values()) newest = Math.max(newest, post.seq);
    return newest;
  }
}
