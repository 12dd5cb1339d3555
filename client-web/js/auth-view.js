// The sign-in screen: a log-in form and a create-account form, showing the server's error messages.
import * as api from './api.js';
import { el, clear } from './util.js';

function field(id, labelText, input, hintText) {
  input.id = id;
  const parts = [el('label', { for: id, text: labelText }), input];
  if (hintText) {
    input.setAttribute('aria-describedby', `${id}-hint`);
    parts.push(el('p', { id: `${id}-hint`, class: 'field-hint', text: hintText }));
  }
  return el('div', { class: 'field' }, parts);
}

/** Shows the auth forms inside `root`; calls onSignedIn(user) after a successful register or log-in. */
export function showAuth(root, { onSignedIn, notice = '' }) {
  let mode = 'login';

  function render() {
    clear(root);
    const isLogin = mode === 'login';
    const error = el('p', { class: 'form-error', role: 'alert' });
    const handle = el('input', { type: 'text', name: 'handle', autocomplete: 'username', autocapitalize: 'none', spellcheck: 'false', required: true, maxlength: 32 });
    const password = el('input', { type: 'password', name: 'password', autocomplete: isLogin ? 'current-password' : 'new-password', required: true, maxlength: 256 });
    const displayName = el('input', { type: 'text', name: 'display_name', autocomplete: 'name', maxlength: 64 });
    const submit = el('button', { type: 'submit', class: 'button-primary', text: isLogin ? 'Log in' : 'Create account' });
    const form = el('form', { class: 'auth-form', 'aria-labelledby': 'auth-title' },
      el('h2', { id: 'auth-title', text: isLogin ? 'Log in' : 'Create an account' }),
      notice && isLogin ? el('p', { class: 'form-notice', text: notice }) : null,
      field('auth-handle', 'Handle', handle, isLogin ? '' : '3–32 characters: a–z, 0–9, _ . -'),
      isLogin ? null : field('auth-display-name', 'Display name', displayName, 'Optional; how colleagues see you, e.g. “Ana Rivera”.'),
      field('auth-password', 'Password', password, isLogin ? '' : 'At least 8 characters.'),
      error,
      submit);
    const switcher = el('p', { class: 'auth-switch' },
      isLogin ? 'New to Staffroom? ' : 'Already have an account? ',
      el('button', { type: 'button', class: 'link-button', text: isLogin ? 'Create an account' : 'Log in instead' }));
    switcher.querySelector('button').addEventListener('click', () => {
      mode = isLogin ? 'register' : 'login';
      notice = '';
      render();
      root.querySelector('#auth-handle').focus();
    });

    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      error.textContent = '';
      submit.disabled = true;
      submit.textContent = isLogin ? 'Logging in…' : 'Creating account…';
      try {
        const result = isLogin
          ? await api.login(handle.value.trim(), password.value)
          : await api.register(handle.value.trim(), password.value, displayName.value.trim());
        onSignedIn(result.user);
      } catch (err) {
        error.textContent = err.message;
        submit.disabled = false;
        submit.textContent = isLogin ? 'Log in' : 'Create account';
        password.focus();
      }
    });

    root.append(el('div', { class: 'auth-card' },
      el('h1', { class: 'auth-brand', text: 'Staffroom' }),
      el('p', { class: 'auth-tagline', text: 'Where teachers learn together.' }),
      form, switcher));
  }

  render();
}
