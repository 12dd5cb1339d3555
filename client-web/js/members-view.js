// The members dialog: who is in a channel and their roles; owners and moderators invite, remove and (owners) promote.
import { el, clear } from './util.js';
import { settingsForm } from './channel-settings.js';

const ROLE_LABEL = { owner: 'Owner', moderator: 'Moderator', member: 'Member' };

/**
 * Opens a modal for `channel`. api: request(op, fields) → promise (the socket), me (user),
 * onChanged() after an invite/removal.
 */
export function openMembers(channel, { request, me, onChanged, isAdmin = false }) {
  const manage = channel.role === 'owner' || channel.role === 'moderator';
  const list = el('ul', { class: 'member-list', 'aria-label': 'Members' });
  const status = el('p', { class: 'form-error', role: 'alert' });
  const done = el('button', { type: 'button', class: 'button-secondary', text: 'Close' });
  const dialog = el('dialog', { class: 'modal modal-wide', 'aria-labelledby': 'members-title' },
    el('h2', { id: 'members-title', class: 'modal-title', text: `Members of #${channel.slug}` }));
  const previous = document.activeElement;

  if (manage) dialog.append(inviteForm());
  dialog.append(list, status);
  if (manage || isAdmin) {
    dialog.append(el('h3', { class: 'modal-subtitle', text: 'Settings' }),
      settingsForm(channel, { request, canArchive: channel.role === 'owner' || isAdmin, onDone: () => dialog.close() }));
  }
  dialog.append(el('div', { class: 'form-buttons modal-buttons' }, done));
  done.addEventListener('click', () => dialog.close());
  dialog.addEventListener('close', () => { dialog.remove(); if (previous && previous.isConnected) previous.focus(); });
  document.body.append(dialog);
  dialog.showModal();
  refresh();

  async function act(op, fields, what) {
    status.textContent = '';
    try {
      await request(op, { channel_id: channel.id, ...fields });
      onChanged();
      await refresh();
    } catch (error) {
      status.textContent = `Could not ${what}: ${error.message}`;
    }
  }

  async function refresh() {
    let members = [];
    try {
      members = (await request('channel.members', { channel_id: channel.id })).members || [];
    } catch (error) {
      status.textContent = `Could not load the members: ${error.message}`;
      return;
    }
    clear(list).append(...members.map(({ user, role }) => {
      const row = el('li', { class: 'member-row' },
        el('span', { class: 'member-name', text: user.display_name || user.handle }),
        el('span', { class: 'post-handle', text: `@${user.handle}` }),
        el('span', { class: `role-tag role-${role}`, text: ROLE_LABEL[role] || role }));
      const tools = el('span', { class: 'member-actions' });
      row.append(tools);
      const mine = me && user.id === me.id;
      if (channel.role === 'owner' && !mine && role !== 'owner') {
        const next = role === 'moderator' ? 'member' : 'moderator';
        const promote = el('button', { type: 'button', class: 'tool-button', text: next === 'moderator' ? 'Make moderator' : 'Make member' });
        promote.addEventListener('click', () => act('channel.set_role', { user_id: user.id, role: next }, 'change the role'));
        tools.append(promote);
      }
      if (manage && !mine && (channel.role === 'owner' ? role !== 'owner' : role === 'member')) {
        const remove = el('button', { type: 'button', class: 'tool-button tool-danger', 'aria-label': `Remove ${user.display_name || user.handle}`, text: 'Remove' });
        remove.addEventListener('click', () => act('channel.remove', { user_id: user.id }, 'remove them'));
        tools.append(remove);
      }
      return row;
    }));
  }

  function inviteForm() {
    const input = el('input', { type: 'search', id: 'invite-query', autocomplete: 'off', 'aria-describedby': 'invite-hint', 'aria-controls': 'invite-options' });
    const options = el('ul', { id: 'invite-options', class: 'invite-options', 'aria-label': 'Matching people' });
    let ticket = 0;
    input.addEventListener('input', async () => {
      const mine = ++ticket;
      const q = input.value.trim().replace(/^@/, '');
      if (!q) { clear(options); return; }
      let users = [];
      try { users = (await request('user.search', { q, limit: 8 })).users || []; } catch (error) { status.textContent = error.message; }
      if (mine !== ticket) return;
      clear(options).append(...users.map((user) => {
        const invite = el('button', { type: 'button', class: 'tool-button', 'aria-label': `Invite ${user.display_name || user.handle}`, text: 'Invite' });
        invite.addEventListener('click', async () => {
          await act('channel.invite', { user_id: user.id }, 'invite');
          input.value = '';
          clear(options);
          input.focus();
        });
        return el('li', { class: 'member-row' },
          el('span', { class: 'member-name', text: user.display_name || user.handle }),
          el('span', { class: 'post-handle', text: `@${user.handle}` }), invite);
      }));
      if (!users.length) options.append(el('li', { class: 'field-hint', text: 'Nobody matches.' }));
    });
    return el('div', { class: 'field invite-field' },
      el('label', { for: 'invite-query', text: 'Invite someone' }), input,
      el('p', { id: 'invite-hint', class: 'field-hint', text: channel.visibility === 'private'
        ? 'Type a name or handle. Only invited people can see this private channel.'
        : 'Type a name or handle; they join right away.' }),
      options);
  }
}
