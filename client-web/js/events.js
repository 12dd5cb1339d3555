// Applies server events (post.created, member.joined, member.left, channel.updated) to the store and views.
import { announce } from './status-view.js';

/**
 * Returns onEvent(message). ctx: {store, channelView, setMe(user), applyPost(post) → isNew,
 * applyMembership(channel), renderSidebar(), scheduleRead()}.
 */
export function createEventHandler(ctx) {
  const { store, channelView } = ctx;

  function onPostCreated({ channel_id: channelId, post }) {
    if (!post || !ctx.applyPost(post)) return;
    const channel = store.channels.get(channelId);
    const mine = post.author && store.user && post.author.id === store.user.id;
    const viewing = channelId === store.currentChannelId && document.visibilityState === 'visible';
    if (viewing) ctx.scheduleRead();
    if (mine) return;
    if (!viewing && channel) {
      channel.unread = (channel.unread || 0) + 1;
      ctx.renderSidebar();
    }
    const name = post.author ? post.author.display_name || post.author.handle : 'Someone';
    const where = channel ? ` in #${channel.slug}` : '';
    const excerpt = post.body.length > 100 ? `${post.body.slice(0, 100)}…` : post.body;
    announce(`${post.thread_id == null ? 'New post' : 'New reply'} from ${name}${where}: ${excerpt}`);
  }

  function onMemberJoined({ channel_id: channelId, user, channel }) {
    const me = store.user && user && user.id === store.user.id;
    let current = store.channels.get(channelId);
    if (me && channel) current = store.upsertChannel(channel);
    else if (current && typeof current.member_count === 'number') current.member_count += 1;
    if (!current) return;
    if (me) ctx.applyMembership(current);
    else if (channelId === store.currentChannelId) {
      channelView.setHeader(current);
      announce(`${user.display_name || user.handle} joined #${current.slug}`);
    }
  }

  function onMemberLeft({ channel_id: channelId, user }) {
    const current = store.channels.get(channelId);
    if (!current) return;
    const me = store.user && user && user.id === store.user.id;
    if (typeof current.member_count === 'number') current.member_count = Math.max(0, current.member_count - 1);
    if (me) {
      Object.assign(current, { member: false, role: null, unread: 0 });
      ctx.applyMembership(current);
    } else if (channelId === store.currentChannelId) {
      channelView.setHeader(current);
      announce(`${user.display_name || user.handle} left #${current.slug}`);
    }
  }

  return function onEvent(message) {
    if (message.event === 'hello') {
      if (message.user) ctx.setMe(message.user);
      return;
    }
    // Channel events come in seq order; one seen before (same seq) is not applied twice.
    if (typeof message.channel_id === 'number' && !store.acceptEvent(message.channel_id, message.seq)) return;
    store.noteSeq(message.channel_id, message.seq);
    switch (message.event) {
      case 'post.created': onPostCreated(message); break;
      case 'member.joined': onMemberJoined(message); break;
      case 'member.left': onMemberLeft(message); break;
      case 'channel.updated':
        if (message.channel) {
          const channel = store.upsertChannel(message.channel);
          ctx.renderSidebar();
          if (channel.id === store.currentChannelId) channelView.setHeader(channel);
        }
        break;
      default: break;
    }
  };
}
