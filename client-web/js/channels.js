// Channel actions: list, route, open (history, unread divider), infinite scroll, join/leave/create, read markers, resume.
import { ctx, $ } from './context.js';
import { showNotice } from './status-view.js';
import { openThread, closeThread } from './posts.js';

let channelToken = 0;
let loadingOlder = false;
let readTimer = null;

export async function loadChannels() {
  const result = await ctx.socket.request('channel.list');
  ctx.store.setChannels(result.channels || []);
  renderSidebar();
  const current = ctx.store.currentChannel;
  if (current) ctx.channelView.setHeader(current);
}

export function renderSidebar() {
  ctx.sidebar.render(ctx.store.sidebarChannels(), ctx.store.currentChannelId);
  const unread = [...ctx.store.channels.values()].reduce((n, c) => n + (c.member && c.id !== ctx.store.currentChannelId ? c.unread || 0 : 0), 0);
  const current = ctx.store.currentChannel;
  const name = current ? `#${current.slug}` : 'Staffroom';
  document.title = `${unread ? `(${unread}) ` : ''}${name} · Staffroom`;
}

export function setNavOpen(open) {
  $('workspace').classList.toggle('nav-open', open);
  $('nav-toggle').setAttribute('aria-expanded', String(open));
}

/** Opens the channel named by the URL hash (#/c/slug), or the welcome text. */
export function route() {
  if (!ctx.socket || !ctx.store.user) return;
  const match = /^#\/c\/([^/]+)$/.exec(location.hash);
  const slug = match ? decodeURIComponent(match[1]) : null;
  const channel = slug ? ctx.store.channelBySlug(slug) : null;
  if (!channel) {
    if (slug && ctx.store.channelsLoaded) showNotice(`There is no channel “${slug}” you can see.`);
    ctx.store.currentChannelId = null;
    closeThread();
    ctx.channelView.showWelcome();
    renderSidebar();
    setNavOpen(true);
    return;
  }
  openChannel(channel);
}

/** Shows a channel; loads its newest page when switching to it or when `reload`. */
export async function openChannel(channel, { reload = false } = {}) {
  const { store, channelView, socket } = ctx;
  const switching = store.currentChannelId !== channel.id;
  store.currentChannelId = channel.id;
  if (switching && store.threadChannelId !== channel.id) closeThread();
  if ((switching || reload) && !channel.member) store.posts.delete(channel.id);   // no live events: never stale
  const unread = channel.member ? channel.unread || 0 : 0;
  channelView.show(channel);
  renderSidebar();
  setNavOpen(false);
  if (!switching && !reload) return;
  const token = ++channelToken;
  try {
    const result = await socket.request('post.history', { channel_id: channel.id, limit: 50 });
    if (token !== channelToken) return;
    for (const post of result.posts || []) store.putPost(post, { counted: true });
    store.hasMore.set(channel.id, Boolean(result.has_more));
    const firstUnread = reload ? null : store.computeFirstUnread(channel.id, unread);
    store.firstUnread.set(channel.id, { seq: firstUnread, count: unread });
    channelView.setPosts(store.rootPosts(channel.id), Boolean(result.has_more), { firstUnread, unread });
    channelView.setOpenThread(store.threadRootId);
    markRead(channel.id);
  } catch (error) {
    if (token === channelToken) channelView.showError(`Could not load posts: ${error.message}`);
  }
}

/** Loads the page before the oldest loaded post (infinite scroll); resolves to true if it added any. */
export async function loadOlder() {
  const { store, socket, channelView } = ctx;
  const channelId = store.currentChannelId;
  if (!channelId || loadingOlder || !store.hasMore.get(channelId)) return false;
  loadingOlder = true;
  channelView.setLoadingOlder(true);
  try {
    const added = [];
    let hasMore = true;
    // A page may hold only replies; keep going (a few pages at most) until a root post shows.
    for (let page = 0; page < 5 && hasMore && added.length === 0; page += 1) {
      const result = await socket.request('post.history', { channel_id: channelId, before_seq: store.oldestSeq(channelId), limit: 50 });
      if (store.currentChannelId !== channelId) return false;
      for (const post of result.posts || []) {
        const { isNew } = store.putPost(post, { counted: true });
        if (isNew && post.thread_id == null) added.push(post);
      }
      hasMore = Boolean(result.has_more) && (result.posts || []).length > 0;
    }
    store.hasMore.set(channelId, hasMore);
    added.sort((a, b) => a.seq - b.seq);
    channelView.prependPosts(added, hasMore);
    return added.length > 0 || hasMore;
  } catch (error) {
    showNotice(`Could not load older posts: ${error.message}`);
    return false;
  } finally {
    loadingOlder = false;
    channelView.setLoadingOlder(false);
  }
}

