// Renders one post (author, local time, the server's html, reactions, actions) for the channel and thread views.
import { el, clear, formatTime, formatFullTime, plural } from './util.js';

const AVATAR_COLOURS = 8;
const optionsOf = new WeakMap();   // article -> the options it was rendered with

/** What the post buttons do; app.js installs these once (see setPostActions). */
let actions = {
  me: () => null,                       // the signed-in user
  canModerate: () => false,             // (channelId) → may delete others' posts
  openThread: () => {},                 // (postId)
  react: () => {},                      // (post, emoji, on)
  pickReaction: () => {},               // (post, anchorButton)
  edit: () => {},                       // (post, article)
  remove: () => {},                     // (post)
  versions: () => {},                   // (post): the edit history
};

export function setPostActions(handlers) {
  actions = { ...actions, ...handlers };
}

function initials(name) {
  const words = String(name || '?').trim().split(/\s+/).filter(Boolean);
  const letters = words.length > 1 ? words[0][0] + words[words.length - 1][0] : (words[0] || '?').slice(0, 2);
  return letters.toUpperCase();
}

function replyLabel(count) {
  return count > 0 ? plural(count, 'reply', 'replies') : 'Reply';
}

/** True when the post's html mentions the signed-in user. */
export function mentionsMe(post) {
  const me = actions.me();
  return Boolean(me && !post.deleted && post.html && post.html.includes(`href="#/u/${me.handle}"`));
}

/**
 * Builds <article class="post">. options: {thread: true} for the thread pane (no reply button
 * on the root's replies), {compact: true} for replies.
 */
export function renderPost(post, options = {}) {
  const author = post.author || {};
  const me = actions.me();
  const name = author.display_name || author.handle || 'Unknown';
  const article = el('article', {
    class: `post${options.compact ? ' post-compact' : ''}${mentionsMe(post) ? ' post-mentions-me' : ''}`,
    'data-post-id': post.id,
    'data-seq': post.seq,
    'data-author-id': author.id,
    tabindex: '-1',   // a tap focuses the post, which shows its actions on a phone
    'aria-label': `${name}, ${formatFullTime(post.created_at)}`,
  });
  optionsOf.set(article, options);
  const avatar = el('div', { class: `avatar avatar-${(author.id || 0) % AVATAR_COLOURS}`, 'aria-hidden': 'true', text: initials(name) });
  const meta = el('header', { class: 'post-meta' },
    el('span', { class: 'post-author', text: name }),
    author.handle && author.handle !== name ? el('span', { class: 'post-handle', text: `@${author.handle}` }) : null,
    el('time', { class: 'post-time', datetime: post.created_at, title: formatFullTime(post.created_at), text: formatTime(post.created_at) }),
    post.edited_at && !post.deleted ? editedMark(post, me) : null);
  const body = el('div', { class: 'post-body' });
  fillBody(body, post);
  const main = el('div', { class: 'post-main' }, meta, body);
  if (!post.deleted && post.reactions && post.reactions.length) main.append(reactionRow(post, me));
  const threadable = !options.thread && post.thread_id == null;
  if (threadable && post.reply_count > 0) {
    const button = el('button', { type: 'button', class: 'reply-button', 'data-action': 'replies', text: replyLabel(post.reply_count) });
    button.addEventListener('click', () => actions.openThread(post.id));
    main.append(el('footer', { class: 'post-actions' }, button));
  }
  article.append(avatar, main);
  if (!post.deleted) article.append(toolbar(post, me, article, threadable));
  return article;
}

/** "(edited)": a button that opens the history for those who may see it (author, moderators, admins). */
function editedMark(post, me) {
  const title = `Edited ${formatFullTime(post.edited_at)}`;
  const allowed = me && ((post.author && post.author.id === me.id) || me.role === 'admin' || actions.canModerate(post.channel_id));
  if (!allowed) return el('span', { class: 'post-edited', title, text: '(edited)' });
  const button = el('button', { type: 'button', class: 'post-edited edited-button', 'data-action': 'versions', title: `${title}. Show the edit history`, text: '(edited)' });
  button.addEventListener('click', () => actions.versions(post));
  return button;
}

