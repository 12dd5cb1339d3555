// Channel settings for owners and moderators: title and description (channel.update), archive (channel.archive).
import { el } from './util.js';
import { confirmAction } from './confirm-dialog.js';

/** A form for the members dialog; request(op, fields) → promise; canArchive: owner or admin. */
export function settingsForm(channel, { request, canArchive, onDone }) {
  const title = el('input', { type: 'text', id: 'settings-title', maxlength: 80, required: true });
  const description = el('textarea', { id: 'settings-description', rows: 2, maxlength: 500 });
  title.value = channel.title || '';
  description.value = channel.description || '';
  const error = el('p', { class: 'form-error', role: 'alert' });
  const save = el('button', { type: 'submit', class: 'button-primary', text: 'Save changes' });
  const archive = el('button', { type: 'button', class: 'button-secondary', text: channel.archived ? 'Restore channel' : 'Archive channel' });
  const form = el('form', { class: 'channel-settings', 'aria-label': 'Channel settings' },
    el('div', { class: 'field' }, el('label', { for: 'settings-title', text: 'Title' }), title),
    el('div', { class: 'field' }, el('label', { for: 'settings-description', text: 'Description' }), description),
    error,
    el('div', { class: 'form-buttons' }, save, canArchive ? archive : null));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    error.textContent = '';
    save.disabled = true;
    try {
      await request('channel.update', { channel_id: channel.id, title: title.value.trim(), description: description.value.trim() });
      onDone('Saved.');
    } catch (err) {
      error.textContent = err.message;
    } finally {
      save.disabled = false;
    }
  });
  archive.addEventListener('click', async () => {
    const archiving = !channel.archived;
    if (archiving && !(await confirmAction({ title: `Archive #${channel.slug}?`, question: 'Nobody can post, edit, react or join any more; everyone can still read it. You can restore it later.', confirmLabel: 'Archive' }))) return;
    try {
      await request('channel.archive', { channel_id: channel.id, archived: archiving });
      onDone(archiving ? 'Archived.' : 'Restored.');
    } catch (err) {
      error.textContent = err.message;
    }
  });
  return form;
}
