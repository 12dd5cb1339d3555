// Wires the client together: session check, sign-in, the socket, hash routing and live events.
import * as api from './api.js';
import { Socket, socketUrl } from './socket.js';
import { Store } from './state.js';
import { showAuth } from './auth-view.js';
import { createSidebar } from './sidebar-view.js';
import { createChannelView } from './channel-view.js';
import { createThreadView } from './thread-view.js';
import { showNotice, renderConnection } from './status-view.js';
import { createEventHandler } from './events.js';

const $ = (id) => document.getElementById(id);
const NARROW = window.matchMedia('(max-width: 700px)');

const store = new Store();
let socket = null;
let channelToken = 0;
let threadToken = 0;
let loadingOlder = false;
let readTimer = null;

const sidebar = createSidebar($('sidebar'), { onCreate: createChannel, onRefresh: loadChannels });
const channelView = createChannelView($('channel'), {
  onOpenThread: (postId) => openThread(postId, { focus: true }),
  onLoadOlder: loadOlder,
  onJoin: joinChannel,
  onLeave: leaveChannel,
  onSend: sendPost,
});
const threadView = createThreadView($('thread'), { onClose: closeThread, onSend: sendReply });
const onEvent = createEventHandler({
  store, channelView, applyPost, applyMembership, renderSidebar, scheduleRead,
  setMe(user) {
    store.user = user;
    $('me').textContent = user.display_name || user.handle;
  },
});

// ---- session ------------------------------------------------------------------------------

async function boot() {
  $('logout').addEventListener('click', logOut);
  $('nav-toggle').addEventListener('click', () => setNavOpen(!$('workspace').classList.contains('nav-open')));
  window.addEventListener('hashchange', route);
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'visible' && store.currentChannelId) markRead(store.currentChannelId);
  });
  let user = null;
  try {
    user = await api.session();
  } catch {
    showAuthScreen('Cannot reach the server right now. Reload the page to try again.');
    return;
  }
  if (user) enterWorkspace(user);
  else showAuthScreen();
}

function showAuthScreen(notice = '') {
  $('topbar').hidden = true;
  $('workspace').hidden = true;
  $('auth').hidden = false;
  document.title = 'Staffroom';
  showAuth($('auth'), { onSignedIn: enterWorkspace, notice });
  const first = $('auth').querySelector('input');
  if (first) first.focus();
}

function enterWorkspace(user) {
  if (socket) socket.stop();
  store.reset();
  store.user = user;
  $('auth').hidden = true;
  $('topbar').hidden = false;
  $('workspace').hidden = false;
  $('me').textContent = user.display_name || user.handle;
  channelView.showWelcome();
  threadView.close();
  setNavOpen(true);
  socket = new Socket(socketUrl(), { stillSignedIn: async () => (await api.session()) !== null });
  socket.on('state', renderConnection);
  socket.on('open', onOpen);
  socket.on('event', onEvent);
  socket.on('signedout', () => leaveWorkspace('You were signed out. Please log in again.'));
  socket.start();
}

function leaveWorkspace(notice) {
  if (socket) socket.stop();
  socket = null;
  store.reset();
  channelView.showWelcome();
  threadView.close();
  $('workspace').classList.remove('thread-open');
  sidebar.render({ joined: [], browse: [] }, null);
  if (location.hash) history.replaceState(null, '', location.pathname + location.search);
  showAuthScreen(notice);
}

async function logOut() {
  if (socket) socket.stop();
  try {
    await api.logout();
  } catch (error) {
    if (error.status !== 401) {
      showNotice(`Could not log out: ${error.message}`);
      if (socket) socket.start();
      return;
    }
  }
  leaveWorkspace('You have logged out.');
}

async function onOpen({ reconnected }) {
  try {
    await loadChannels();
  } catch (error) {
    showNotice(`Could not load channels: ${error.message}`);
    return;
  }
  if (!reconnected) {
    route();
    return;
  }
  // Events missed while disconnected are not replayed yet: reload what is on screen.
  store.clearPosts();
  const current = store.currentChannel;
  const threadId = threadView.rootId;
  if (current) await openChannel(current, { reload: true });
  else route();
  if (threadId && store.currentChannelId) openThread(threadId, { focus: false });
}

