// The thread pane: a root post, its replies oldest first, pending replies and a reply composer.
import { el, clear, plural } from './util.js';
import { renderPost, updatePostElement } from './post-view.js';
import { createComposer } from './composer.js';

/** Renders into `root` (an <aside>). handlers: onClose(), onSend(body, clientId), mentionCandidates(prefix). */
export function createThreadView(root, handlers) {
  const close = el('button', { type: 'button', class: 'icon-button', 'aria-label': 'Close thread', title: 'Close thread (Esc)', text: '×' });
  const heading = el('h2', { id: 'thread-title', class: 'thread-title', text: 'Thread', tabindex: '-1' });
  const rootSlot = el('div', { class: 'thread-root' });
  const count = el('p', { class: 'thread-count' });
  const replies = el('ol', { class: 'post-list reply-list', 'aria-label': 'Replies' });
  const scroller = el('div', { class: 'thread-scroller' }, rootSlot, count, replies);
  const footer = el('div', { class: 'thread-footer' });
  root.append(el('header', { class: 'thread-header' }, heading, close), scroller, footer);
  close.addEventListener('click', () => handlers.onClose());

  let rootPost = null;
  let composer = null;
  const itemOf = (postId) => replies.querySelector(`li[data-post-id="${postId}"]`);
  const replyItem = (r) => el('li', { 'data-post-id': r.id }, renderPost(r, { compact: true, thread: true }));

  function setCount(n) {
    count.textContent = n > 0 ? plural(n, 'reply', 'replies') : 'No replies yet';
  }

  return {
    /** Shows a thread; `canPost` adds the reply composer. */
    open(post, replyPosts, { canPost, channelSlug, focus = false }) {
      const same = rootPost && rootPost.id === post.id;
      const draft = same && composer ? composer.textarea.value : '';
      rootPost = post;
      root.hidden = false;
      heading.textContent = channelSlug ? `Thread in #${channelSlug}` : 'Thread';
      clear(rootSlot).append(renderPost(post, { thread: true }));
      const pending = [...replies.querySelectorAll('li.is-pending')];
      clear(replies).append(...replyPosts.map(replyItem), ...(same ? pending : []));
      setCount(Math.max(post.reply_count || 0, replyPosts.length));
      clear(footer);
      composer = null;
      if (canPost) {
        composer = createComposer({ label: 'Reply in thread', placeholder: 'Reply…', onSend: handlers.onSend, mentionCandidates: handlers.mentionCandidates, draftKey: `staffroom.draft.thread.${post.id}` });
        if (draft) composer.textarea.value = draft;
        footer.append(composer.element);
      } else {
        footer.append(el('p', { class: 'join-prompt', text: 'Join the channel to reply.' }));
      }
      scroller.scrollTop = scroller.scrollHeight;
      if (focus && composer) composer.focus();
    },

    /** Adds a reply at the bottom (once per post id), replacing its pending copy. */
    appendReply(post) {
      if (itemOf(post.id)) return;
      const stick = scroller.scrollHeight - scroller.scrollTop - scroller.clientHeight < 80;
      const pending = post.client_id ? replies.querySelector(`li[data-client-id="${CSS.escape(post.client_id)}"]`) : null;
      if (pending) pending.replaceWith(replyItem(post));
      else {
        const firstPending = replies.querySelector('li.is-pending');
        if (firstPending) firstPending.before(replyItem(post)); else replies.append(replyItem(post));
      }
      if (stick) scroller.scrollTop = scroller.scrollHeight;
    },

    addPending(clientId, node) {
      replies.append(el('li', { class: 'is-pending', 'data-client-id': clientId }, node));
      scroller.scrollTop = scroller.scrollHeight;
    },

    removePending(clientId) {
      const node = replies.querySelector(`li[data-client-id="${CSS.escape(clientId)}"]`);
      if (node) node.remove();
    },

    /** Refreshes the root or a reply in place. */
    updatePost(post) {
      if (!rootPost) return;
      if (post.id === rootPost.id) {
        rootPost = post;
        const node = rootSlot.querySelector('.post');
        if (node) updatePostElement(node, post);
        setCount(Math.max(post.reply_count || 0, replies.querySelectorAll('li[data-post-id]').length));
        return;
      }
      const node = itemOf(post.id);
      if (node && node.firstElementChild) updatePostElement(node.firstElementChild, post);
    },

    /** Scrolls to a reply (or the root) and flashes it. */
    highlight(postId) {
      const node = postId === (rootPost && rootPost.id) ? rootSlot : itemOf(postId);
      const article = node && node.querySelector('.post');
      if (!article) return false;
      article.scrollIntoView({ block: 'center' });
      article.classList.add('is-highlighted');
      article.setAttribute('tabindex', '-1');
      article.focus({ preventScroll: true });
      return true;
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
