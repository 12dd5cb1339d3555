// Post actions: send (with pending copies), apply, edit, delete, react, threads, jumping to a post, mention candidates.
import { ctx, $, NARROW } from './context.js';
import { el } from './util.js';
import { showNotice } from './status-view.js';
import { editInPlace } from './post-editor.js';
import { confirmAction } from './confirm-dialog.js';
import { openPicker } from './reaction-picker.js';
import { showVersions } from './versions-view.js';
import { renderSidebar, openChannel, loadUntil } from './channels.js';

let threadToken = 0;
let rateGate = Promise.resolve();

/** A greyed copy of a post that is not on the server yet. */
function pendingNode(body) {
  const me = ctx.store.user;
  return el('article', { class: 'post post-pending', 'aria-label': 'Your post, not sent yet' },
    el('div', { class: 'avatar avatar-pending', 'aria-hidden': 'true', text: '…' }),
    el('div', { class: 'post-main' },
      el('header', { class: 'post-meta' },
        el('span', { class: 'post-author', text: me ? me.display_name || me.handle : 'You' }),
        el('span', { class: 'pending-state', text: ctx.socket && ctx.socket.state === 'connected' ? 'Sending…' : 'Waiting for the connection…' })),
      el('div', { class: 'post-body pending-body', text: body })));
}

/** Sends a post or reply with its client_id (resent after a reconnect, never posted twice). */
async function send(view, fields, body, clientId) {
  view.addPending(clientId, pendingNode(body));
  try {
    for (let attempt = 0; ; attempt += 1) {
      await rateGate;   // while the server says "too fast", later posts queue behind earlier ones
      try {
        const result = await ctx.socket.request('post.create', { ...fields, body, client_id: clientId }, { resend: true });
        applyPost(result.post, { mine: true });
        return;
      } catch (error) {
        // Posting too fast: wait as told and send the same post again (same client_id), a few times.
        if (error.code !== 'rate_limited' || attempt >= 4) throw error;
        rateGate = new Promise((resolve) => setTimeout(resolve, Math.min(error.retryAfter || 1, 10) * 1000));
      }
    }
  } finally {
    view.removePending(clientId);
  }
}

export function sendPost(body, clientId) {
  return send(ctx.channelView, { channel_id: ctx.store.currentChannelId }, body, clientId);
}

export function sendReply(body, clientId) {
  return send(ctx.threadView, { channel_id: ctx.store.threadChannelId, thread_id: ctx.threadView.rootId }, body, clientId);
}

/** Shows a post that is new to this client (from a reply or an event); false if already known. */
export function applyPost(post, { mine = false } = {}) {
  const { store, channelView, threadView } = ctx;
  store.noteSeq(post.channel_id, post.seq);
  const { isNew, post: stored, root } = store.putPost(post);
  if (!isNew) return false;
  if (post.thread_id == null) {
    if (post.channel_id === store.currentChannelId) channelView.appendPost(stored, { follow: mine });
  } else {
    if (root) {
      channelView.updatePost(root);
      threadView.updatePost(root);
    }
    if (threadView.rootId === post.thread_id) threadView.appendReply(stored);
  }
  return true;
}

/** Applies a changed post (edited, deleted, reacted) to the store and every view showing it. */
export function applyChange(post) {
  const { post: stored } = ctx.store.putPost(post, { counted: true });
  ctx.channelView.updatePost(stored);
  ctx.threadView.updatePost(stored);
}

function canModerate(channelId) {
  const channel = ctx.store.channels.get(channelId);
  return Boolean(channel && (channel.role === 'owner' || channel.role === 'moderator')) || (ctx.store.user && ctx.store.user.role === 'admin');
}

async function react(post, emoji, on) {
  try {
    const result = await ctx.socket.request('post.react', { post_id: post.id, emoji, on });
    if (result.post) applyChange(result.post);
  } catch (error) {
    showNotice(`Could not react: ${error.message}`);
  }
}

function edit(post, article) {
  editInPlace(article, ctx.store.findPost(post.id) || post, {
    async onSave(body) {
      const result = await ctx.socket.request('post.edit', { post_id: post.id, body });
      if (result.post) ctx.store.putPost(result.post, { counted: true });
    },
    onDone() {
      const latest = ctx.store.findPost(post.id) || post;
      applyChange(latest);
    },
  });
}

async function remove(post) {
  const own = ctx.store.user && post.author && post.author.id === ctx.store.user.id;
  const ok = await confirmAction({
    title: 'Delete this post?',
    question: own ? 'Your post will be replaced by “This post was deleted.” for everyone. This cannot be undone.'
      : `The post by ${post.author.display_name || post.author.handle} will be removed for everyone. This cannot be undone.`,
  });
  if (!ok) return;
  try {
    const result = await ctx.socket.request('post.delete', { post_id: post.id });
    if (result.post) applyChange(result.post);
  } catch (error) {
    showNotice(`Could not delete the post: ${error.message}`);
  }
}

