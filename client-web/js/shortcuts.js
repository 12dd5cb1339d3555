// Keyboard shortcuts (/, ?, Alt+↑/↓, Esc) and the dialog that lists them.
import { el } from './util.js';

export const SHORTCUTS = [
  ['/', 'Search posts'],
  ['?', 'Show these shortcuts'],
  ['Alt + ↑ / Alt + ↓', 'Previous / next channel'],
  ['Esc', 'Close the thread, the side panel or a menu'],
  ['Enter', 'Send (in a message box)'],
  ['Shift + Enter', 'New line'],
  ['↑ in an empty message box', 'Edit your last post'],
  ['@ then a name', 'Mention a member; ↑/↓ to choose, Enter or Tab to insert'],
  ['Tab / Shift + Tab', 'Move between controls; post actions appear when a post has focus'],
];

export function showShortcuts() {
  if (document.querySelector('dialog.shortcuts')) return;
  const close = el('button', { type: 'button', class: 'button-secondary', text: 'Close' });
  const dialog = el('dialog', { class: 'modal modal-wide shortcuts', 'aria-labelledby': 'shortcuts-title' },
    el('h2', { id: 'shortcuts-title', class: 'modal-title', text: 'Keyboard shortcuts' }),
    el('table', { class: 'shortcut-table' },
      el('tbody', {}, SHORTCUTS.map(([keys, what]) => el('tr', {}, el('th', { scope: 'row' }, el('kbd', { text: keys })), el('td', { text: what }))))),
    el('div', { class: 'form-buttons modal-buttons' }, close));
  const previous = document.activeElement;
  close.addEventListener('click', () => dialog.close());
  dialog.addEventListener('close', () => { dialog.remove(); if (previous && previous.isConnected) previous.focus(); });
  document.body.append(dialog);
  dialog.showModal();
  close.focus();
}

const typing = (target) => target instanceof HTMLElement && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName));

/** actions: {search(), escape() → handled, step(delta)} */
export function installShortcuts(actions) {
  document.addEventListener('keydown', (event) => {
    if (event.defaultPrevented || document.querySelector('dialog[open]')) return;
    if (event.altKey && !event.ctrlKey && !event.metaKey && (event.key === 'ArrowUp' || event.key === 'ArrowDown')) {
      event.preventDefault();
      actions.step(event.key === 'ArrowUp' ? -1 : 1);
      return;
    }
    if (event.key === 'Escape') {
      if (actions.escape()) event.preventDefault();
      return;
    }
    if (typing(event.target) || event.ctrlKey || event.metaKey || event.altKey) return;
    if (event.key === '/') { event.preventDefault(); actions.search(); }
    else if (event.key === '?') { event.preventDefault(); showShortcuts(); }
  });
}
