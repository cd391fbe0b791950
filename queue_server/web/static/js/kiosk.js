// Self-service kiosk: big service buttons, ticket screen with QR and print status, elder mode,
// call-a-guide, idle return, and settings behind a staff login (the public must not change them).

import { api, get, post } from './api.js';
import { mountClock } from './clock.js';
import { $, debounce, fill, h } from './dom.js';
import { hoursText, waitText } from './format.js';
import { HallInfo } from './hall.js';
import { applyDom, initI18n, onLangChange, t } from './i18n.js';
import { HallLive } from './live.js';
import { mountLoginForm } from './session.js';

const body = document.body;
const hall = body.dataset.hall;
const STORE = `bianmin.kiosk.${hall}`;
// A printer that has not answered in this long is probably off or absent; tell the resident what to do.
const PRINT_TIMEOUT_MS = 15000;
const HELP_COOLDOWN_MS = 30000;
const SETTINGS_IDLE_MS = 120000;
// Elder mode reverts after this long untouched, so the next resident gets the normal screen.
const ELDER_IDLE_MS = 90000;

const kiosk = {
  config: loadConfig(),
  info: null,
  services: [],
  ticket: null,
  printStatuses: new Map(),
  busy: false,
  live: null,
  countdown: null,
  printTimer: null,
  lastTouch: Date.now(),
};
window.__kiosk = kiosk;

function loadConfig() {
  const defaults = { token: '', name: '', printer: true, idle: 30 };
  try { return { ...defaults, ...JSON.parse(localStorage.getItem(STORE) || '{}') }; } catch (err) { return defaults; }
}

function saveConfig() { localStorage.setItem(STORE, JSON.stringify(kiosk.config)); }

// ---- services -------------------------------------------------------------------------------------

async function refreshServices() {
  try {
    kiosk.services = await get(`/halls/${hall}/services`);
    renderServices();
  } catch (err) {
    console.warn('services', err);
  }
}
const refreshSoon = debounce(refreshServices, 400);

/** Why a service takes no tickets now: a headline and, for opening hours, the hours. */
function closedLines(svc) {
  if (svc.closed_reason === 'quota_reached') return [t('kiosk.closed.quota'), t('kiosk.closed.quotaHint')];
  if (svc.closed_reason === 'outside_hours') return [t('kiosk.closed.hours'), t('kiosk.closed.hoursList', { hours: hoursText(svc.hours) })];
  return [t('kiosk.closed.other'), null];
}

function closedText(svc) { return closedLines(svc).filter(Boolean).join('\n'); }

function renderServices() {
  const configured = Boolean(kiosk.config.token);
  $('#unconfigured').hidden = configured;
  const grid = $('#services');
  grid.hidden = !configured;
  fill(grid, kiosk.services.map((svc) => {
    const closed = !svc.accepting;
    return h('button', {
      type: 'button', class: `svc${closed ? ' svc-closed' : ''}`, 'aria-disabled': closed ? 'true' : null,
      dataset: { service: svc.code }, onclick: () => take(svc),
    },
    h('span', { class: 'svc-prefix', 'aria-hidden': 'true' }, svc.prefix),
    h('span', { class: 'svc-body' },
      h('span', { class: 'svc-name' }, svc.name),
      closed
        ? h('span', { class: 'svc-state' }, closedLines(svc).map((line, i) => line && h('span', { class: i ? 'svc-state-detail' : 'svc-state-title' }, line)))
        : h('span', { class: 'svc-stats' },
          h('span', { class: 'svc-waiting' }, t('kiosk.waiting', { n: svc.waiting })),
          h('span', { class: 'svc-eta' }, waitText(svc.estimated_wait_s))),
      closed ? null : h('span', { class: 'svc-windows' }, kiosk.info ? kiosk.info.windowNames(svc.windows).join(' · ') : '')));
  }));
}

// ---- taking a ticket ------------------------------------------------------------------------------

async function take(svc) {
  touch();
  if (!svc.accepting) { showMessage(closedText(svc)); return; }
  if (kiosk.busy) return; // one tap, one ticket: a double tap must not issue two
  kiosk.busy = true;
  const button = $(`.svc[data-service="${svc.code}"]`);
  if (button) button.classList.add('svc-busy');
  try {
    const ticket = await post(`/halls/${hall}/tickets`, { service: svc.code, priority: 'normal', print: Boolean(kiosk.config.printer) },
      { token: kiosk.config.token });
    showTicket(ticket);
  } catch (err) {
    showMessage(err.status === 401 ? t('kiosk.error.token') : err.message);
    refreshServices();
  } finally {
    kiosk.busy = false;
    if (button) button.classList.remove('svc-busy');
  }
}

