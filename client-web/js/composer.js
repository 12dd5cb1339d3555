// A message box: Enter sends, Shift+Enter adds a line; each new message gets a fresh client_id.
import { el, newClientId } from './util.js';

let composerCount = 0;
const MAX_HEIGHT_PX = 200;

/**
 * Creates a composer. onSend(body, clientId) returns a promise; while it is pending the
 * message shows as sending. A failed send puts the text back and keeps its client_id, so
 * sending the same text again cannot post it twice.
 */
export function createComposer({ label, placeholder, onSend }) {
  const id = `composer-${++composerCount}`;
  const textarea = el('textarea', { id, rows: 1, placeholder, class: 'composer-input', 'aria-describedby': `${id}-hint` });
  const send = el('button', { type: 'submit', class: 'composer-send', text: 'Send' });
  const hint = el('p', { id: `${id}-hint`, class: 'composer-hint', text: 'Enter to send · Shift+Enter for a new line' });
  const error = el('p', { class: 'composer-error', role: 'alert' });
  const form = el('form', { class: 'composer' },
    el('label', { for: id, class: 'visually-hidden', text: label }),
    el('div', { class: 'composer-row' }, textarea, send),
    hint, error);
  let failed = null;   // {body, clientId} of the last send that did not go through
  let sending = 0;

  function resize() {
    textarea.style.height = 'auto';
    textarea.style.height = `${Math.min(textarea.scrollHeight + 2, MAX_HEIGHT_PX)}px`;
  }

  async function submit() {
    const body = textarea.value;
    if (!body.trim()) return;
    const clientId = failed && failed.body === body ? failed.clientId : newClientId();
    failed = null;
    error.textContent = '';
    textarea.value = '';
    resize();
    sending += 1;
    form.classList.add('is-sending');
    hint.textContent = 'Sending…';
    try {
      await onSend(body, clientId);
    } catch (err) {
      failed = { body, clientId };
      if (!textarea.value) { textarea.value = body; resize(); }
      error.textContent = err && err.message ? `Not sent: ${err.message}` : 'Not sent.';
    } finally {
      sending -= 1;
      if (!sending) {
        form.classList.remove('is-sending');
        hint.textContent = 'Enter to send · Shift+Enter for a new line';
      }
    }
  }

  textarea.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && !event.shiftKey && !event.isComposing && !event.altKey && !event.ctrlKey && !event.metaKey) {
      event.preventDefault();
      submit();
    }
  });
  textarea.addEventListener('input', () => {
    resize();
    if (error.textContent) error.textContent = '';
  });
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    submit();
  });

  return {
    element: form,
    focus: () => textarea.focus(),
  };
}
