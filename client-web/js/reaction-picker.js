// A small emoji picker for reactions: a popover of common emojis, arrow keys to move, Escape to close.
import { el } from './util.js';

export const EMOJIS = [
  ['👍', 'thumbs up'], ['❤️', 'heart'], ['😂', 'laughing'], ['🎉', 'party'],
  ['🙏', 'thank you'], ['👀', 'looking'], ['✅', 'done'], ['💡', 'idea'],
];

let open = null;   // {popover, anchor, onKey, onDown}

export function closePicker({ restoreFocus = true } = {}) {
  if (!open) return;
  const { popover, anchor, onDown } = open;
  open = null;
  document.removeEventListener('pointerdown', onDown, true);
  popover.remove();
  anchor.setAttribute('aria-expanded', 'false');
  if (restoreFocus && anchor.isConnected) anchor.focus();
}

/** Opens the picker next to `anchor`; onPick(emoji) is called with the chosen one. */
export function openPicker(anchor, onPick) {
  const wasSame = open && open.anchor === anchor;
  closePicker({ restoreFocus: false });
  if (wasSame) return;
  const buttons = EMOJIS.map(([emoji, name]) => {
    const button = el('button', { type: 'button', class: 'picker-emoji', role: 'menuitem', 'aria-label': `React with ${name}`, title: name, text: emoji });
    button.addEventListener('click', () => { closePicker(); onPick(emoji); });
    return button;
  });
  const popover = el('div', { class: 'reaction-picker', role: 'menu', 'aria-label': 'Pick a reaction' }, buttons);
  popover.addEventListener('keydown', (event) => {
    const index = buttons.indexOf(document.activeElement);
    const moves = { ArrowRight: 1, ArrowDown: 4, ArrowLeft: -1, ArrowUp: -4 };
    if (event.key in moves) {
      event.preventDefault();
      buttons[(index + moves[event.key] + buttons.length) % buttons.length].focus();
    } else if (event.key === 'Escape') {
      event.preventDefault();
      event.stopPropagation();
      closePicker();
    } else if (event.key === 'Tab') {
      closePicker({ restoreFocus: false });
    }
  });
  const onDown = (event) => { if (!popover.contains(event.target) && event.target !== anchor) closePicker({ restoreFocus: false }); };
  document.addEventListener('pointerdown', onDown, true);
  document.body.append(popover);
  const rect = anchor.getBoundingClientRect();
  const width = popover.offsetWidth;
  const height = popover.offsetHeight;
  const left = Math.max(8, Math.min(rect.right - width, window.innerWidth - width - 8));
  const top = rect.bottom + height + 8 > window.innerHeight ? rect.top - height - 4 : rect.bottom + 4;
  popover.style.left = `${left + window.scrollX}px`;
  popover.style.top = `${Math.max(8, top) + window.scrollY}px`;
  anchor.setAttribute('aria-expanded', 'true');
  open = { popover, anchor, onDown };
  buttons[0].focus();
}