// ---- channels -----------------------------------------------------------------------------

async function loadChannels() {
  const result = await socket.request('channel.list');
  store.setChannels(result.channels || []);
  renderSidebar();
  const current = store.currentChannel;
  if (current) channelView.setHeader(current);
}

function renderSidebar() {
  sidebar.render(store.sidebarChannels(), store.currentChannelId);
}

function setNavOpen(open) {
  $('workspace').classList.toggle('nav-open', open);
  $('nav-toggle').setAttribute('aria-expanded', String(open));
}

/** Opens the channel named by the URL hash (#/c/slug), or the welcome text. */
function route() {
  if (!socket || !store.user) return;
  const match = /^#\/c\/([^/]+)$/.exec(location.hash);
  const slug = match ? decodeURIComponent(match[1]) : null;
  const channel = slug ? store.channelBySlug(slug) : null;
  if (!channel) {
    if (slug && store.channels.size) showNotice(`There is no channel “${slug}” you can see.`);
    store.currentChannelId = null;
    closeThread();
    channelView.showWelcome();
    renderSidebar();
    setNavOpen(true);
    document.title = 'Staffroom';
    return;
  }
  openChannel(channel);
}

async function openChannel(channel, { reload = false } = {}) {
  const switching = store.currentChannelId !== channel.id;
  store.currentChannelId = channel.id;
  if (switching && store.threadChannelId !== channel.id) closeThread();
  if (switching && !channel.member) store.posts.delete(channel.id);   // no live events: never stale
  channelView.show(channel);
  renderSidebar();
  setNavOpen(false);
  document.title = `#${channel.slug} · Staffroom`;
  if (!switching && !reload) return;
  const token = ++channelToken;
  try {
    const result = await socket.request('post.history', { channel_id: channel.id, limit: 50 });
    if (token !== channelToken) return;
    for (const post of result.posts || []) store.putPost(post, { counted: true });
    store.hasMore.set(channel.id, Boolean(result.has_more));
    channelView.setPosts(store.rootPosts(channel.id), Boolean(result.has_more));
    channelView.setOpenThread(store.threadRootId);
    markRead(channel.id);
  } catch (error) {
    if (token === channelToken) channelView.showError(`Could not load posts: ${error.message}`);
  }
}

async function loadOlder() {
  const channelId = store.currentChannelId;
  if (!channelId || loadingOlder || !store.hasMore.get(channelId)) return;
  loadingOlder = true;
  channelView.setLoadingOlder(true);
  try {
    const added = [];
    let hasMore = true;
    // A page may hold only replies; keep going (a few pages at most) until a root post shows.
    for (let page = 0; page < 5 && hasMore && added.length === 0; page += 1) {
      const result = await socket.request('post.history', { channel_id: channelId, before_seq: store.oldestSeq(channelId), limit: 50 });
      if (store.currentChannelId !== channelId) return;
      for (const post of result.posts || []) {
        const { isNew } = store.putPost(post, { counted: true });
        if (isNew && post.thread_id == null) added.push(post);
      }
      hasMore = Boolean(result.has_more) && (result.posts || []).length > 0;
    }
    store.hasMore.set(channelId, hasMore);
    added.sort((a, b) => a.seq - b.seq);
    channelView.prependPosts(added, hasMore);
  } catch (error) {
    showNotice(`Could not load older posts: ${error.message}`);
  } finally {
    loadingOlder = false;
    channelView.setLoadingOlder(false);
  }
}

async function createChannel(fields) {
  const result = await socket.request('channel.create', fields);
  const channel = store.upsertChannel(result.channel);
  openChannel(channel);   // builds the composer synchronously; the hashchange then finds it open
  location.hash = `#/c/${encodeURIComponent(channel.slug)}`;
  channelView.focusComposer();
}

async function joinChannel() {
  const channel = store.currentChannel;
  if (!channel) return;
  try {
    const result = await socket.request('channel.join', { channel_id: channel.id });
    const joined = store.upsertChannel(result.channel);
    renderSidebar();
    await openChannel(joined, { reload: true });
    channelView.focusComposer();
  } catch (error) {
    showNotice(`Could not join #${channel.slug}: ${error.message}`);
  }
}

