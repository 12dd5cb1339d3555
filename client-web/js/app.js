// Wires the client together: session check, sign-in, the socket and catch-up, hash routing, top bar and shortcuts.
import * as api from './api.js';
import { Socket, socketUrl } from './socket.js';
import { Store } from './state.js';
import { ctx, $, NARROW } from './context.js';
import { showAuth } from './auth-view.js';
import { createSidebar } from './sidebar-view.js';
import { createChannelView } from './channel-view.js';
import { createThreadView } from './thread-view.js';
import { createSidePanel } from './side-panel.js';
import { openMembers } from './members-view.js';
import { setPostActions } from './post-view.js';
import { closePicker } from './reaction-picker.js';
import { installShortcuts, showShortcuts } from './shortcuts.js';
import { showNotice, renderConnection, renderQueue } from './status-view.js';
import { createEventHandler } from './events.js';
import * as channels from './channels.js';
import * as posts from './posts.js';

ctx.store = new Store();
ctx.sidebar = createSidebar($('sidebar'), { onCreate: channels.createChannel, onRefresh: channels.loadChannels });
ctx.channelView = createChannelView($('channel'), {
  onLoadOlder: channels.loadOlder,
  onJoin: channels.joinChannel,
  onLeave: channels.leaveChannel,
  onMembers: showMembers,
  onSend: posts.sendPost,
  onJumpUnread: channels.jumpToUnread,
  mentionCandidates: (prefix) => posts.mentionCandidates(prefix),
  onEditLast: posts.editLast,
});
ctx.threadView = createThreadView($('thread'), {
  onClose: posts.closeThread,
  onSend: posts.sendReply,
  mentionCandidates: (prefix) => posts.mentionCandidates(prefix, ctx.store.threadChannelId),
});
ctx.sidePanel = createSidePanel($('side'), {
  search: async (q, channelId) => (await ctx.socket.request('search', channelId ? { q, channel_id: channelId, limit: 50 } : { q, limit: 50 })).hits || [],
  mentions: async () => (await ctx.socket.request('mention.list', { limit: 30 })).mentions || [],
  jump: (post) => {
    if (NARROW.matches) ctx.sidePanel.close();
    posts.jumpToPost(post);
  },
  channelName: (id) => (ctx.store.channels.get(id) || { slug: '?' }).slug,
  currentChannel: () => ctx.store.currentChannel,
  onClose: () => $('search-input').focus(),
});
posts.installPostActions(setPostActions);
const onEvent = createEventHandler({ setMe });

function setMe(user) {
  ctx.store.user = { ...ctx.store.user, ...user };
  $('me').textContent = user.display_name || user.handle;
}

// ---- session ------------------------------------------------------------------------------

