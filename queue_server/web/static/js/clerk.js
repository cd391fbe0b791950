// Clerk tablet: log in, sign in at a window, then call and serve with big buttons or the keyboard.
// The server is the judge of every action: buttons are never "helpfully" disabled from a possibly stale
// local view; a refused action shows the server's own message instead.

import { ApiError, api, get, post } from './api.js';
import { $, $$, debounce, fill, h } from './dom.js';
import { clockDuration, minutesText } from './format.js';
import { HallInfo } from './hall.js';
import { applyDom, initI18n, onLangChange, t } from './i18n.js';
import { HallLive } from './live.js';
import { mountNetStatus } from './netstatus.js';
import { clearStaff, loadStaff, mountLoginForm } from './session.js';
import { secondsSince } from './time.js';

const WINDOW_KEY = 'bianmin.clerk.window';
const WAITING_SHOWN = 12;
const STAFF_ROLES = ['clerk', 'manager', 'admin'];

const app = {
  session: null, hall: null, info: null, code: null, view: null, waiting: [], ticket: null,
  live: null, inflight: false, netStatus: null, wasDown: false,
};
window.__clerk = app;

const token = () => app.session && app.session.token;

function show(view) {
  for (const id of ['login-view', 'choose-view', 'desk-view']) $(`#${id}`).hidden = id !== view;
  $('#logout').hidden = view === 'login-view';
  $('#state-badge').hidden = view !== 'desk-view';
}

// ---- login and window choice ----------------------------------------------------------------------

function hallFor(user) {
  const wanted = new URLSearchParams(window.location.search).get('hall');
  const halls = (document.body.dataset.halls || '').split(',').filter(Boolean);
  if (user.hall) return user.hall;
  return halls.includes(wanted) ? wanted : halls[0];
}

async function afterLogin(session) {
  app.session = session;
  app.hall = hallFor(session.user);
  try {
    await api('GET', '/auth/me', { token: token() });
    app.info = await HallInfo.load(app.hall);
  } catch (err) {
    if (err.status === 401) { logout(t('clerk.login.expired')); return; }
    throw err;
  }
  startLive();
  const windows = await get(`/halls/${app.hall}/windows`, { token: token() });
  const saved = sessionStorage.getItem(WINDOW_KEY);
  const mine = windows.find((w) => w.state !== 'closed' && isMe(w.staff) && (!saved || w.code === saved))
    || windows.find((w) => w.state !== 'closed' && isMe(w.staff));
  if (mine) enterDesk(mine);
  else renderChoice(windows);
}

function isMe(staff) {
  const user = app.session.user;
  return Boolean(staff) && (staff === user.name || staff === user.username);
}

function renderChoice(windows) {
  show('choose-view');
  $('#subtitle').textContent = `${app.info.name} · ${app.session.user.name}`;
  $('#choose-error').textContent = '';
  fill($('#window-grid'), windows.map((w) => h('button', {
    type: 'button', class: `window-card state-${w.state}`, dataset: { window: w.code },
    onclick: () => signIn(w.code),
  },
  h('span', { class: 'wc-name' }, w.name),
  h('span', { class: 'wc-services' }, w.services.map((s) => app.info.serviceName(s)).join(' · ')),
  (w.backup || []).length ? h('span', { class: 'wc-backup' }, t('clerk.choose.backup', { services: w.backup.map((s) => app.info.serviceName(s)).join('、') })) : null,
  h('span', { class: `badge badge-${w.state}` }, t(`window.state.${w.state}`), w.staff ? ` · ${w.staff}` : ''))));
}

async function showChoice() {
  const windows = await get(`/halls/${app.hall}/windows`, { token: token() });
  renderChoice(windows);
}

async function signIn(code) {
  $('#choose-error').textContent = '';
  try {
    const view = await post(`/halls/${app.hall}/windows/${code}/open`, {}, { token: token() });
    enterDesk(view);
  } catch (err) {
    $('#choose-error').textContent = err.message;
  }
}

