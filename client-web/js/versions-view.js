// The edit history of a post (post.versions) in a dialog; earlier bodies are shown as plain text.
import { el, formatFullTime } from './util.js';

/** Opens the dialog; request(op, fields) → promise (the socket). */
export async function showVersions(post, request) {
  const list = el('ol', { class: 'version-list' });
  const status = el('p', { class: 'list-status', role: 'status', text: 'Loading…' });
  const close = el('button', { type: 'button', class: 'button-secondary', text: 'Close' });
  const dialog = el('dialog', { class: 'modal modal-wide', 'aria-labelledby': 'versions-title' },
    el('h2', { id: 'versions-title', class: 'modal-title', text: 'Edit history' }), status, list,
    el('div', { class: 'form-buttons modal-buttons' }, close));
  const previous = document.activeElement;
  close.addEventListener('click', () => dialog.close());
  dialog.addEventListener('close', () => { dialog.remove(); if (previous && previous.isConnected) previous.focus(); });
  document.body.append(dialog);
  dialog.showModal();
  close.focus();
  try {
    const versions = (await request('post.versions', { post_id: post.id })).versions || [];
    status.textContent = versions.length ? '' : 'No earlier versions.';
    // Each earlier body was replaced at `edited_at` (some servers call it written_at: when it was written).
    for (const version of versions) {
      const when = version.edited_at || version.written_at;
      list.append(el('li', { class: 'version' },
        el('p', { class: 'version-when', text: when ? (version.edited_at ? `Replaced ${formatFullTime(when)}` : `Written ${formatFullTime(when)}`) : 'Earlier version' }),
        el('div', { class: 'version-body', text: version.body })));
    }
    list.append(el('li', { class: 'version version-current' },
      el('p', { class: 'version-when', text: `Current, edited ${formatFullTime(post.edited_at)}` }),
      el('div', { class: 'version-body', text: post.body })));
  } catch (error) {
    status.textContent = `Could not load the history: ${error.message}`;
  }
}