async function leaveChannel() {
  const channel = store.currentChannel;
  if (!channel) return;
  try {
    const result = await socket.request('channel.leave', { channel_id: channel.id });
    applyMembership(store.upsertChannel(result.channel));
  } catch (error) {
    showNotice(`Could not leave #${channel.slug}: ${error.message}`);
  }
}

/** Redraws what depends on whether the user is a member of `channel`. */
function applyMembership(channel) {
  renderSidebar();
  if (channel.id !== store.currentChannelId) return;
  channelView.setHeader(channel);
  if (store.threadChannelId === channel.id && threadView.rootId) openThread(threadView.rootId, { focus: false });
}

function scheduleRead() {
  clearTimeout(readTimer);
  readTimer = setTimeout(() => { if (store.currentChannelId) markRead(store.currentChannelId); }, 250);
}

/** Moves the read marker to the newest seq of the channel being viewed. */
async function markRead(channelId) {
  const channel = store.channels.get(channelId);
  if (!channel || !channel.member || !socket || document.visibilityState !== 'visible') return;
  const seq = Math.max(channel.last_seq || 0, store.newestPostSeq(channelId));
  const hadUnread = channel.unread > 0;
  channel.unread = 0;
  if (hadUnread) renderSidebar();
  if (!seq || (channel.readSeq || 0) >= seq) return;
  channel.readSeq = seq;
  try {
    await socket.request('channel.read', { channel_id: channelId, seq });
  } catch {
    channel.readSeq = 0;   // try again next time
  }
}

// ---- posts and threads ----------------------------------------------------------------------

async function sendPost(body, clientId) {
  const channelId = store.currentChannelId;
  const result = await socket.request('post.create', { channel_id: channelId, body, client_id: clientId }, { resend: true });
  applyPost(result.post, { mine: true });
}

async function sendReply(body, clientId) {
  const rootId = threadView.rootId;
  const channelId = store.threadChannelId;
  const result = await socket.request('post.create', { channel_id: channelId, thread_id: rootId, body, client_id: clientId }, { resend: true });
  applyPost(result.post, { mine: true });
}

/** Shows a post that is new to this client (from a reply or an event); false if already known. */
function applyPost(post, { mine = false } = {}) {
  store.noteSeq(post.channel_id, post.seq);
  const { isNew, post: stored, root } = store.putPost(post);
  if (!isNew) return false;
  if (post.thread_id == null) {
    if (post.channel_id === store.currentChannelId) channelView.appendPost(stored, { follow: mine });
  } else {
    if (root) {
      channelView.updatePost(root);
      threadView.updateRoot(root);
    }
    if (threadView.rootId === post.thread_id) threadView.appendReply(stored);
  }
  return true;
}

async function openThread(postId, { focus = false } = {}) {
  const token = ++threadToken;
  try {
    const result = await socket.request('thread.get', { post_id: postId });
    if (token !== threadToken) return;
    const root = store.putPost(result.root, { counted: true }).post;
    for (const reply of result.replies || []) store.putPost(reply, { counted: true });
    // Replies that arrived as events while thread.get was on its way are in the store too.
    const replies = [...store.postsOf(root.channel_id).values()]
      .filter((p) => p.thread_id === root.id)
      .sort((a, b) => a.seq - b.seq);
    root.reply_count = Math.max(root.reply_count || 0, replies.length);
    const channel = store.channels.get(root.channel_id);
    store.threadRootId = root.id;
    store.threadChannelId = root.channel_id;
    threadView.open(root, replies, { canPost: Boolean(channel && channel.member), channelSlug: channel ? channel.slug : '', focus });
    channelView.updatePost(root);
    channelView.setOpenThread(root.id);
    $('workspace').classList.add('thread-open');
    if (NARROW.matches && focus) $('thread').scrollIntoView({ block: 'start' });
  } catch (error) {
    if (token === threadToken) showNotice(`Could not open the thread: ${error.message}`);
  }
}

function closeThread() {
  threadToken += 1;
  store.threadRootId = null;
  store.threadChannelId = null;
  threadView.close();
  channelView.setOpenThread(null);
  $('workspace').classList.remove('thread-open');
}

boot();