async function logout(message) {
  if (app.session) api('POST', '/auth/logout', { token: token() }).catch(() => {});
  clearStaff();
  sessionStorage.removeItem(WINDOW_KEY);
  if (app.live) app.live.disconnect();
  app.live = null;
  app.session = null;
  show('login-view');
  $('#subtitle').textContent = '';
  $('#login [data-form-error]').textContent = message || '';
}

// ---- the desk -------------------------------------------------------------------------------------

function enterDesk(view) {
  app.code = view.code;
  sessionStorage.setItem(WINDOW_KEY, view.code);
  show('desk-view');
  setView(view);
  refreshWaiting();
}

function setView(view) {
  const previousId = app.view && app.view.current && app.view.current.id;
  app.view = view;
  const currentId = view.current && view.current.id;
  if (currentId !== previousId) {
    app.ticket = null;
    if (currentId) loadTicket(currentId);
  }
  if (view.state === 'closed' && $('#desk-view').hidden === false && !app.inflight) {
    // Closed from elsewhere (the manager's dashboard, or this clerk on another device).
    feedback('info', t('clerk.fb.closedRemotely'));
    sessionStorage.removeItem(WINDOW_KEY);
    showChoice();
    return;
  }
  renderDesk();
}

async function loadTicket(id) {
  try {
    const ticket = await get(`/halls/${app.hall}/tickets/${encodeURIComponent(id)}`);
    if (app.view && app.view.current && app.view.current.id === id) {
      app.ticket = ticket;
      renderDesk();
    }
  } catch (err) {
    console.warn('ticket', err);
  }
}

async function refreshView() {
  const windows = await get(`/halls/${app.hall}/windows`, { token: token() });
  const view = windows.find((w) => w.code === app.code);
  if (view) setView(view);
}

async function refreshWaiting() {
  if (!app.code) return;
  try {
    app.waiting = await get(`/halls/${app.hall}/tickets?status=waiting&window=${encodeURIComponent(app.code)}`, { token: token() });
    renderWaiting();
    renderNext();
  } catch (err) {
    if (err.status === 401) logout(t('clerk.login.expired'));
  }
}
const refreshWaitingSoon = debounce(refreshWaiting, 250);

function renderDesk() {
  const view = app.view;
  if (!view) return;
  $('#subtitle').textContent = `${view.name} · ${app.session.user.name}`;
  const badge = $('#state-badge');
  badge.className = `badge state-badge badge-${view.state}`;
  badge.textContent = t(`window.state.${view.state}`) + (view.reason ? ` · ${view.reason}` : '');
  $('[data-action="pause"]').hidden = view.state === 'paused' || view.state === 'away';
  $('[data-action="resume"]').hidden = !(view.state === 'paused' || view.state === 'away');

  const cur = view.current;
  $('#cur-number').textContent = cur ? cur.number : '';
  $('#cur-service').textContent = cur ? app.info.serviceName(cur.service) : '';
  $('#cur-status').hidden = !cur;
  if (cur) {
    $('#cur-status').className = `badge badge-${cur.status === 'serving' ? 'open' : 'paused'}`;
    $('#cur-status').textContent = t(`ticket.status.${cur.status}`);
  }
  $('#cur-green').hidden = !(app.ticket && app.ticket.priority === 'green');
  $('#cur-empty').hidden = Boolean(cur);
  renderGuide(cur ? cur.service : null, cur ? cur.id : null);
  tickTimer();
  renderNext();
}

function renderGuide(service, ticketId) {
  const guide = service ? app.info.guide(service) : null;
  const box = $('#guide');
  box.hidden = !guide;
  if (!guide) { box.dataset.for = ''; return; }
  // The checklist is per ticket: ticking it for A001 must not carry over to A002.
  if (box.dataset.for === `${ticketId}`) return;
  box.dataset.for = `${ticketId}`;
  fill($('#materials'), (guide.materials || []).map((m, i) => h('li', {},
    h('label', { class: 'check' }, h('input', { type: 'checkbox', id: `mat-${i}` }), h('span', {}, m)))));
  fill($('#steps'), (guide.steps || []).map((s) => h('li', {}, s)));
  $('#promised').textContent = guide.promised_time || '—';
  $('#fee').textContent = guide.fee || '—';
  $('#basis').textContent = guide.legal_basis || '—';
}

