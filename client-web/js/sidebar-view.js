// The channel sidebar: joined channels with unread badges, public channels to browse, and the new-channel form.
import { el, clear } from './util.js';

const SVG = 'http://www.w3.org/2000/svg';

function lockIcon() {
  const svg = document.createElementNS(SVG, 'svg');
  svg.setAttribute('viewBox', '0 0 16 16');
  svg.setAttribute('class', 'channel-icon');
  svg.setAttribute('aria-hidden', 'true');
  const path = document.createElementNS(SVG, 'path');
  path.setAttribute('d', 'M4 7V5a4 4 0 1 1 8 0v2h1v8H3V7h1zm2 0h4V5a2 2 0 1 0-4 0v2z');
  svg.append(path);
  return svg;
}

/**
 * Renders into `root`. handlers: onCreate({slug,title,description,visibility}) → promise,
 * onRefresh() → promise.
 */
export function createSidebar(root, { onCreate, onRefresh }) {
  const joinedList = el('ul', { class: 'channel-list' });
  const joinedEmpty = el('p', { class: 'sidebar-empty', text: 'You have not joined a channel yet.' });
  const browseList = el('ul', { class: 'channel-list' });
  const browseEmpty = el('p', { class: 'sidebar-empty', text: 'No other public channels.' });
  const refresh = el('button', { type: 'button', class: 'icon-button', 'aria-label': 'Refresh channel list', title: 'Refresh channel list', text: '↻' });
  const toggle = el('button', { type: 'button', class: 'sidebar-action', 'aria-expanded': 'false', 'aria-controls': 'new-channel-form', text: '+ New channel' });
  const form = buildForm();

  root.append(
    el('section', { class: 'sidebar-section', 'aria-labelledby': 'joined-heading' },
      el('h2', { id: 'joined-heading', class: 'sidebar-heading', text: 'Your channels' }),
      joinedList, joinedEmpty, toggle, form.element),
    el('section', { class: 'sidebar-section', 'aria-labelledby': 'browse-heading' },
      el('div', { class: 'sidebar-heading-row' },
        el('h2', { id: 'browse-heading', class: 'sidebar-heading', text: 'Browse channels' }), refresh),
      browseList, browseEmpty));

  toggle.addEventListener('click', () => setFormOpen(form.element.hidden));
  refresh.addEventListener('click', async () => {
    refresh.disabled = true;
    try { await onRefresh(); } finally { refresh.disabled = false; }
  });

  function setFormOpen(open) {
    form.element.hidden = !open;
    toggle.setAttribute('aria-expanded', String(open));
    if (open) form.element.querySelector('input').focus();
  }

  function buildForm() {
    const slug = el('input', { id: 'new-channel-slug', type: 'text', required: true, maxlength: 32, autocapitalize: 'none', spellcheck: 'false', 'aria-describedby': 'new-channel-slug-hint' });
    const title = el('input', { id: 'new-channel-title', type: 'text', required: true, maxlength: 80 });
    const description = el('textarea', { id: 'new-channel-description', rows: 2, maxlength: 500 });
    const isPublic = el('input', { id: 'new-channel-public', type: 'radio', name: 'visibility', value: 'public', checked: true });
    const isPrivate = el('input', { id: 'new-channel-private', type: 'radio', name: 'visibility', value: 'private' });
    const error = el('p', { class: 'form-error', role: 'alert' });
    const create = el('button', { type: 'submit', class: 'button-primary', text: 'Create channel' });
    const cancel = el('button', { type: 'button', class: 'button-secondary', text: 'Cancel' });
    const element = el('form', { id: 'new-channel-form', class: 'new-channel-form', 'aria-label': 'New channel', hidden: true },
      el('div', { class: 'field' }, el('label', { for: 'new-channel-title', text: 'Title' }), title),
      el('div', { class: 'field' }, el('label', { for: 'new-channel-slug', text: 'Slug' }), slug,
        el('p', { id: 'new-channel-slug-hint', class: 'field-hint', text: '2–32 characters: a–z, 0–9, _ -' })),
      el('div', { class: 'field' }, el('label', { for: 'new-channel-description', text: 'Description' }), description),
      el('fieldset', { class: 'field radio-group' }, el('legend', { text: 'Visibility' }),
        el('label', { class: 'radio' }, isPublic, ' Public'),
        el('label', { class: 'radio' }, isPrivate, ' Private')),
      error,
      el('div', { class: 'form-buttons' }, create, cancel));

    // Suggest a slug from the title until the teacher edits the slug.
    let slugEdited = false;
    slug.addEventListener('input', () => { slugEdited = slug.value !== ''; });
    title.addEventListener('input', () => {
      if (!slugEdited) slug.value = title.value.toLowerCase().replace(/[^a-z0-9_]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 32);
    });
    cancel.addEventListener('click', () => { setFormOpen(false); toggle.focus(); });
    element.addEventListener('submit', async (event) => {
      event.preventDefault();
      error.textContent = '';
      create.disabled = true;
      try {
        await onCreate({
          slug: slug.value.trim(),
          title: title.value.trim(),
          description: description.value.trim(),
          visibility: isPrivate.checked ? 'private' : 'public',
        });
        element.reset();
        slugEdited = false;
        setFormOpen(false);
      } catch (err) {
        error.textContent = err.message;
      } finally {
        create.disabled = false;
      }
    });
    return { element };
  }

  function item(channel, currentId) {
    const current = channel.id === currentId;
    const link = el('a', { href: `#/c/${encodeURIComponent(channel.slug)}`, class: 'channel-link', 'aria-current': current ? 'page' : null });
    link.append(channel.visibility === 'private' ? lockIcon() : el('span', { class: 'channel-hash', 'aria-hidden': 'true', text: '#' }));
    link.append(el('span', { class: 'channel-name', text: channel.title || channel.slug }));
    if (channel.visibility === 'private') link.append(el('span', { class: 'visually-hidden', text: ' (private)' }));
    if (channel.member && !current && (channel.unread > 0 || channel.mentions > 0)) {
      link.classList.add('has-unread');
      if (channel.mentions > 0) {
        link.append(el('span', { class: 'badge badge-mention', 'aria-hidden': 'true', text: `@${channel.mentions > 99 ? '99+' : channel.mentions}` }),
          el('span', { class: 'visually-hidden', text: ` ${channel.mentions} ${channel.mentions === 1 ? 'mention' : 'mentions'}` }));
      }
      if (channel.unread > 0) {
        link.append(el('span', { class: 'badge', text: channel.unread > 99 ? '99+' : String(channel.unread) }),
          el('span', { class: 'visually-hidden', text: ' unread' }));
      }
    }
    return el('li', {}, link);
  }

  return {
    /** Redraws both lists from {joined, browse}. */
    render({ joined, browse }, currentId) {
      clear(joinedList).append(...joined.map((c) => item(c, currentId)));
      clear(browseList).append(...browse.map((c) => item(c, currentId)));
      joinedEmpty.hidden = joined.length > 0;
      browseEmpty.hidden = browse.length > 0;
    },
  };
}
