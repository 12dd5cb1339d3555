// Page-wide status: the connection indicator, the aria-live announcer, a dismissable notice and toasts.
import { el } from './util.js';

const LABELS = {
  idle: '',
  connecting: 'Connecting…',
  connected: 'Connected',
  reconnecting: 'Reconnecting…',
  offline: 'Offline',
};

let connectionState = 'idle';
let queued = 0;

function drawConnection() {
  const node = document.getElementById('connection');
  node.dataset.state = connectionState;
  const waiting = queued > 0 && connectionState !== 'connected' ? ` · ${queued} waiting to send` : '';
  node.querySelector('.connection-label').textContent = (LABELS[connectionState] ?? connectionState) + waiting;
  node.title = connectionState === 'connected' ? 'Connected to the server'
    : 'Not connected: what you write is kept and sent when the connection returns';
}

/** Shows the socket's state ('connecting', 'connected', 'reconnecting', 'offline'). */
export function renderConnection(state) {
  connectionState = state;
  drawConnection();
}

/** Shows how many posts wait for the connection. */
export function renderQueue(count) {
  queued = count;
  drawConnection();
}

let announceTimer = null;

/** Reads `text` to screen-reader users politely (new posts, people joining). */
export function announce(text) {
  const region = document.getElementById('announcer');
  clearTimeout(announceTimer);
  region.textContent = '';
  announceTimer = setTimeout(() => { region.textContent = text; }, 50);
}

/** A short message under the top bar (an operation failed); the close button dismisses it. */
export function showNotice(text) {
  const notice = document.getElementById('notice');
  notice.querySelector('.notice-text').textContent = text;
  notice.hidden = false;
  if (!notice.dataset.wired) {
    notice.dataset.wired = 'yes';
    notice.querySelector('button').addEventListener('click', () => { notice.hidden = true; });
  }
}

/** A toast in the corner for 8 s (mentions, invitations); action: {label, run} adds a button. */
export function showToast(text, action = null) {
  const box = document.getElementById('toasts');
  const close = el('button', { type: 'button', class: 'icon-button toast-close', 'aria-label': 'Dismiss', text: '×' });
  const toast = el('div', { class: 'toast' }, el('p', { class: 'toast-text', text }));
  let timer = null;
  const dismiss = () => { clearTimeout(timer); toast.remove(); };
  if (action) {
    const button = el('button', { type: 'button', class: 'button-secondary toast-action', text: action.label });
    button.addEventListener('click', () => { dismiss(); action.run(); });
    toast.append(button);
  }
  toast.append(close);
  close.addEventListener('click', dismiss);
  toast.addEventListener('focusin', () => clearTimeout(timer));
  box.append(toast);
  while (box.children.length > 3) box.firstElementChild.remove();
  timer = setTimeout(dismiss, 8000);
}