function tickTimer() {
  const cur = app.view && app.view.current;
  $('#cur-timer').textContent = cur ? clockDuration(secondsSince(cur.since)) : '';
}

function renderWaiting() {
  $('#waiting-count').textContent = String(app.waiting.length);
  $('#waiting-empty').hidden = app.waiting.length > 0;
  const items = app.waiting.slice(0, WAITING_SHOWN).map((tk) => h('li', { dataset: { number: tk.number } },
    h('span', { class: 'w-number num' }, tk.number),
    h('span', { class: 'w-service' }, app.info.serviceName(tk.service)),
    tk.priority === 'green' ? h('span', { class: 'badge badge-green' }, t('clerk.green')) : null,
    h('span', { class: 'w-waited' }, minutesText(secondsSince(tk.issued_at)))));
  if (app.waiting.length > WAITING_SHOWN) items.push(h('li', { class: 'more' }, t('clerk.waiting.more', { n: app.waiting.length - WAITING_SHOWN })));
  fill($('#waiting-list'), items);
}

/** Tell the clerk what the next press of "next" will do, so there are no surprises. */
function renderNext() {
  const view = app.view;
  if (!view) return;
  const el = $('#next-text');
  const cur = view.current;
  const first = app.waiting[0];
  let text;
  if (view.state === 'paused' || view.state === 'away') text = t('clerk.next.paused');
  else if (view.state !== 'open') text = t('clerk.next.closed');
  else if (first && cur) text = t('clerk.next.finishAndCall', { current: cur.number, number: first.number, service: app.info.serviceName(first.service) });
  else if (first) text = t('clerk.next.call', { number: first.number, service: app.info.serviceName(first.service) });
  else if (cur) text = t('clerk.next.finishOnly', { current: cur.number });
  else text = t('clerk.next.nobody');
  el.textContent = text;
}

// ---- actions --------------------------------------------------------------------------------------

function feedback(kind, text) {
  const el = $('#feedback');
  el.dataset.kind = kind;
  el.textContent = text;
}

const SUCCESS = {
  recall: 'clerk.fb.recalled', start: 'clerk.fb.started', finish: 'clerk.fb.finished',
  'no-show': 'clerk.fb.noShow', pause: 'clerk.fb.paused', away: 'clerk.fb.away', resume: 'clerk.fb.resumed',
};

async function act(action, body) {
  if (app.inflight || !app.code) return;
  // One request at a time: a double press must never call two residents (Novo SGA #213).
  app.inflight = true;
  $$('.act').forEach((b) => b.classList.add('busy'));
  try {
    const result = await post(`/halls/${app.hall}/windows/${app.code}/${action}`, body, { token: token() });
    if (action === 'next') {
      if (result === null) feedback('info', t('clerk.fb.nobody'));
      else feedback('success', t('clerk.fb.called', { number: result.number, window: app.view.name }));
    } else if (action === 'transfer') {
      feedback('success', t('clerk.fb.transferred', { number: result.number, service: app.info.serviceName(result.service) }));
    } else if (action === 'close') {
      feedback('info', '');
      sessionStorage.removeItem(WINDOW_KEY);
      app.code = null;
      await showChoice();
      return;
    } else {
      feedback('success', t(SUCCESS[action], { number: result && result.number ? result.number : '' }));
    }
    await refreshView();
    refreshWaiting();
  } catch (err) {
    feedback('error', err.message);
    if (err instanceof ApiError && err.status === 401) logout(t('clerk.login.expired'));
  } finally {
    app.inflight = false;
    $$('.act').forEach((b) => b.classList.remove('busy'));
  }
}

function openDialog(id) {
  $(`#${id}`).hidden = false;
  const first = $(`#${id} input, #${id} .choice-grid button`);
  if (first) first.focus();
}

function closeDialogs() { $$('.modal').forEach((m) => { m.hidden = true; }); }