async function boot() {
  $('logout').addEventListener('click', logOut);
  $('nav-toggle').addEventListener('click', () => channels.setNavOpen(!$('workspace').classList.contains('nav-open')));
  $('search-form').addEventListener('submit', (event) => {
    event.preventDefault();
    const q = $('search-input').value.trim();
    if (!q) return;
    posts.closeThread();
    ctx.sidePanel.showSearch(q);
  });
  $('mentions-button').addEventListener('click', () => { posts.closeThread(); ctx.sidePanel.showMentions(); ctx.sidePanel.focus(); });
  $('shortcuts-button').addEventListener('click', showShortcuts);
  // The skip link must not change the hash (the hash is the route): move focus instead.
  document.querySelector('.skip-link').addEventListener('click', (event) => {
    event.preventDefault();
    const box = document.querySelector('#channel .composer-input');
    if (box && box.offsetParent) box.focus(); else $('channel').focus();
  });
  // Posts still waiting for the connection would be lost with the page: ask first.
  window.addEventListener('beforeunload', (event) => {
    if (ctx.socket && ctx.socket.waiting.length) { event.preventDefault(); event.returnValue = ''; }
  });
  window.addEventListener('hashchange', channels.route);
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState !== 'visible') return;
    if (ctx.store.currentChannelId) channels.markRead(ctx.store.currentChannelId);
    if (ctx.socket && ctx.socket.state !== 'connected' && !ctx.socket.ws) ctx.socket.connectNow();   // a laptop waking up
  });
  installShortcuts({
    search: () => $('search-input').focus(),
    step: stepChannel,
    escape() {
      closePicker();
      if (ctx.sidePanel.isOpen) { ctx.sidePanel.close(); return true; }
      if (posts.closeThread()) { ctx.channelView.focusComposer(); return true; }
      return false;
    },
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
  if (ctx.socket) ctx.socket.stop();
  ctx.store.reset();
  ctx.store.user = user;
  $('auth').hidden = true;
  $('topbar').hidden = false;
  $('workspace').hidden = false;
  $('me').textContent = user.display_name || user.handle;
  ctx.channelView.showWelcome();
  ctx.threadView.close();
  ctx.sidePanel.close();
  channels.setNavOpen(true);
  const socket = new Socket(socketUrl(), {
    stillSignedIn: async () => (await api.session()) !== null,
    onReady: catchUp,
  });
  ctx.socket = socket;
  socket.on('state', renderConnection);
  socket.on('queue', (count) => {
    renderQueue(count);
    for (const node of document.querySelectorAll('.pending-state')) {
      node.textContent = socket.state === 'connected' ? 'Sending…' : 'Waiting for the connection…';
    }
  });
  socket.on('open', onOpen);
  socket.on('event', onEvent);
  socket.on('signedout', () => leaveWorkspace('You were signed out. Please log in again.'));
  socket.start();
}

function leaveWorkspace(notice) {
  if (ctx.socket) ctx.socket.stop();
  // A shared school laptop: the next person must not find this teacher's unsent drafts.
  try {
    for (const key of Object.keys(sessionStorage)) if (key.startsWith('staffroom.draft.')) sessionStorage.removeItem(key);
  } catch { /* storage disabled */ }
  ctx.socket = null;
  ctx.store.reset();
  ctx.channelView.showWelcome();
  posts.closeThread();
  ctx.sidePanel.close();
  ctx.sidebar.render({ joined: [], browse: [] }, null);
  if (location.hash) history.replaceState(null, '', location.pathname + location.search);
  showAuthScreen(notice);
}

async function logOut() {
  const socket = ctx.socket;
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

// ---- connection and catch-up ---------------------------------------------------------------

let resumeResult = [];   // channels to reload after this connection's catch-up, or null: reload all

/** Runs on each open before queued posts go out: replays missed events (session.resume). */
async function catchUp({ reconnected }) {
  resumeResult = reconnected ? await channels.resume() : [];
}

async function onOpen({ reconnected }) {
  try {
    await channels.loadChannels();
  } catch (error) {
    showNotice(`Could not load channels: ${error.message}`);
    return;
  }
  if (!reconnected) {
    channels.route();
    return;
  }
  const current = ctx.store.currentChannel;
  const reset = resumeResult;
  if (reset !== null && !(current && reset.includes(current.id))) {
    for (const id of reset) ctx.store.posts.delete(id);
    return;   // the replay brought this page up to date
  }
  // No replay (an older server) or too much missed: reload what is on screen.
  ctx.store.clearPosts();
  const threadId = ctx.threadView.rootId;
  if (current) await channels.openChannel(current, { reload: true });
  else channels.route();
  if (threadId && ctx.store.currentChannelId) posts.openThread(threadId, { focus: false });
}

// ---- channels ------------------------------------------------------------------------------

function stepChannel(delta) {
  const joined = ctx.store.sidebarChannels().joined;
  if (!joined.length) return;
  const index = joined.findIndex((c) => c.id === ctx.store.currentChannelId);
  const next = joined[(index + delta + joined.length) % joined.length];
  location.hash = `#/c/${encodeURIComponent(next.slug)}`;
}

function showMembers() {
  const channel = ctx.store.currentChannel;
  if (!channel) return;
  openMembers(channel, {
    request: (op, fields) => ctx.socket.request(op, fields),
    me: ctx.store.user,
    isAdmin: ctx.store.user && ctx.store.user.role === 'admin',
    onChanged: () => ctx.store.members.delete(channel.id),
  });
}

boot();
