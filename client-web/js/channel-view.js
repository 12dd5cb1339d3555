// The channel pane: header (members, join/leave), root posts with infinite scroll, the unread divider, pending posts, the composer.
import { el, clear, plural, dayLabel } from './util.js';
import { renderPost, updatePostElement } from './post-view.js';
import { createComposer } from './composer.js';

const NEAR_BOTTOM_PX = 80;
const NEAR_TOP_PX = 200;

/**
 * Renders into `root`. handlers: onLoadOlder(), onJoin(), onLeave(), onMembers(), onSend(body, clientId),
 * onJumpUnread(), mentionCandidates(prefix), onEditLast().
 */
export function createChannelView(root, handlers) {
  const title = el('h2', { class: 'channel-title', id: 'channel-title', tabindex: '-1' });
  const description = el('p', { class: 'channel-description' });
  const members = el('button', { type: 'button', class: 'channel-members', 'aria-haspopup': 'dialog' });
  const joinButton = el('button', { type: 'button', class: 'button-primary', text: 'Join channel' });
  const leaveButton = el('button', { type: 'button', class: 'button-secondary', text: 'Leave channel' });
  const header = el('header', { class: 'channel-header' },
    el('div', { class: 'channel-heading' }, title, description),
    el('div', { class: 'channel-tools' }, members, joinButton, leaveButton));
  const olderButton = el('button', { type: 'button', class: 'load-older', text: 'Load older posts', hidden: true });
  const status = el('p', { class: 'list-status', role: 'status' });
  const list = el('ol', { class: 'post-list', 'aria-labelledby': 'channel-title' });
  const jump = el('button', { type: 'button', class: 'jump-unread', hidden: true });
  const below = el('button', { type: 'button', class: 'jump-unread jump-below', hidden: true, text: '↓ New posts below' });
  // The inner wrapper sits at the bottom of the scroller while the posts are few, as in a chat.
  const scroller = el('div', { class: 'post-scroller', tabindex: '0', 'aria-label': 'Posts' },
    el('div', { class: 'post-scroller-inner' }, olderButton, status, list));
  const footer = el('div', { class: 'channel-footer' });
  const welcome = el('div', { class: 'welcome' },
    el('h2', { text: 'Welcome to Staffroom' }),
    el('p', { text: 'Pick a channel from the list, browse public channels, or start a new one for your grade, subject or school.' }),
    el('p', { class: 'welcome-keys', text: 'Press ? for keyboard shortcuts.' }));
  const pane = el('div', { class: 'channel-body', hidden: true }, header, el('div', { class: 'scroller-wrap' }, jump, scroller, below), footer);
  root.append(welcome, pane);

  let channelId = null;
  let composer = null;
  let shownFooter = '';
  let loadingOlder = false;
  let divider = null;

  joinButton.addEventListener('click', () => handlers.onJoin());
  leaveButton.addEventListener('click', () => handlers.onLeave());
  members.addEventListener('click', () => handlers.onMembers());
  olderButton.addEventListener('click', () => handlers.onLoadOlder());
  jump.addEventListener('click', () => {
    if (divider && divider.isConnected) showDivider();
    else handlers.onJumpUnread();
  });
  below.addEventListener('click', () => { scrollToBottom(); below.hidden = true; });
  scroller.addEventListener('scroll', () => {
    if (!below.hidden && nearBottom()) below.hidden = true;
    if (scroller.scrollTop < NEAR_TOP_PX && !olderButton.hidden && !loadingOlder) handlers.onLoadOlder();
    updateJump();
  }, { passive: true });

  const nearBottom = () => scroller.scrollHeight - scroller.scrollTop - scroller.clientHeight < NEAR_BOTTOM_PX;
  const scrollToBottom = () => { scroller.scrollTop = scroller.scrollHeight; };
  const itemOf = (postId) => list.querySelector(`li[data-post-id="${postId}"]`);

  function item(post) {
    return el('li', { class: 'post-item', 'data-post-id': post.id, 'data-seq': post.seq }, renderPost(post));
  }

  /** Folds a post into the one above when the same person wrote both within five minutes. */
  function regroup() {
    for (const old of list.querySelectorAll('li.day-divider')) old.remove();
    let prev = null;
    let day = '';
    for (const node of [...list.children]) {
      const time = node.querySelector('time');
      if (node.classList.contains('post-item') && time) {
        const label = dayLabel(time.dateTime);
        if (label !== day) {
          day = label;
          const at = node.previousElementSibling && node.previousElementSibling.classList.contains('unread-divider') ? node.previousElementSibling : node;
          at.before(el('li', { class: 'day-divider', role: 'separator', 'aria-label': label }, el('span', { text: label })));
          prev = null;
        }
      }
      if (!node.classList.contains('post-item') || node.classList.contains('is-pending')) { prev = null; continue; }
      const post = node.firstElementChild;
      const same = prev && prev.dataset.authorId === post.dataset.authorId
        && !prev.querySelector('.post-deleted') && !post.querySelector('.post-deleted')
        && Date.parse(post.querySelector('time').dateTime) - Date.parse(prev.querySelector('time').dateTime) < 5 * 60 * 1000;
      node.classList.toggle('is-continuation', Boolean(same));
      prev = post;
    }
  }

  function setEmptyState() {
    regroup();
    status.textContent = list.querySelector('.post-item') ? '' : 'No posts yet. Start the conversation!';
  }

  function showDivider() {
    divider.scrollIntoView({ block: 'start' });
    jump.hidden = true;
  }

  function updateJump() {
    if (!divider || !divider.isConnected) { if (!jump.dataset.older) jump.hidden = true; return; }
    jump.hidden = divider.offsetTop >= scroller.scrollTop;
  }

  /** Puts the "New" divider before the first root post at or after `seq`. */
  function placeDivider(seq, count) {
    if (divider) divider.remove();
    divider = null;
    delete jump.dataset.older;
    jump.hidden = true;
    if (seq == null || !count) return;
    jump.textContent = `↑ Jump to first unread (${count} new)`;
    if (seq === -1) { jump.dataset.older = 'yes'; jump.hidden = false; return; }
    const first = [...list.querySelectorAll('li.post-item')].find((node) => Number(node.dataset.seq) >= seq);
    if (!first) return;
    divider = el('li', { class: 'unread-divider', role: 'separator', 'aria-label': 'New posts start here' }, el('span', { text: 'New' }));
    first.before(divider);
  }

  return {
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
        divider = null;
        jump.hidden = true;
        below.hidden = true;
        olderButton.hidden = true;
        status.textContent = 'Loading posts…';
      }
    },

    /** Refreshes title, description, member count and the join/leave controls. */
    setHeader(channel) {
      title.textContent = `${channel.visibility === 'private' ? '🔒 ' : '#'}${channel.title || channel.slug}`;
      description.textContent = channel.archived ? `Archived (read-only). ${channel.description || ''}` : channel.description || '';
      description.hidden = !description.textContent;
      members.textContent = typeof channel.member_count === 'number' ? plural(channel.member_count, 'member', 'members') : 'Members';
      members.setAttribute('aria-label', `${members.textContent}: show members${channel.role === 'owner' || channel.role === 'moderator' ? ' and invite' : ''}`);
      joinButton.hidden = Boolean(channel.member) || channel.visibility === 'private' || Boolean(channel.archived);
      leaveButton.hidden = !channel.member;
      // Rebuild the footer only when it changes, so a refresh never steals the composer's focus.
      const footerKey = `${channel.id}:${Boolean(channel.member)}:${Boolean(channel.archived)}`;
      if (footerKey === shownFooter) return;
      shownFooter = footerKey;
      clear(footer);
      if (channel.member && !channel.archived) {
        composer = createComposer({
          label: `Message #${channel.slug}`,
          placeholder: `Message #${channel.slug}`,
          onSend: handlers.onSend,
          mentionCandidates: handlers.mentionCandidates,
          onEditLast: handlers.onEditLast,
          draftKey: `staffroom.draft.${channel.id}`,
        });
        footer.append(composer.element);
      } else {
        composer = null;
        footer.append(el('p', { class: 'join-prompt', text: channel.archived
          ? 'This channel is archived: you can read it but not post.'
          : 'You are previewing this channel. Join it to post and to see new posts as they arrive.' }));
      }
    },

    /** Replaces the list with these root posts (oldest first); scrolls to the first unread or the newest. */
    setPosts(posts, hasMore, { firstUnread = null, unread = 0 } = {}) {
      clear(list).append(...posts.map(item));
      olderButton.hidden = !hasMore;
      setEmptyState();
      placeDivider(firstUnread, unread);
      if (divider && divider.previousElementSibling) showDivider();
      else scrollToBottom();
      updateJump();
    },

    /** Puts older root posts on top, keeping what the reader sees in place. */
    prependPosts(posts, hasMore) {
      const before = scroller.scrollHeight - scroller.scrollTop;
      list.prepend(...posts.map(item));
      olderButton.hidden = !hasMore;
      setEmptyState();
      scroller.scrollTop = scroller.scrollHeight - before;
    },

    placeDivider,

    setLoadingOlder(loading) {
      loadingOlder = loading;
      olderButton.disabled = loading;
      olderButton.textContent = loading ? 'Loading…' : 'Load older posts';
    },

    showError(message) {
      status.textContent = message;
    },

    /** Adds a new root post at the bottom (replacing its pending copy); follows it if at the bottom or mine. */
    appendPost(post, { follow = false } = {}) {
      if (itemOf(post.id)) return;
      const stick = follow || nearBottom();
      const pending = post.client_id ? list.querySelector(`li[data-client-id="${CSS.escape(post.client_id)}"]`) : null;
      const node = item(post);
      if (pending) pending.replaceWith(node);
      else {
        const firstPending = list.querySelector('li.is-pending');
        if (firstPending) firstPending.before(node); else list.append(node);
      }
      setEmptyState();
      if (stick) scrollToBottom();
      else below.hidden = false;   // the reader is further up: say there is more below
    },

    /** Shows a post that is waiting to be sent (typed offline or in flight). */
    addPending(clientId, node) {
      list.append(el('li', { class: 'post-item is-pending', 'data-client-id': clientId }, node));
      setEmptyState();
      scrollToBottom();
    },

    removePending(clientId) {
      const node = list.querySelector(`li[data-client-id="${CSS.escape(clientId)}"]`);
      if (node) node.remove();
      setEmptyState();
    },

    updatePost(post) {
      const node = list.querySelector(`li[data-post-id="${post.id}"] > .post`);
      if (node) updatePostElement(node, post);
      regroup();
    },

    /** Scrolls a root post into view and flashes it; false when it is not loaded. */
    highlight(postId) {
      const node = itemOf(postId);
      if (!node) return false;
      node.scrollIntoView({ block: 'center' });
      const article = node.querySelector('.post');
      for (const old of list.querySelectorAll('.post.is-highlighted')) old.classList.remove('is-highlighted');
      article.classList.add('is-highlighted');
      article.setAttribute('tabindex', '-1');
      article.focus({ preventScroll: true });
      return true;
    },

    /** Marks the root post whose thread is open (or none). */
    setOpenThread(postId) {
      for (const node of list.querySelectorAll('li.is-open-thread')) node.classList.remove('is-open-thread');
      const node = postId == null ? null : itemOf(postId);
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