/** Loads older pages until `found()` is true or history ends (at most `pages` pages). */
export async function loadUntil(found, pages = 20) {
  for (let i = 0; i < pages && !found(); i += 1) {
    if (!ctx.store.hasMore.get(ctx.store.currentChannelId)) break;
    if (!(await loadOlder())) break;
  }
  return found();
}

/** "Jump to first unread" when the first unread post is older than the loaded page. */
export async function jumpToUnread() {
  const { store, channelView } = ctx;
  const channelId = store.currentChannelId;
  const info = store.firstUnread.get(channelId);
  if (!info || !info.count) return;
  let seq = null;
  await loadUntil(() => (seq = store.computeFirstUnread(channelId, info.count)) !== -1);
  if (seq == null || seq === -1) return;
  info.seq = seq;
  channelView.placeDivider(seq, info.count);
  const divider = document.querySelector('#channel .unread-divider');
  if (divider) divider.scrollIntoView({ block: 'start' });
}

export async function createChannel(fields) {
  const result = await ctx.socket.request('channel.create', fields);
  const channel = ctx.store.upsertChannel(result.channel);
  openChannel(channel);   // builds the composer synchronously; the hashchange then finds it open
  location.hash = `#/c/${encodeURIComponent(channel.slug)}`;
  ctx.channelView.focusComposer();
}

export async function joinChannel() {
  const channel = ctx.store.currentChannel;
  if (!channel) return;
  try {
    const result = await ctx.socket.request('channel.join', { channel_id: channel.id });
    const joined = ctx.store.upsertChannel(result.channel);
    ctx.store.members.delete(channel.id);
    renderSidebar();
    await openChannel(joined, { reload: true });
    ctx.channelView.focusComposer();
  } catch (error) {
    showNotice(`Could not join #${channel.slug}: ${error.message}`);
  }
}

export async function leaveChannel() {
  const channel = ctx.store.currentChannel;
  if (!channel) return;
  try {
    const result = await ctx.socket.request('channel.leave', { channel_id: channel.id });
    ctx.store.members.delete(channel.id);
    applyMembership(ctx.store.upsertChannel(result.channel));
    if (channel.visibility === 'private') { location.hash = ''; route(); }
  } catch (error) {
    showNotice(`Could not leave #${channel.slug}: ${error.message}`);
  }
}

/** Redraws what depends on whether the user is a member of `channel`. */
export function applyMembership(channel) {
  renderSidebar();
  if (channel.id !== ctx.store.currentChannelId) return;
  ctx.channelView.setHeader(channel);
  if (ctx.store.threadChannelId === channel.id && ctx.threadView.rootId) openThread(ctx.threadView.rootId, { focus: false });
}

export function scheduleRead() {
  clearTimeout(readTimer);
  readTimer = setTimeout(() => { if (ctx.store.currentChannelId) markRead(ctx.store.currentChannelId); }, 250);
}

/** Moves the read marker to the newest seq of the channel being viewed. */
export async function markRead(channelId) {
  const channel = ctx.store.channels.get(channelId);
  if (!channel || !channel.member || !ctx.socket || document.visibilityState !== 'visible') return;
  const seq = Math.max(channel.last_seq || 0, ctx.store.newestPostSeq(channelId));
  const had = channel.unread > 0 || channel.mentions > 0;
  channel.unread = 0;
  channel.mentions = 0;
  if (had) renderSidebar();
  if (!seq || (channel.readSeq || 0) >= seq) return;
  channel.readSeq = seq;
  try {
    await ctx.socket.request('channel.read', { channel_id: channelId, seq });
  } catch {
    channel.readSeq = 0;   // try again next time
  }
}

/**
 * After a reconnect: asks the server to replay what this page missed (session.resume).
 * Returns the channel ids that must be reloaded instead, or null when resume is unavailable.
 */
export async function resume() {
  const channels = [...ctx.store.channels.values()].filter((c) => c.member && c.last_seq)
    .map((c) => ({ channel_id: c.id, seq: Math.max(c.last_seq, ctx.store.eventSeq.get(c.id) || 0) }));
  if (!channels.length) return [];
  try {
    const result = await ctx.socket.request('session.resume', { channels: channels.slice(0, 500) });
    return result.reset || [];
  } catch {
    return null;
  }
}
