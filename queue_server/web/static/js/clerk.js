// Clerk tablet: log in, sign in at a window, then call and serve with big buttons or the keyboard.
// The server is the judge of every action: buttons are never "helpfully" disabled from a possibly stale
// local view; a refused action shows the server's own message instead.
// AB岗: the tablet sends the clerk's heartbeat, shows a B post's cover request with a one-tap 接管, what the
// window does on behalf of an absent one (代办), and how an away (暂离) window comes back (sign in again).

import { AlertBook } from './alerts.js';
import { ApiError, api, get, post } from './api.js';
import { $, $$, debounce, fill, h } from './dom.js';
import { clockDuration, minutesText } from './format.js';
import { HallInfo } from './hall.js';
import { Heartbeat } from './heartbeat.js';
import { applyDom, initI18n, onLangChange, t } from './i18n.js';
import { HallLive } from './live.js';
import { mountNetStatus } from './netstatus.js';
import { coverableServices, coverage } from './routing.js';
import { clearStaff, loadStaff, mountLoginForm } from './session.js';
import { secondsSince } from './time.js';

const WINDOW_KEY = 'bianmin.clerk.window';
const WAITING_SHOWN = 12;
const STAFF_ROLES = ['clerk', 'manager', 'admin'];

const app = {
  session: null, hall: null, info: null, code: null, view: null, waiting: [], ticket: null,
  live: null, inflight: false, netStatus: null, wasDown: false,
  alerts: new AlertBook(), heartbeat: null, covered: new Set(),
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
  stopHeartbeat();
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
  startHeartbeat();
}

function leaveDesk() {
  stopHeartbeat();
  sessionStorage.removeItem(WINDOW_KEY);
  app.code = null;
}

// ---- heartbeat (AB岗 presence) ----------------------------------------------------------------------

function startHeartbeat() {
  if (!app.heartbeat) {
    app.heartbeat = new Heartbeat(async () => {
      if (!app.code) return null;
      try {
        const reply = await post(`/halls/${app.hall}/windows/${app.code}/heartbeat`, {}, { token: token() });
        // A window brought back (or closed) elsewhere: show the server's state, not ours.
        if (app.view && reply && reply.state !== app.view.state) refreshView().catch(() => {});
        return reply;
      } catch (err) {
        if (err.status === 401) logout(t('clerk.login.expired'));
        else if (err.status === 409 || err.status === 403) refreshView().catch(() => {});
        throw err;
      }
    });
  }
  app.heartbeat.start();
}

