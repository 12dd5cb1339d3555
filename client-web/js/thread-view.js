// The thread pane: a root post, its replies oldest first, and a reply composer.
import { el, clear, plural } from './util.js';
import { renderPost, updatePostElement } from './post-view.js';
import { createComposer } from './composer.js';

/** Renders into `root` (an <aside>). handlers: onClose(), onSend(body, clientId) → promise. */
export function createThreadView(root, handlers) {
  const close = el('button', { type: 'button', class: 'icon-button', 'aria-label': 'Close thread', title: 'Close thread', text: '×' });
  const heading = el('h2', { id: 'thread-title', class: 'thread-title', text: 'Thread' });
  const rootSlot = el('div', { class: 'thread-root' });
  const count = el('p', { class: 'thread-count' });
  const replies = el('ol', { class: 'post-list reply-list', 'aria-label': 'Replies' });
  const scroller = el('div', { class: 'thread-scroller' }, rootSlot, count, replies);
  const footer = el('div', { class: 'thread-footer' });
  root.append(el('header', { class: 'thread-header' }, heading, close), scroller, footer);
  close.addEventListener('click', () => handlers.onClose());

  let rootPost = null;
  let composer = null;

  function setCount(n) {
    count.textContent = n > 0 ? plural(n, 'reply', 'replies') : 'No replies yet';
  }

  return {
    /** Shows a thread; `canPost` adds the reply composer. */
    open(post, replyPosts, { canPost, channelSlug, focus = false }) {
      rootPost = post;
      root.hidden = false;
      heading.textContent = channelSlug ? `Thread in #${channelSlug}` : 'Thread';
      clear(rootSlot).append(renderPost(post));
      clear(replies).append(...replyPosts.map((r) => el('li', { 'data-post-id': r.id }, renderPost(r, { compact: true }))));
      setCount(Math.max(post.reply_count || 0, replyPosts.length));
      clear(footer);
      composer = null;
      if (canPost) {
        composer = createComposer({ label: 'Reply in thread', placeholder: 'Reply…', onSend: handlers.onSend });
        footer.append(composer.element);
      } else {
        footer.append(el('p', { class: 'join-prompt', text: 'Join the channel to reply.' }));
      }
      scroller.scrollTop = scroller.scrollHeight;
      if (focus && composer) composer.focus();
    },

    /** Adds a reply at the bottom (once per post id). */
    appendReply(post) {
      if (replies.querySelector(`li[data-post-id="${post.id}"]`)) return;
      const stick = scroller.scrollHeight - scroller.scrollTop - scroller.clientHeight < 80;
      replies.append(el('li', { 'data-post-id': post.id }, renderPost(post, { compact: true })));
      if (stick) scroller.scrollTop = scroller.scrollHeight;
    },

    updateRoot(post) {
      if (!rootPost || post.id !== rootPost.id) return;
      rootPost = post;
      const node = rootSlot.querySelector('.post');
      if (node) updatePostElement(node, post);
      setCount(Math.max(post.reply_count || 0, replies.children.length));
    },

    close() {
      rootPost = null;
      composer = null;
      root.hidden = true;
      clear(rootSlot);
      clear(replies);
      clear(footer);
    },

    get rootId() {
      return rootPost ? rootPost.id : null;
    },
  };
}
