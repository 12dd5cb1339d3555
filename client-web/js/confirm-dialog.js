// A modal confirmation (<dialog>): resolves true only when the teacher presses the confirm button.
import { el } from './util.js';

/** Asks `question`; `confirmLabel` names the dangerous button. Escape or Cancel → false. */
export function confirmAction({ title, question, confirmLabel = 'Delete' }) {
  return new Promise((resolve) => {
    const cancel = el('button', { type: 'button', class: 'button-secondary', text: 'Cancel' });
    const confirm = el('button', { type: 'button', class: 'button-danger', text: confirmLabel });
    const dialog = el('dialog', { class: 'modal', 'aria-labelledby': 'confirm-title', 'aria-describedby': 'confirm-text' },
      el('h2', { id: 'confirm-title', class: 'modal-title', text: title }),
      el('p', { id: 'confirm-text', text: question }),
      el('div', { class: 'form-buttons modal-buttons' }, cancel, confirm));
    const previous = document.activeElement;
    let answered = false;
    const finish = (value) => {
      if (answered) return;
      answered = true;
      dialog.close();
      dialog.remove();
      if (previous && previous.isConnected) previous.focus();
      resolve(value);
    };
    cancel.addEventListener('click', () => finish(false));
    confirm.addEventListener('click', () => finish(true));
    dialog.addEventListener('cancel', (event) => { event.preventDefault(); finish(false); });
    document.body.append(dialog);
    dialog.showModal();
    cancel.focus();
  });
}