function stopHeartbeat() { if (app.heartbeat) app.heartbeat.stop(); }

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
    leaveDesk();
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
  renderBanners();

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
  const own = (app.view && app.view.services) || [];
  const items = app.waiting.slice(0, WAITING_SHOWN).map((tk) => h('li', { dataset: { number: tk.number } },
    h('span', { class: 'w-number num' }, tk.number),
    h('span', { class: 'w-service' }, app.info.serviceName(tk.service)),
    own.length > 0 && !own.includes(tk.service) ? h('span', { class: 'badge badge-cover' }, t('clerk.waiting.covering')) : null,
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
  if (view.state === 'away') text = t('clerk.next.away');
  else if (view.state === 'paused') text = t('clerk.next.paused');
  else if (view.state !== 'open') text = t('clerk.next.closed');
  else if (first && cur) text = t('clerk.next.finishAndCall', { current: cur.number, number: first.number, service: app.info.serviceName(first.service) });
  else if (first) text = t('clerk.next.call', { number: first.number, service: app.info.serviceName(first.service) });
  else if (cur) text = t('clerk.next.finishOnly', { current: cur.number });
  else text = t('clerk.next.nobody');
  el.textContent = text;
}

// ---- AB岗 banners: cover requests, 代办, away ----------------------------------------------------------

function serviceNames(codes) { return codes.map((c) => app.info.serviceName(c)).join('、'); }

function liveWindow(code) {
  const state = app.live && app.live.state;
  return state ? state.windows.find((w) => w.code === code) : null;
}

/** Cover requests aimed at this window whose absent window is still away and not yet taken over here. */
function openCoverRequests() {
  if (!app.code || !app.view || app.view.state !== 'open') return [];
  const reroutes = (app.live && app.live.state && app.live.state.reroutes) || {};
  return app.alerts.filter((a) => a.kind === 'cover_request' && a.window === app.code && a.device).filter((a) => {
    const absent = liveWindow(a.device);
    if (absent && absent.state !== 'away') return false;
    if (app.covered.has(a.device)) return false;
    const services = coverableServices(app.info, a.device, app.code);
    return services.length > 0 && !services.every((s) => reroutes[s] === app.code);
  });
}

function renderBanners() {
  if (!app.view || !app.info) return;
  const requests = openCoverRequests();
  fill($('#cover-requests'), requests.map((a) => h('div', { class: 'banner banner-cover', dataset: { absent: a.device } },
    h('div', { class: 'banner-text' },
      h('strong', {}, t('clerk.cover.title', { window: app.info.windowName(a.device) })),
      h('span', {}, t('clerk.cover.hint', { services: serviceNames(coverableServices(app.info, a.device, app.code)) }))),
    h('button', {
      type: 'button', class: 'btn btn-xl btn-warn', dataset: { cover: a.device }, onclick: () => cover(a.device),
    }, t('clerk.cover.take')))));

  const away = app.view.state === 'away';
  $('#away-banner').hidden = !away;
  $('#away-title').textContent = away ? t('clerk.away.title', { reason: app.view.reason || t('window.state.away') }) : '';

  const reroutes = (app.live && app.live.state && app.live.state.reroutes) || {};
  const covering = coverage(app.info, reroutes, app.code);
  $('#covering').hidden = covering.length === 0;
  fill($('#covering'), covering.map((c) => h('p', { dataset: { from: c.from } },
    t('clerk.covering', { window: app.info.windowName(c.from), services: serviceNames(c.services) }))));

  const any = requests.length > 0 || away || covering.length > 0;
  $('#banners').hidden = !any;
  $('#desk-view').classList.toggle('has-banners', any);
}

async function cover(absent) {
  if (app.inflight || !app.code) return;
  app.inflight = true;
  try {
    const result = await post(`/halls/${app.hall}/windows/${app.code}/cover`, { window: absent }, { token: token() });
    app.covered.add(absent);
    const services = (result && result.services) || [];
    feedback('success', t('clerk.fb.covered', {
      window: app.info.windowName(absent),
      services: serviceNames(services.length ? services : coverableServices(app.info, absent, app.code)),
    }));
    renderBanners();
    refreshWaiting();
  } catch (err) {
    feedback('error', err.message);
    if (err instanceof ApiError && err.status === 401) logout(t('clerk.login.expired'));
  } finally {
    app.inflight = false;
  }
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
  open: 'clerk.fb.back',
};

async function act(action, body) {
  if (app.inflight || !app.code) return;
  // One request at a time: a double press must never call two residents (Novo SGA #213).
  app.inflight = true;
  $$('.act').forEach((b) => b.classList.add('busy'));
  let result;
  try {
    result = await post(`/halls/${app.hall}/windows/${app.code}/${action}`, body, { token: token() });
    if (action === 'close') {
      feedback('info', '');
      leaveDesk();
      await showChoice();
      return;
    }
  } catch (err) {
    feedback('error', err.message);
    if (err instanceof ApiError && err.status === 401) logout(t('clerk.login.expired'));
    return;
  } finally {
    app.inflight = false;
    $$('.act').forEach((b) => b.classList.remove('busy'));
  }
  // The action is done: from here the next press may go while the tablet re-reads its window.
  if (action === 'next') {
    if (result === null) feedback('info', t('clerk.fb.nobody'));
    else feedback('success', t('clerk.fb.called', { number: result.number, window: app.view.name }));
  } else if (action === 'transfer') {
    feedback('success', t('clerk.fb.transferred', { number: result.number, service: app.info.serviceName(result.service) }));
  } else {
    feedback('success', t(SUCCESS[action], { number: result && result.number ? result.number : '' }));
  }
  try {
    await refreshView();
  } catch (err) {
    console.warn('window', err);
  }
  refreshWaiting();
  if (action === 'open' && app.heartbeat) app.heartbeat.beat();
}

/** Paused: resume. Away (暂离): signing in again at the window is what brings it back. */
function resumeOrReturn() {
  act(app.view && app.view.state === 'away' ? 'open' : 'resume');
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
  resume: resumeOrReturn,
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
const BANNER_EVENTS = new Set(['tickets_rerouted', 'window_updated', 'window_away', 'alert_raised', 'alert_cleared']);

function startLive() {
  if (app.live) return;
  app.live = new HallLive({
    hall: app.hall,
    token: token(),
    onState: (state) => {
      app.alerts.fromSnapshot(state);
      const view = app.code && state.windows.find((w) => w.code === app.code);
      if (view && !$('#desk-view').hidden) setView(view);
      refreshWaitingSoon();
    },
    onEvent: (event) => {
      if (app.alerts.apply(event) && event.type === 'alert_cleared' && event.alert.kind === 'cover_request') {
        app.covered.delete(event.alert.device);
      }
      if (event.window && event.window.code === app.code && !$('#desk-view').hidden && !app.inflight) setView(event.window);
      if (WAITING_EVENTS.has(event.type)) refreshWaitingSoon();
      if (BANNER_EVENTS.has(event.type)) renderBanners();
    },
    onStatus: (status) => {
      app.netStatus(status);
      if (status === 'refused') logout(t('clerk.login.expired'));
      // Back online: say at once that the clerk is still here, before the window counts as unattended.
      if (status === 'live' && app.code && app.heartbeat && app.heartbeat.running) app.heartbeat.beat();
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
  $('#back-to-post').addEventListener('click', () => act('open'));
  $('#logout').addEventListener('click', () => logout());
  document.addEventListener('keydown', onKey);
  onLangChange(() => { applyDom(); renderDesk(); renderWaiting(); renderBanners(); if (!$('#choose-view').hidden) showChoice(); });
  setInterval(() => { tickTimer(); if (app.waiting.length) renderWaiting(); }, 1000);

  const session = loadStaff();
  if (session) await afterLogin(session).catch((err) => feedback('error', err.message));
  else show('login-view');
}

main();
