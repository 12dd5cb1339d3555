// HTTP calls for accounts (register, login, logout, session); errors carry the server's message.

/** An error answer from the server: `code` is the protocol's error code. */
export class ApiError extends Error {
  constructor(code, message, status) {
    super(message);
    this.code = code;
    this.status = status;
  }
}

async function call(method, path, body) {
  let response;
  try {
    response = await fetch(path, {
      method,
      credentials: 'same-origin',
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new ApiError('network', 'Cannot reach the server. Check your connection and try again.', 0);
  }
  let data = null;
  try { data = await response.json(); } catch { /* not JSON */ }
  if (!response.ok) {
    const error = data && data.error ? data.error : {};
    throw new ApiError(error.code || 'internal', error.message || `The server answered ${response.status}.`, response.status);
  }
  return data || {};
}

/** POST /api/register → {user, token}; the server also sets the session cookie. */
export function register(handle, password, displayName) {
  const body = { handle, password };
  if (displayName) body.display_name = displayName;
  return call('POST', '/api/register', body);
}

/** POST /api/login → {user, token}. */
export function login(handle, password) {
  return call('POST', '/api/login', { handle, password });
}

/** POST /api/logout; ends the session and its sockets. */
export function logout() {
  return call('POST', '/api/logout', {});
}

/** GET /api/session → the user, or null when the cookie is missing or ended. */
export async function session() {
  try {
    const data = await call('GET', '/api/session');
    return data.user || null;
  } catch (error) {
    if (error.status === 401) return null;
    throw error;
  }
}