function reactionRow(post, me) {
  const row = el('div', { class: 'reactions', role: 'group', 'aria-label': 'Reactions' });
  for (const reaction of post.reactions) {
    const mine = Boolean(me && (reaction.user_ids || []).includes(me.id));
    const chip = el('button', {
      type: 'button',
      class: 'reaction-chip',
      'data-action': `reaction:${reaction.emoji}`,
      'aria-pressed': String(mine),
      'aria-label': `${reaction.emoji} ${plural(reaction.count, 'reaction', 'reactions')}${mine ? ', including yours' : ''}`,
      title: mine ? 'Click to remove your reaction' : 'Click to react too',
    }, el('span', { class: 'reaction-emoji', text: reaction.emoji }), el('span', { class: 'reaction-count', text: String(reaction.count) }));
    chip.addEventListener('click', () => actions.react(post, reaction.emoji, !mine));
    row.append(chip);
  }
  return row;
}

function toolbar(post, me, article, threadable) {
  const own = Boolean(me && post.author && post.author.id === me.id);
  const tools = el('div', { class: 'post-tools', role: 'group', 'aria-label': 'Post actions' });
  if (threadable) {
    const reply = el('button', { type: 'button', class: 'tool-button', 'data-action': 'reply', title: 'Reply in a thread', text: 'Reply' });
    reply.addEventListener('click', () => actions.openThread(post.id));
    tools.append(reply);
  }
  const react = el('button', { type: 'button', class: 'tool-button', 'data-action': 'react', 'aria-label': 'Add reaction', title: 'Add reaction', 'aria-haspopup': 'true', text: '☺+' });
  react.addEventListener('click', () => actions.pickReaction(post, react));
  tools.append(react);
  if (own) {
    const edit = el('button', { type: 'button', class: 'tool-button', 'data-action': 'edit', text: 'Edit' });
    edit.addEventListener('click', () => actions.edit(post, article));
    tools.append(edit);
  }
  if (own || actions.canModerate(post.channel_id)) {
    const remove = el('button', { type: 'button', class: 'tool-button tool-danger', 'data-action': 'delete', text: 'Delete' });
    remove.addEventListener('click', () => actions.remove(post));
    tools.append(remove);
  }
  return tools;
}

/** Mention links (#/u/handle) are styled and stay on the page; other links open in a new tab. */
function fixLinks(body) {
  const me = actions.me();
  for (const link of body.querySelectorAll('a[href]')) {
    const href = link.getAttribute('href').trim();
    if (!href) {
      link.removeAttribute('href');   // safe mode emptied an unsafe URL: keep the words, drop the link
    } else if (href.startsWith('#/u/')) {
      link.classList.add('mention');
      if (me && href === `#/u/${me.handle}`) link.classList.add('mention-me');
      link.addEventListener('click', (event) => event.preventDefault());
    } else {
      link.target = '_blank';
      link.rel = 'noopener noreferrer nofollow';
    }
  }
}

function fillBody(body, post) {
  clear(body);
  body.classList.toggle('post-deleted', Boolean(post.deleted));
  if (post.deleted) {
    body.textContent = 'This post was deleted.';
  } else {
    // The one place HTML is assigned: the server renders it with cmark-gfm in safe mode.
    body.innerHTML = post.html;
    fixLinks(body);
    if (!body.textContent.trim() && !body.querySelector('img, hr, table')) {
      body.append(el('p', { class: 'post-empty', text: 'This post held only HTML, which Staffroom does not show.' }));
    }
  }
}

/** Re-renders a post in place, keeping keyboard focus on the same control. */
export function updatePostElement(article, post) {
  const focused = article.contains(document.activeElement) ? document.activeElement.dataset.action : null;
  if (article.querySelector('.post-editor')) return;   // never wipe an edit in progress
  const fresh = renderPost(post, optionsOf.get(article) || {});
  for (const name of ['is-highlighted']) if (article.classList.contains(name)) fresh.classList.add(name);
  article.replaceWith(fresh);
  if (focused) {
    const target = fresh.querySelector(`[data-action="${CSS.escape(focused)}"]`) || fresh.querySelector('[data-action="react"]');
    if (target) target.focus();
  }
}
