// Inline editing of one's own post: a textarea in place of the body; Enter saves, Escape cancels.
import { el } from './util.js';

/**
 * Replaces the body of `article` with an editor for `post`. onSave(body) → promise; the editor
 * stays open with the error if it fails. onDone() runs after saving or cancelling.
 */
export function editInPlace(article, post, { onSave, onDone }) {
  const body = article.querySelector('.post-body');
  if (!body || article.querySelector('.post-editor')) return;
  const id = `edit-${post.id}`;
  const input = el('textarea', { id, class: 'editor-input', rows: 3, 'aria-describedby': `${id}-hint` });
  input.value = post.body;
  const error = el('p', { class: 'composer-error', role: 'alert' });
  const save = el('button', { type: 'submit', class: 'button-primary', text: 'Save' });
  const cancel = el('button', { type: 'button', class: 'button-secondary', text: 'Cancel' });
  const form = el('form', { class: 'post-editor' },
    el('label', { for: id, class: 'visually-hidden', text: 'Edit your post' }),
    input,
    el('p', { id: `${id}-hint`, class: 'composer-hint', text: 'Enter to save · Shift+Enter for a new line · Escape to cancel' }),
    error,
    el('div', { class: 'form-buttons' }, save, cancel));
  body.hidden = true;
  body.after(form);
  article.classList.add('is-editing');

  const close = () => {
    form.remove();
    body.hidden = false;
    article.classList.remove('is-editing');
    onDone();
  };
  const submit = async () => {
    const text = input.value;
    if (!text.trim()) { error.textContent = 'A post cannot be empty. Use Delete to remove it.'; return; }
    if (text === post.body) { close(); return; }
    save.disabled = true;
    try {
      await onSave(text);
      close();
    } catch (err) {
      error.textContent = `Not saved: ${err.message}`;
      save.disabled = false;
    }
  };
  input.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) { event.preventDefault(); submit(); }
    if (event.key === 'Escape') { event.preventDefault(); event.stopPropagation(); close(); }
  });
  form.addEventListener('submit', (event) => { event.preventDefault(); submit(); });
  cancel.addEventListener('click', close);
  input.focus();
  input.setSelectionRange(input.value.length, input.value.length);
}
