// Staff sign-in shared by the clerk tablet, the dashboard and the kiosk's settings gate.
// Tokens live in sessionStorage: they survive a reload but not a closed browser on a shared tablet.

import { post } from './api.js';
import { t } from './i18n.js';
import { $ } from './dom.js';

const KEY = 'bianmin.staff';

export function loadStaff() {
  try { return JSON.parse(sessionStorage.getItem(KEY)) || null; } catch (err) { return null; }
}

export function saveStaff(session) { sessionStorage.setItem(KEY, JSON.stringify(session)); }

export function clearStaff() { sessionStorage.removeItem(KEY); }

export async function login(username, password) {
  const data = await post('/auth/login', { username, password });
  return { token: data.token, user: data.user };
}

/**
 * Wire a login <form> (inputs name=username/password, an [data-form-error] element).
 * `accept(session)` returns an error key when the account may not use this screen.
 */
export function mountLoginForm(form, { onLogin, accept = () => null, remember = true }) {
  const error = $('[data-form-error]', form);
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    error.textContent = '';
    const button = $('button[type=submit]', form);
    button.disabled = true;
    try {
      const session = await login(form.username.value.trim(), form.password.value);
      const refused = accept(session);
      if (refused) { error.textContent = t(refused); return; }
      if (remember) saveStaff(session);
      form.password.value = '';
      onLogin(session);
    } catch (err) {
      error.textContent = err.message;
    } finally {
      button.disabled = false;
    }
  });
}
