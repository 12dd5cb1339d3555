// A message box: Enter sends, Shift+Enter adds a line, @ completes names; preview and Markdown help on demand.
import { el, clear, newClientId } from './util.js';
import { attachMentions } from './mention-complete.js';
import { renderPreview, markdownHelp } from './md-preview.js';

let composerCount = 0;
const MAX_HEIGHT_PX = 200;
const HINT = 'Enter to send · Shift+Enter for a new line';

/**
 * Creates a composer. onSend(body, clientId) returns a promise; a failed send puts the text
 * back and keeps its client_id, so sending the same text again cannot post it twice.
 * mentionCandidates(prefix) → promise of users; onEditLast() is called by ↑ in an empty box.
 */
export function createComposer({ label, placeholder, onSend, mentionCandidates, onEditLast, draftKey = null }) {
  const id = `composer-${++composerCount}`;
  const textarea = el('textarea', { id, rows: 1, placeholder, class: 'composer-input', 'aria-describedby': `${id}-hint`, maxlength: 16000 });
  const mentionList = mentionCandidates ? attachMentions(textarea, mentionCandidates) : null;
  const send = el('button', { type: 'submit', class: 'composer-send', text: 'Send' });
  const hint = el('span', { id: `${id}-hint`, class: 'composer-hint', text: HINT });
  const previewButton = el('button', { type: 'button', class: 'composer-tool', 'aria-pressed': 'false', 'aria-controls': `${id}-preview`, text: 'Preview' });
  const helpButton = el('button', { type: 'button', class: 'composer-tool', 'aria-expanded': 'false', 'aria-controls': `${id}-help`, text: 'Markdown help' });
  const preview = el('div', { id: `${id}-preview`, class: 'composer-preview', 'aria-label': 'Preview', role: 'region', hidden: true });
  const help = el('div', { id: `${id}-help`, class: 'composer-help', hidden: true }, markdownHelp());
  const error = el('p', { class: 'composer-error', role: 'alert' });
  const form = el('form', { class: 'composer' },
    el('label', { for: id, class: 'visually-hidden', text: label }),
    preview,
    el('div', { class: 'composer-row' }, textarea, send),
    mentionList,
    el('div', { class: 'composer-meta' }, hint, el('span', { class: 'composer-tools' }, previewButton, helpButton)),
    help, error);
  let failed = null;   // {body, clientId} of the last send that did not go through

  // Drafts survive switching channels and reloading the tab (sessionStorage: this tab only).
  function saveDraft() {
    if (!draftKey) return;
    try {
      if (textarea.value) sessionStorage.setItem(draftKey, textarea.value);
      else sessionStorage.removeItem(draftKey);
    } catch { /* storage full or disabled: drafts are a convenience */ }
  }
  if (draftKey) {
    try { textarea.value = sessionStorage.getItem(draftKey) || ''; } catch { /* see above */ }
  }

  function resize() {
    textarea.style.height = 'auto';
    textarea.style.height = `${Math.min(textarea.scrollHeight + 2, MAX_HEIGHT_PX)}px`;
  }

  function refreshPreview() {
    if (preview.hidden) return;
    clear(preview).append(el('p', { class: 'preview-label', text: 'Preview (the sent post may differ slightly)' }),
      textarea.value.trim() ? renderPreview(textarea.value) : el('p', { class: 'preview-empty', text: 'Nothing to preview yet.' }));
  }

  async function submit() {
    const body = textarea.value;
    if (!body.trim()) return;
    const clientId = failed && failed.body === body ? failed.clientId : newClientId();
    failed = null;
    error.textContent = '';
    textarea.value = '';
    saveDraft();
    resize();
    refreshPreview();
    try {
      await onSend(body, clientId);
    } catch (err) {
      failed = { body, clientId };
      if (!textarea.value) { textarea.value = body; saveDraft(); resize(); refreshPreview(); }
      error.textContent = err && err.message ? `Not sent: ${err.message}` : 'Not sent.';
    }
  }

  textarea.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && !event.shiftKey && !event.isComposing && !event.altKey && !event.ctrlKey && !event.metaKey) {
      event.preventDefault();
      submit();
    } else if (event.key === 'ArrowUp' && !textarea.value && onEditLast) {
      if (onEditLast()) event.preventDefault();
    } else if (event.key === 'Escape' && !preview.hidden) {
      previewButton.click();
    }
  });
  textarea.addEventListener('input', () => {
    saveDraft();
    resize();
    refreshPreview();
    if (error.textContent) error.textContent = '';
  });
  previewButton.addEventListener('click', () => {
    preview.hidden = !preview.hidden;
    previewButton.setAttribute('aria-pressed', String(!preview.hidden));
    refreshPreview();
  });
  helpButton.addEventListener('click', () => {
    help.hidden = !help.hidden;
    helpButton.setAttribute('aria-expanded', String(!help.hidden));
  });
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    submit();
  });

  if (textarea.value) requestAnimationFrame(resize);
  return {
    element: form,
    focus: () => textarea.focus(),
    get textarea() { return textarea; },
  };
}