/** ↑ in an empty channel composer edits one's newest root post there. */
export function editLast() {
  const { store, channelView } = ctx;
  const me = store.user;
  const mine = store.rootPosts(store.currentChannelId).filter((p) => !p.deleted && p.author && p.author.id === me.id);
  const post = mine[mine.length - 1];
  if (!post) return false;
  const article = document.querySelector(`#channel li[data-post-id="${post.id}"] > .post`);
  if (!article) return false;
  article.scrollIntoView({ block: 'nearest' });
  edit(post, article);
  channelView.setOpenThread(store.threadRootId);
  return true;
}

/** The channel's members whose handle or name starts with `prefix` (falls back to authors seen). */
export async function mentionCandidates(prefix, channelId = ctx.store.currentChannelId) {
  const { store, socket } = ctx;
  if (!store.members.has(channelId)) {
    try {
      const result = await socket.request('channel.members', { channel_id: channelId });
      store.members.set(channelId, (result.members || []).map((m) => m.user));
    } catch {
      store.members.set(channelId, [...store.people.values()]);
    }
  }
  const me = store.user ? store.user.id : null;
  const starts = (text) => String(text || '').toLowerCase().split(/\s+/).some((w) => w.startsWith(prefix));
  return store.members.get(channelId).filter((u) => u.id !== me && (u.handle.startsWith(prefix) || starts(u.display_name)));
}

export function installPostActions(setPostActions) {
  setPostActions({
    me: () => ctx.store.user,
    canModerate,
    openThread: (postId) => openThread(postId, { focus: true }),
    react,
    pickReaction: (post, anchor) => openPicker(anchor, (emoji) => {
      const latest = ctx.store.findPost(post.id) || post;
      const had = (latest.reactions || []).some((r) => r.emoji === emoji && (r.user_ids || []).includes(ctx.store.user.id));
      react(latest, emoji, !had);
    }),
    edit,
    remove,
    versions: (post) => showVersions(ctx.store.findPost(post.id) || post, (op, fields) => ctx.socket.request(op, fields)),
  });
}

export async function openThread(postId, { focus = false, highlight = null } = {}) {
  const { store, socket, threadView, channelView } = ctx;
  const token = ++threadToken;
  try {
    const result = await socket.request('thread.get', { post_id: postId });
    if (token !== threadToken) return;
    const root = store.putPost(result.root, { counted: true }).post;
    for (const reply of result.replies || []) store.putPost(reply, { counted: true });
    // Replies that arrived as events while thread.get was on its way are in the store too.
    const replies = store.repliesOf(root.channel_id, root.id);
    root.reply_count = Math.max(root.reply_count || 0, replies.length);
    const channel = store.channels.get(root.channel_id);
    store.threadRootId = root.id;
    store.threadChannelId = root.channel_id;
    threadView.open(root, replies, { canPost: Boolean(channel && channel.member && !channel.archived), channelSlug: channel ? channel.slug : '', focus });
    channelView.updatePost(root);
    channelView.setOpenThread(root.id);
    $('workspace').classList.add('thread-open');
    ctx.sidePanel.close();
    if (highlight) threadView.highlight(highlight);
    if (NARROW.matches && (focus || highlight)) $('thread').scrollIntoView({ block: 'start' });
  } catch (error) {
    if (token === threadToken) showNotice(`Could not open the thread: ${error.message}`);
  }
}

export function closeThread() {
  threadToken += 1;
  const hadThread = ctx.threadView.rootId;
  ctx.store.threadRootId = null;
  ctx.store.threadChannelId = null;
  ctx.threadView.close();
  ctx.channelView.setOpenThread(null);
  $('workspace').classList.remove('thread-open');
  return hadThread;
}

/** Opens a post's channel, loads back until the post is there, scrolls to it and flashes it. */
export async function jumpToPost(post) {
  const { store, channelView } = ctx;
  const channel = store.channels.get(post.channel_id);
  if (!channel) { showNotice('That post is in a channel you can no longer see.'); return; }
  if (store.currentChannelId !== channel.id) {
    history.replaceState(null, '', `#/c/${encodeURIComponent(channel.slug)}`);
    await openChannel(channel);
  }
  renderSidebar();
  const rootId = post.thread_id == null ? post.id : post.thread_id;
  const rootSeq = post.thread_id == null ? post.seq : (store.findPost(rootId) || { seq: 0 }).seq;
  await loadUntil(() => Boolean(document.querySelector(`#channel li[data-post-id="${rootId}"]`)) || (rootSeq && store.oldestSeq(channel.id) <= rootSeq));
  channelView.highlight(rootId);
  if (post.thread_id != null) await openThread(rootId, { highlight: post.id });
}
