// The side panel for search results (server snippets with <mark>) and recent mentions; a hit jumps to its post.
import { el, clear, formatTime, formatFullTime, plural } from './util.js';

/**
 * Renders into `root` (an <aside>). handlers: search(q, channelId|null) → hits,
 * mentions() → [{post}], jump(post), channelName(id) → slug, currentChannel() → channel|null, onClose().
 */
export function createSidePanel(root, handlers) {
  const heading = el('h2', { id: 'side-title', class: 'thread-title', tabindex: '-1' });
  const close = el('button', { type: 'button', class: 'icon-button', 'aria-label': 'Close panel', title: 'Close (Esc)', text: '×' });
  const scope = el('input', { type: 'checkbox', id: 'search-scope' });
  const scopeLabel = el('label', { for: 'search-scope', class: 'search-scope' }, scope, el('span', {}));
  const status = el('p', { class: 'list-status', role: 'status' });
  const results = el('ol', { class: 'hit-list', 'aria-labelledby': 'side-title' });
  root.append(el('header', { class: 'thread-header' }, heading, close), scopeLabel,
    el('div', { class: 'thread-scroller' }, status, results));
  let lastQuery = '';
  let ticket = 0;

  close.addEventListener('click', () => { api.close(); handlers.onClose(); });
  scope.addEventListener('change', () => { if (lastQuery) api.showSearch(lastQuery); });

  function hit(post, content) {
    const author = post.author || {};
    const button = el('button', { type: 'button', class: 'hit' },
      el('span', { class: 'hit-meta' },
        el('span', { class: 'hit-channel', text: `#${handlers.channelName(post.channel_id)}` }),
        el('span', { class: 'post-author', text: author.display_name || author.handle || 'Unknown' }),
        post.thread_id != null ? el('span', { class: 'hit-reply', text: 'reply' }) : null,
        el('time', { class: 'post-time', datetime: post.created_at, title: formatFullTime(post.created_at), text: formatTime(post.created_at) })),
      content);
    button.addEventListener('click', () => handlers.jump(post));
    return el('li', { 'data-post-id': post.id }, button);
  }

  function open(title) {
    root.hidden = false;
    heading.textContent = title;
    clear(results);
    document.getElementById('workspace').classList.add('side-open');
  }

  const api = {
    async showSearch(q) {
      lastQuery = q;
      const current = handlers.currentChannel();
      scopeLabel.hidden = !current;
      if (current) scopeLabel.lastElementChild.textContent = ` Only in #${current.slug}`;
      else scope.checked = false;
      open(`Search: ${q}`);
      status.textContent = 'Searching…';
      const mine = ++ticket;
      try {
        const hits = await handlers.search(q, scope.checked && current ? current.id : null);
        if (mine !== ticket) return;
        status.textContent = hits.length ? plural(hits.length, 'result', 'results') : `No posts match “${q}”.`;
        results.append(...hits.map((h) => {
          const snippet = el('span', { class: 'hit-snippet' });
          snippet.innerHTML = h.snippet;   // server-escaped text with <mark> around the matches
          return hit(h.post, snippet);
        }));
      } catch (error) {
        if (mine === ticket) status.textContent = `Search failed: ${error.message}`;
      }
    },

    async showMentions() {
      scopeLabel.hidden = true;
      open('Mentions of you');
      status.textContent = 'Loading…';
      const mine = ++ticket;
      try {
        const mentions = await handlers.mentions();
        if (mine !== ticket) return;
        status.textContent = mentions.length ? '' : 'Nobody has mentioned you yet.';
        results.append(...mentions.map((m) => {
          const body = el('span', { class: 'hit-snippet post-body' });
          if (m.post.deleted) body.textContent = 'This post was deleted.';
          else body.innerHTML = m.post.html;   // server-rendered (cmark-gfm safe mode)
          for (const link of body.querySelectorAll('a')) link.replaceWith(el('span', { class: link.getAttribute('href')?.startsWith('#/u/') ? 'mention' : '', text: link.textContent }));
          return hit(m.post, body);
        }));
      } catch (error) {
        if (mine === ticket) status.textContent = `Could not load mentions: ${error.message}`;
      }
    },

    focus() {
      heading.focus();
    },

    close() {
      ticket += 1;
      root.hidden = true;
      clear(results);
      document.getElementById('workspace').classList.remove('side-open');
    },

    get isOpen() {
      return !root.hidden;
    },
  };
  return api;
}