function showTicket(ticket) {
  kiosk.ticket = ticket;
  $('#t-number').textContent = ticket.number;
  renderTicket();
  const url = `/t/${encodeURIComponent(ticket.id)}?hall=${encodeURIComponent(hall)}`;
  $('#t-qr').src = `/qr.svg?data=${encodeURIComponent(url)}`;
  $('#ticket').hidden = false;
  $('#home').hidden = true;
  // The server answers "queued" or "no_printer"; print_status events (maybe already here) say the rest.
  const initial = kiosk.config.printer ? (ticket.print_status || 'queued') : 'none';
  setPrint(kiosk.printStatuses.get(ticket.id) || { status: initial });
  armPrintTimer(ticket);
  startCountdown();
  refreshServices();
}

function renderTicket() {
  const ticket = kiosk.ticket;
  if (!ticket) return;
  $('#t-service').textContent = kiosk.info.serviceName(ticket.service);
  $('#t-ahead').textContent = ticket.position === 0 ? t('kiosk.ticket.next') : t('kiosk.ticket.people', { n: ticket.position ?? 0 });
  $('#t-wait').textContent = waitText(ticket.estimated_wait_s);
  $('#t-windows').textContent = kiosk.info.windowNames(ticket.windows).join('、') || '—';
  const guide = kiosk.info.guide(ticket.service);
  fill($('#t-materials'), ((guide && guide.materials) || []).map((m) => h('li', {}, m)));
  const state = $('#print-status').dataset.state;
  if (state) setPrint({ status: state, message: $('#print-status').dataset.message });
}

const PRINT_STATES = ['queued', 'retrying', 'printed', 'failed', 'no_printer', 'unknown', 'none'];

function setPrint({ status, message = '' }) {
  const el = $('#print-status');
  const state = PRINT_STATES.includes(status) ? status : 'queued';
  el.dataset.state = state;
  el.dataset.message = message || '';
  const number = kiosk.ticket ? kiosk.ticket.number : '';
  const text = t(`kiosk.print.${state}`, { number });
  el.textContent = state === 'failed' && message ? `${text}（${message}）` : text;
  $('#reprint').hidden = !(state === 'failed' || state === 'unknown');
}

/** A printer that has not answered in a while is probably off; tell the resident what to do. */
function armPrintTimer(ticket) {
  clearTimeout(kiosk.printTimer);
  kiosk.printTimer = setTimeout(() => {
    const state = $('#print-status').dataset.state;
    if (kiosk.ticket === ticket && (state === 'queued' || state === 'retrying')) setPrint({ status: 'unknown' });
  }, PRINT_TIMEOUT_MS);
}

async function reprint() {
  const ticket = kiosk.ticket;
  if (!ticket) return;
  touch();
  try {
    // No kiosk name: the server finds this kiosk's printer from the device token itself.
    const result = await post(`/halls/${hall}/tickets/${encodeURIComponent(ticket.id)}/print`, {}, { token: kiosk.config.token });
    kiosk.printStatuses.delete(ticket.id);
    setPrint({ status: (result && result.print_status) || 'queued' });
    armPrintTimer(ticket);
  } catch (err) {
    showMessage(err.message);
  }
}

function onPrintStatus(event) {
  kiosk.printStatuses.set(event.ticket_id, event);
  if (kiosk.printStatuses.size > 50) kiosk.printStatuses.delete(kiosk.printStatuses.keys().next().value);
  if (kiosk.ticket && kiosk.config.printer && event.ticket_id === kiosk.ticket.id) {
    if (event.status === 'printed' || event.status === 'failed' || event.status === 'no_printer') clearTimeout(kiosk.printTimer);
    setPrint(event);
  }
}

function startCountdown() {
  clearInterval(kiosk.countdown);
  const seconds = () => Math.max(5, Number(kiosk.config.idle) || 30) * (body.classList.contains('elder') ? 2 : 1);
  const tick = () => {
    const left = Math.ceil(seconds() - (Date.now() - kiosk.lastTouch) / 1000);
    if (left <= 0) { goHome(); return; }
    $('#countdown').textContent = t('kiosk.countdown', { n: left });
  };
  kiosk.lastTouch = Date.now();
  tick();
  kiosk.countdown = setInterval(tick, 500);
}

function goHome() {
  clearInterval(kiosk.countdown);
  clearTimeout(kiosk.printTimer);
  kiosk.ticket = null;
  $('#ticket').hidden = true;
  $('#home').hidden = false;
  $('#message').hidden = true;
  refreshServices();
}

// ---- elder mode, help, messages -------------------------------------------------------------------

function setElder(on) {
  body.classList.toggle('elder', on);
  $('#elder-toggle').setAttribute('aria-pressed', String(on));
}

async function callHelp() {
  touch();
  const button = $('#help');
  if (button.disabled) return;
  button.disabled = true;
  setTimeout(() => { button.disabled = false; }, HELP_COOLDOWN_MS);
  try {
    await post(`/halls/${hall}/help`, kiosk.config.name ? { kiosk: kiosk.config.name } : {}, { token: kiosk.config.token });
    showMessage(t('kiosk.help.sent'));
  } catch (err) {
    // Until the server has a help endpoint (404) the guide desk is still the right place to send people.
    if (err.status === 404) showMessage(t('kiosk.help.sent'));
    else { showMessage(err.message); button.disabled = false; }
  }
}

