// @mention autocomplete for a textarea: a listbox of channel members, arrows to move, Enter/Tab to insert.
import { el, clear } from './util.js';

let listCount = 0;

/**
 * Wires autocomplete to `textarea` (call before other keydown listeners are added).
 * candidates(prefix) → promise of [{handle, display_name}]. Returns the listbox element.
 */
export function attachMentions(textarea, candidates) {
  const id = `mention-list-${++listCount}`;
  const listbox = el('ul', { id, class: 'mention-list', role: 'listbox', 'aria-label': 'People to mention', hidden: true });
  textarea.setAttribute('aria-autocomplete', 'list');
  textarea.setAttribute('aria-controls', id);
  textarea.setAttribute('aria-expanded', 'false');
  let items = [];
  let active = 0;
  let query = null;   // {start, prefix} of the @word being typed
  let ticket = 0;

  function hide() {
    listbox.hidden = true;
    items = [];
    query = null;
    textarea.setAttribute('aria-expanded', 'false');
    textarea.removeAttribute('aria-activedescendant');
  }

  function setActive(index) {
    active = (index + items.length) % items.length;
    items.forEach((item, i) => item.node.setAttribute('aria-selected', String(i === active)));
    textarea.setAttribute('aria-activedescendant', items[active].node.id);
    items[active].node.scrollIntoView({ block: 'nearest' });
  }

  function insert(user) {
    const before = textarea.value.slice(0, query.start);
    const after = textarea.value.slice(textarea.selectionStart);
    const text = `@${user.handle} `;
    textarea.value = before + text + after.replace(/^\S*/, '').replace(/^ /, '');
    const caret = before.length + text.length;
    textarea.setSelectionRange(caret, caret);
    hide();
    textarea.dispatchEvent(new Event('input', { bubbles: true }));
  }

  async function update() {
    const upto = textarea.value.slice(0, textarea.selectionStart);
    const m = /(^|[^a-z0-9_.@-])@([a-z0-9_.-]{0,32})$/i.exec(upto);
    if (!m) { hide(); return; }
    query = { start: upto.length - m[2].length - 1, prefix: m[2].toLowerCase() };
    const mine = ++ticket;
    let users = [];
    try { users = await candidates(query.prefix); } catch { users = []; }
    if (mine !== ticket || !query) return;
    if (!users.length) { hide(); return; }
    clear(listbox);
    items = users.slice(0, 8).map((user, i) => {
      const node = el('li', { id: `${id}-${i}`, role: 'option', class: 'mention-option', 'aria-selected': 'false' },
        el('span', { class: 'mention-name', text: user.display_name || user.handle }),
        el('span', { class: 'mention-handle', text: `@${user.handle}` }));
      node.addEventListener('pointerdown', (event) => { event.preventDefault(); insert(user); });
      listbox.append(node);
      return { node, user };
    });
    listbox.hidden = false;
    textarea.setAttribute('aria-expanded', 'true');
    setActive(0);
  }

  textarea.addEventListener('keydown', (event) => {
    if (listbox.hidden || !items.length) return;
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      setActive(active + (event.key === 'ArrowDown' ? 1 : -1));
    } else if ((event.key === 'Enter' && !event.shiftKey) || event.key === 'Tab') {
      event.preventDefault();
      event.stopImmediatePropagation();
      insert(items[active].user);
    } else if (event.key === 'Escape') {
      event.preventDefault();
      event.stopImmediatePropagation();
      hide();
    }
  });
  textarea.addEventListener('input', update);
  textarea.addEventListener('blur', () => setTimeout(hide, 150));
  return listbox;
}
