// The channel pane: header with join/leave, the root posts with "load older", and the channel composer.
import { el, clear, plural } from './util.js';
import { renderPost, updatePostElement } from './post-view.js';
import { createComposer } from './composer.js';

const NEAR_BOTTOM_PX = 80;
const NEAR_TOP_PX = 40;

/**
 * Renders into `root`. handlers: onOpenThread(postId), onLoadOlder(), onJoin(), onLeave(),
 * onSend(body, clientId) → promise.
 */
export function createChannelView(root, handlers) {
  const title = el('h2', { class: 'channel-title', id: 'channel-title' });
  const description = el('p', { class: 'channel-description' });
  const members = el('span', { class: 'channel-members' });
  const joinButton = el('button', { type: 'button', class: 'button-primary', text: 'Join channel' });
  const leaveButton = el('button', { type: 'button', class: 'button-secondary', text: 'Leave channel' });
  const header = el('header', { class: 'channel-header' },
    el('div', { class: 'channel-heading' }, title, description),
    el('div', { class: 'channel-tools' }, members, joinButton, leaveButton));
  const olderButton = el('button', { type: 'button', class: 'load-older', text: 'Load older posts', hidden: true });
  const status = el('p', { class: 'list-status' });
  const list = el('ol', { class: 'post-list', 'aria-labelledby': 'channel-title' });
  // The inner wrapper sits at the bottom of the scroller while the posts are few, as in a chat.
  const scroller = el('div', { class: 'post-scroller', tabindex: '0', 'aria-label': 'Posts' },
    el('div', { class: 'post-scroller-inner' }, olderButton, status, list));
  const footer = el('div', { class: 'channel-footer' });
  const welcome = el('div', { class: 'welcome' },
    el('h2', { text: 'Welcome to Staffroom' }),
    el('p', { text: 'Pick a channel from the list, browse public channels, or start a new one for your grade, subject or school.' }));
  const pane = el('div', { class: 'channel-body', hidden: true }, header, scroller, footer);
  root.append(welcome, pane);

  let channelId = null;
  let composer = null;
  let shownFooter = '';
  let loadingOlder = false;

  joinButton.addEventListener('click', () => handlers.onJoin());
  leaveButton.addEventListener('click', () => handlers.onLeave());
  olderButton.addEventListener('click', () => handlers.onLoadOlder());
  scroller.addEventListener('scroll', () => {
    if (scroller.scrollTop < NEAR_TOP_PX && !olderButton.hidden && !loadingOlder) handlers.onLoadOlder();
  });

  function nearBottom() {
    return scroller.scrollHeight - scroller.scrollTop - scroller.clientHeight < NEAR_BOTTOM_PX;
  }

  function scrollToBottom() {
    scroller.scrollTop = scroller.scrollHeight;
  }

  function item(post) {
    return el('li', { class: 'post-item', 'data-post-id': post.id }, renderPost(post, { onOpenThread: handlers.onOpenThread }));
  }

  function setEmptyState() {
    status.textContent = list.children.length ? '' : 'No posts yet. Start the conversation!';
  }

  return {
    /** Shows the welcome text (no channel open). */
    showWelcome() {
      channelId = null;
      shownFooter = '';
      composer = null;
      welcome.hidden = false;
      pane.hidden = true;
    },

    /** Switches to a channel: header, an empty "loading" list, composer or join prompt. */
    show(channel) {
      const switching = channel.id !== channelId;
      channelId = channel.id;
      welcome.hidden = true;
      pane.hidden = false;
      this.setHeader(channel);
      if (switching) {
        clear(list);
        olderButton.hidden = true;
        status.textContent = 'Loading posts…';
      }
    },

    /** Refreshes title, description, member count and the join/leave controls. */
    setHeader(channel) {
      title.textContent = `${channel.visibility === 'private' ? '' : '#'}${channel.title || channel.slug}`;
      description.textContent = channel.description || '';
      description.hidden = !channel.description;
      members.textContent = typeof channel.member_count === 'number' ? plural(channel.member_count, 'member', 'members') : '';
      joinButton.hidden = Boolean(channel.member);
      leaveButton.hidden = !channel.member;
      // Rebuild the footer only when it changes, so a refresh never steals the composer's focus.
      const footerKey = `${channel.id}:${Boolean(channel.member)}`;
      if (footerKey === shownFooter) return;
      shownFooter = footerKey;
      clear(footer);
      if (channel.member) {
        if (!composer || composer.channelId !== channel.id) {
          composer = createComposer({
            label: `Message #${channel.slug}`,
            placeholder: `Message #${channel.slug}`,
            onSend: handlers.onSend,
          });
          composer.channelId = channel.id;
        }
        footer.append(composer.element);
      } else {
        composer = null;
        footer.append(el('p', { class: 'join-prompt', text: 'You are previewing this channel. Join it to post and to see new posts as they arrive.' }));
      }
    },

    /** Replaces the list with these root posts (oldest first) and scrolls to the newest. */
    setPosts(posts, hasMore) {
      clear(list).append(...posts.map(item));
      olderButton.hidden = !hasMore;
      setEmptyState();
      scrollToBottom();
    },

    /** Puts older root posts on top, keeping what the reader sees in place. */
    prependPosts(posts, hasMore) {
      const before = scroller.scrollHeight - scroller.scrollTop;
      list.prepend(...posts.map(item));
      olderButton.hidden = !hasMore;
      setEmptyState();
      scroller.scrollTop = scroller.scrollHeight - before;
    },

    setLoadingOlder(loading) {
      loadingOlder = loading;
      olderButton.disabled = loading;
      olderButton.textContent = loading ? 'Loading…' : 'Load older posts';
    },

    showError(message) {
      status.textContent = message;
    },

    /** Adds a new root post at the bottom; follows it if the reader was at the bottom or wrote it. */
    appendPost(post, { follow = false } = {}) {
      if (list.querySelector(`[data-post-id="${post.id}"]`)) return;
      const stick = follow || nearBottom();
      list.append(item(post));
      setEmptyState();
      if (stick) scrollToBottom();
    },

    updatePost(post) {
      const node = list.querySelector(`li[data-post-id="${post.id}"] .post`);
      if (node) updatePostElement(node, post);
    },

    /** Marks the root post whose thread is open (or none). */
    setOpenThread(postId) {
      for (const node of list.querySelectorAll('li.is-open-thread')) node.classList.remove('is-open-thread');
      const node = postId == null ? null : list.querySelector(`li[data-post-id="${postId}"]`);
      if (node) node.classList.add('is-open-thread');
    },

    focusComposer() {
      if (composer) composer.focus();
    },

    get channelId() {
      return channelId;
    },
  };
}