function showMessage(text) {
  $('#message-text').textContent = text;
  $('#message').hidden = false;
  $('#message-ok').focus();
}

function touch() { kiosk.lastTouch = Date.now(); }

// ---- settings (behind a staff login) --------------------------------------------------------------

function openSettings() {
  $('#settings').hidden = false;
  $('#settings-gate').hidden = false;
  $('#settings-form').hidden = true;
  $('#settings-login').username.focus();
}

function closeSettings() {
  $('#settings').hidden = true;
  $('#settings-form').hidden = true;
}

function showSettingsForm() {
  const form = $('#settings-form');
  form.token.value = kiosk.config.token;
  form.name.value = kiosk.config.name;
  form.printer.checked = Boolean(kiosk.config.printer);
  form.idle.value = kiosk.config.idle;
  $('#settings-error').textContent = '';
  $('#settings-gate').hidden = true;
  form.hidden = false;
}

async function saveSettings(ev) {
  ev.preventDefault();
  const form = ev.target;
  const token = form.token.value.trim();
  const error = $('#settings-error');
  error.textContent = '';
  if (token) {
    try {
      const me = await api('GET', '/auth/me', { token });
      if (me.role !== 'device' || me.kind !== 'kiosk' || me.hall !== hall) {
        error.textContent = t('kiosk.settings.wrongDevice');
        return;
      }
    } catch (err) {
      error.textContent = err.status === 401 ? t('kiosk.error.token') : err.message;
      return;
    }
  }
  const changed = token !== kiosk.config.token;
  kiosk.config = {
    token, name: form.name.value.trim(), printer: form.printer.checked,
    idle: Math.min(600, Math.max(10, Number(form.idle.value) || 30)),
  };
  saveConfig();
  closeSettings();
  // A new token means a new identity on the socket; a reload is the simplest clean restart.
  if (changed) window.location.reload();
  else renderServices();
}

function toggleFullscreen() {
  if (document.fullscreenElement) document.exitFullscreen().catch(() => {});
  else document.documentElement.requestFullscreen().catch(() => {});
}

// ---- start ----------------------------------------------------------------------------------------

function startLive() {
  kiosk.live = new HallLive({
    hall,
    token: kiosk.config.token || null,
    onState: () => refreshSoon(),
    onEvent: (event) => {
      if (event.type === 'print_status') onPrintStatus(event);
      else if (event.type !== 'alert_raised' && event.type !== 'device_status') refreshSoon();
    },
    onStatus: (status) => {
      body.dataset.conn = status;
      if (status === 'refused') {
        $('#unconfigured').hidden = false;
        $('#unconfigured h2').textContent = t('kiosk.error.token');
      }
    },
  }).start();
  window.__live = kiosk.live;
}

async function main() {
  await initI18n();
  mountClock($('#clock'), body.dataset.timezone);
  kiosk.info = await HallInfo.load(hall);
  const notices = kiosk.info.data.notices || [];
  if (notices.length) $('#tip').textContent = notices[0];

  for (const type of ['pointerdown', 'keydown']) document.addEventListener(type, touch, { capture: true });
  $('#elder-toggle').addEventListener('click', () => setElder(!body.classList.contains('elder')));
  $('#help').addEventListener('click', callHelp);
  $('#done').addEventListener('click', goHome);
  $('#reprint').addEventListener('click', reprint);
  $('#message-ok').addEventListener('click', () => { $('#message').hidden = true; });
  $('#open-settings').addEventListener('click', openSettings);
  $('#settings-close').addEventListener('click', closeSettings);
  $('#settings-form').addEventListener('submit', saveSettings);
  $('#fullscreen').addEventListener('click', toggleFullscreen);
  $('#exit-kiosk').addEventListener('click', () => {
    if (document.fullscreenElement) document.exitFullscreen().catch(() => {});
    window.location.href = '/';
  });
  mountLoginForm($('#settings-login'), {
    remember: false,
    accept: ({ user }) => (['admin', 'manager', 'clerk'].includes(user.role) && (user.role === 'admin' || user.hall === hall)
      ? null : 'kiosk.settings.notStaff'),
    onLogin: showSettingsForm,
  });

  onLangChange(() => { renderServices(); renderTicket(); applyDom(); if (!notices.length) $('#tip').textContent = t('kiosk.tip'); });
  // Idle housekeeping: elder mode and open settings do not outlive the person who opened them.
  setInterval(() => {
    const idle = Date.now() - kiosk.lastTouch;
    if (idle > ELDER_IDLE_MS && !kiosk.ticket) setElder(false);
    if (idle > SETTINGS_IDLE_MS && !$('#settings').hidden) closeSettings();
  }, 5000);
  // Opening hours start and end without any event; re-read the services now and then.
  setInterval(refreshServices, 30000);

  await refreshServices();
  startLive();
}

main();
