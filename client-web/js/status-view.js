// Page-wide status: the connection indicator, the aria-live announcer and a dismissable notice.
const LABELS = {
  idle: '',
  connecting: 'Connecting…',
  connected: 'Connected',
  reconnecting: 'Reconnecting…',
  offline: 'Offline',
};

/** Shows the socket's state ('connecting', 'connected', 'reconnecting', 'offline'). */
export function renderConnection(state) {
  const node = document.getElementById('connection');
  node.dataset.state = state;
  node.querySelector('.connection-label').textContent = LABELS[state] ?? state;
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
