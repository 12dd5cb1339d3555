// Renders one post (author, local time, the server's html, reply count) for the channel and thread views.
import { el, clear, formatTime, formatFullTime, plural } from './util.js';

const AVATAR_COLOURS = 8;

function initials(name) {
  const words = String(name || '?').trim().split(/\s+/).filter(Boolean);
  const letters = words.length > 1 ? words[0][0] + words[words.length - 1][0] : (words[0] || '?').slice(0, 2);
  return letters.toUpperCase();
}

function replyLabel(count) {
  return count > 0 ? plural(count, 'reply', 'replies') : 'Reply';
}

/**
 * Builds <article class="post">. options.onOpenThread(post): shows the reply button
 * (root posts in the channel view).
 */
export function renderPost(post, { onOpenThread = null, compact = false } = {}) {
  const author = post.author || {};
  const name = author.display_name || author.handle || 'Unknown';
  const article = el('article', {
    class: compact ? 'post post-compact' : 'post',
    'data-post-id': post.id,
    'data-seq': post.seq,
    'aria-label': `${name}, ${formatFullTime(post.created_at)}`,
  });
  const avatar = el('div', { class: `avatar avatar-${(author.id || 0) % AVATAR_COLOURS}`, 'aria-hidden': 'true', text: initials(name) });
  const meta = el('header', { class: 'post-meta' },
    el('span', { class: 'post-author', text: name }),
    author.handle && author.handle !== name ? el('span', { class: 'post-handle', text: `@${author.handle}` }) : null,
    el('time', { class: 'post-time', datetime: post.created_at, title: formatFullTime(post.created_at), text: formatTime(post.created_at) }),
    post.edited_at ? el('span', { class: 'post-edited', text: '(edited)' }) : null);
  const body = el('div', { class: 'post-body' });
  fillBody(body, post);
  const main = el('div', { class: 'post-main' }, meta, body);
  if (onOpenThread && post.thread_id == null) {
    const button = el('button', { type: 'button', class: 'reply-button' });
    button.textContent = replyLabel(post.reply_count || 0);
    button.addEventListener('click', () => onOpenThread(post.id));
    main.append(el('footer', { class: 'post-actions' }, button));
  }
  article.append(avatar, main);
  return article;
}

function fillBody(body, post) {
  clear(body);
  if (post.deleted) {
    body.classList.add('post-deleted');
    body.textContent = 'This post was deleted.';
  } else {
    // The one place HTML is assigned: the server renders it with cmark-gfm in safe mode.
    body.innerHTML = post.html;
  }
}

/** Refreshes the parts of a rendered post that can change live (reply count, body). */
export function updatePostElement(article, post) {
  const button = article.querySelector('.reply-button');
  if (button) button.textContent = replyLabel(post.reply_count || 0);
  const body = article.querySelector('.post-body');
  if (body && (post.deleted || post.edited_at)) fillBody(body, post);
}