function openTransfer() {
  const cur = app.view && app.view.current;
  fill($('#transfer-services'), [...app.info.services.values()]
    .filter((s) => !cur || s.code !== cur.service)
    .map((s) => h('button', {
      type: 'button', class: 'btn btn-secondary', dataset: { service: s.code },
      onclick: () => { closeDialogs(); act('transfer', { service: s.code }); },
    }, `${s.prefix} · ${s.name}`)));
  openDialog('transfer-dialog');
}

function openPause() {
  $('#pause-form').reason.value = '';
  $('#pause-form').away.checked = false;
  openDialog('pause-dialog');
}

const HANDLERS = {
  next: () => act('next'),
  recall: () => act('recall'),
  start: () => act('start'),
  finish: () => act('finish'),
  'no-show': () => act('no-show'),
  transfer: openTransfer,
  pause: openPause,
  resume: () => act('resume'),
  close: () => openDialog('close-dialog'),
};

const KEYS = { n: 'next', ' ': 'next', r: 'recall', s: 'start', f: 'finish', x: 'no-show', t: 'transfer', q: 'close' };

function onKey(ev) {
  if (ev.key === 'Escape') { closeDialogs(); return; }
  if (ev.ctrlKey || ev.metaKey || ev.altKey || $('#desk-view').hidden) return;
  if ($$('.modal').some((m) => !m.hidden)) return;
  if (ev.target.closest('input, textarea, select')) return;
  const key = ev.key.toLowerCase();
  let action = KEYS[key];
  if (key === 'p') action = app.view && (app.view.state === 'paused' || app.view.state === 'away') ? 'resume' : 'pause';
  if (!action) return;
  ev.preventDefault();
  HANDLERS[action]();
}

// ---- live updates ---------------------------------------------------------------------------------

const WAITING_EVENTS = new Set(['ticket_issued', 'ticket_called', 'ticket_updated', 'tickets_rerouted', 'window_updated', 'window_away']);

function startLive() {
  if (app.live) return;
  app.live = new HallLive({
    hall: app.hall,
    token: token(),
    onState: (state) => {
      const view = app.code && state.windows.find((w) => w.code === app.code);
      if (view && !$('#desk-view').hidden) setView(view);
      refreshWaitingSoon();
    },
    onEvent: (event) => {
      if (event.window && event.window.code === app.code && !$('#desk-view').hidden && !app.inflight) setView(event.window);
      if (WAITING_EVENTS.has(event.type)) refreshWaitingSoon();
    },
    onStatus: (status) => {
      app.netStatus(status);
      if (status === 'refused') logout(t('clerk.login.expired'));
    },
  }).start();
  window.__live = app.live;
}

// ---- start ----------------------------------------------------------------------------------------

async function main() {
  await initI18n();
  app.netStatus = mountNetStatus({ indicator: $('#conn'), banner: $('#net-banner') });
  mountLoginForm($('#login'), {
    accept: ({ user }) => (STAFF_ROLES.includes(user.role) ? null : 'clerk.login.notStaff'),
    onLogin: (session) => afterLogin(session).catch((err) => feedback('error', err.message)),
  });
  for (const button of $$('.act')) button.addEventListener('click', () => HANDLERS[button.dataset.action]());
  $$('[data-close]').forEach((b) => b.addEventListener('click', closeDialogs));
  $$('#pause-reasons [data-reason-key]').forEach((b) => b.addEventListener('click', () => {
    $('#pause-form').reason.value = t(b.dataset.reasonKey);
  }));
  $('#pause-form').addEventListener('submit', (ev) => {
    ev.preventDefault();
    const form = ev.target;
    closeDialogs();
    act(form.away.checked ? 'away' : 'pause', { reason: form.reason.value.trim() });
  });
  $('#close-confirm').addEventListener('click', () => { closeDialogs(); act('close'); });
  $('#logout').addEventListener('click', () => logout());
  document.addEventListener('keydown', onKey);
  onLangChange(() => { applyDom(); renderDesk(); renderWaiting(); if (!$('#choose-view').hidden) showChoice(); });
  setInterval(() => { tickTimer(); if (app.waiting.length) renderWaiting(); }, 1000);

  const session = loadStaff();
  if (session) await afterLogin(session).catch((err) => feedback('error', err.message));
  else show('login-view');
}

main();
