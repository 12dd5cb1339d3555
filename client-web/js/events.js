// Applies server events (posts, edits, deletions, reactions, members, channels, mentions) to the store and views.
import { ctx } from './context.js';
import { announce, showToast } from './status-view.js';
import { applyPost, applyChange, closeThread, jumpToPost } from './posts.js';
import { renderSidebar, scheduleRead, applyMembership, route } from './channels.js';

const nameOf = (user) => (user ? user.display_name || user.handle : 'Someone');
const isMe = (user) => Boolean(ctx.store.user && user && user.id === ctx.store.user.id);
const viewing = (channelId) => channelId === ctx.store.currentChannelId && document.visibilityState === 'visible';

function excerpt(text) {
  const flat = String(text || '').replace(/\s+/g, ' ').trim();
  return flat.length > 100 ? `${flat.slice(0, 100)}…` : flat;
}

function onPostCreated({ channel_id: channelId, post }) {
  if (!post || !applyPost(post)) return;
  const channel = ctx.store.channels.get(channelId);
  if (viewing(channelId)) scheduleRead();
  if (isMe(post.author)) return;
  if (!viewing(channelId) && channel) {
    channel.unread = (channel.unread || 0) + 1;
    renderSidebar();
  }
  const where = channel ? ` in #${channel.slug}` : '';
  announce(`${post.thread_id == null ? 'New post' : 'New reply'} from ${nameOf(post.author)}${where}: ${excerpt(post.body)}`);
}

function onMention({ channel_id: channelId, post }) {
  const channel = ctx.store.channels.get(channelId);
  if (!channel || !post) return;
  if (!viewing(channelId)) {
    channel.mentions = (channel.mentions || 0) + 1;
    renderSidebar();
  }
  const text = `${nameOf(post.author)} mentioned you in #${channel.slug}: ${excerpt(post.body)}`;
  showToast(text, { label: 'View', run: () => jumpToPost(post) });   // the toast region is a polite live region
}

function onMemberJoined({ channel_id: channelId, user, channel, invited_by: invitedBy }) {
  const { store, channelView } = ctx;
  store.members.delete(channelId);
  let current = store.channels.get(channelId);
  if (isMe(user) && channel) current = store.upsertChannel(channel);
  else if (current && typeof current.member_count === 'number') current.member_count += 1;
  if (!current) return;
  if (isMe(user)) {
    applyMembership(current);
    if (invitedBy != null && invitedBy !== user.id) {
      showToast(`${current.visibility === 'private' ? 'You were added to the private channel' : 'You were added to'} #${current.slug}.`,
        { label: 'Open', run: () => { location.hash = `#/c/${encodeURIComponent(current.slug)}`; } });
    }
  } else if (channelId === store.currentChannelId) {
    channelView.setHeader(current);
    announce(`${nameOf(user)} joined #${current.slug}`);
  }
}

function onMemberLeft({ channel_id: channelId, user, removed_by: removedBy }) {
  const { store, channelView } = ctx;
  store.members.delete(channelId);
  const current = store.channels.get(channelId);
  if (!current) return;
  if (typeof current.member_count === 'number') current.member_count = Math.max(0, current.member_count - 1);
  if (!isMe(user)) {
    if (channelId === store.currentChannelId) {
      channelView.setHeader(current);
      announce(`${nameOf(user)} left #${current.slug}`);
    }
    return;
  }
  Object.assign(current, { member: false, role: null, unread: 0, mentions: 0 });
  if (current.visibility === 'private') {
    store.channels.delete(channelId);
    store.posts.delete(channelId);
    if (store.threadChannelId === channelId) closeThread();
    if (channelId === store.currentChannelId) { history.replaceState(null, '', location.pathname); route(); }
    renderSidebar();
  } else {
    applyMembership(current);
  }
  if (removedBy != null && removedBy !== user.id) showToast(`You were removed from #${current.slug}.`);
}

function onMemberUpdated({ channel_id: channelId, user, role }) {
  ctx.store.members.delete(channelId);
  const channel = ctx.store.channels.get(channelId);
  if (channel && isMe(user)) {
    channel.role = role;
    applyMembership(channel);
  }
}

function onChannelUpdated({ channel }) {
  if (!channel) return;
  const { store } = ctx;
  const known = store.channels.get(channel.id);
  // The event's channel is seen by nobody in particular: keep this user's own fields.
  const { member, role, unread, mentions, ...shared } = channel;
  const merged = store.upsertChannel(known ? shared : channel);
  if (merged.archived && merged.id !== store.currentChannelId && !merged.member) store.channels.delete(merged.id);
  renderSidebar();
  if (merged.id === store.currentChannelId) ctx.channelView.setHeader(merged);
}

/** Returns onEvent(message) for the socket. setMe(user) refreshes the signed-in user. */
export function createEventHandler({ setMe }) {
  return function onEvent(message) {
    const { store } = ctx;
    if (message.event === 'hello') {
      if (message.user) setMe(message.user);
      return;
    }
    if (message.event === 'mention') { onMention(message); return; }
    // Channel events come in seq order; one seen before (same seq) is not applied twice.
    if (typeof message.channel_id === 'number' && !store.acceptEvent(message.channel_id, message.seq)) return;
    store.noteSeq(message.channel_id, message.seq);
    switch (message.event) {
      case 'post.created': onPostCreated(message); break;
      case 'post.edited':
      case 'post.deleted':
      case 'post.reacted': if (message.post) applyChange(message.post); break;
      case 'member.joined': onMemberJoined(message); break;
      case 'member.left': onMemberLeft(message); break;
      case 'member.updated': onMemberUpdated(message); break;
      case 'channel.updated': onChannelUpdated(message); break;
      default: break;
    }
  };
}
