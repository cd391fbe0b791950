// Manager dashboard: live figures per service and window, alerts, hourly charts, and the manager's
// actions (open/close a window, transfer or cancel a ticket, post or clear a marquee notice).

import { api, get, post } from './api.js';
import { columnChart, lineChart } from './chart.js';
import { $, $$, debounce, fill, h } from './dom.js';
import { clockDuration, isoClock, minutesText } from './format.js';
import { HallInfo } from './hall.js';
import { applyDom, initI18n, onLangChange, t } from './i18n.js';
import { HallLive } from './live.js';
import { mountNetStatus } from './netstatus.js';
import { clearStaff, loadStaff, mountLoginForm } from './session.js';
import { secondsSince } from './time.js';

const body = document.body;
const hall = body.dataset.hall;
const tz = body.dataset.timezone;
// Waits grow with no event at all; re-read the figures this often even in a quiet hall.
const POLL_MS = 15000;
// Charts always show the working day, widened by any hour that had tickets (延时服务).
const DAY_HOURS = [8, 17];

const dash = { session: null, info: null, data: null, tickets: [], live: null, state: null, netStatus: null };
window.__dashboard = dash;
const token = () => dash.session && dash.session.token;

// ---- loading ----------------------------------------------------------------------------------------

async function refresh() {
  try {
    const [data, tickets] = await Promise.all([
      get(`/halls/${hall}/dashboard`, { token: token() }),
      get(`/halls/${hall}/tickets?status=waiting`, { token: token() }),
    ]);
    dash.data = data;
    dash.tickets = tickets;
    render();
  } catch (err) {
    if (err.status === 401 || err.status === 403) logout(err.message);
    else toast('error', err.message);
  }
}
const refreshSoon = debounce(refresh, 500);

function render() {
  if (!dash.data) return;
  renderKpis();
  renderCharts();
  renderAlerts();
  renderServices();
  renderWindows();
  renderTickets();
  renderNotices();
  $('#updated').textContent = t('dash.updated', { time: isoClock(dash.data.generated_at, tz) });
}

function sum(list, key) { return list.reduce((acc, x) => acc + (Number(x[key]) || 0), 0); }

function renderKpis() {
  const { services, windows } = dash.data;
  $('#kpi-waiting').textContent = sum(services, 'waiting');
  $('#kpi-issued').textContent = sum(services, 'issued_today');
  $('#kpi-served').textContent = sum(services, 'served_today');
  $('#kpi-noshow').textContent = sum(services, 'no_show_today');
  // Average over services weighted by how many of their tickets have been called so far.
  let weight = 0;
  let total = 0;
  for (const s of services) {
    const called = Math.max(0, (s.issued_today || 0) - (s.waiting || 0));
    if (s.avg_wait_s !== null && s.avg_wait_s !== undefined && called) { weight += called; total += s.avg_wait_s * called; }
  }
  $('#kpi-wait').textContent = weight ? minutesText(total / weight) : '—';
  const open = windows.filter((w) => w.state === 'open').length;
  $('#kpi-windows').textContent = `${open} / ${windows.length}`;
  const longest = Math.max(0, ...services.map((s) => s.longest_wait_s || 0));
  $('[data-kpi="waiting"]').classList.toggle('kpi-alert', services.some((s) => s.wait_alert_s && longest >= s.wait_alert_s));
}

function renderCharts() {
  const rows = dash.data.hourly || [];
  const hours = rows.map((r) => r.hour);
  const first = Math.min(DAY_HOURS[0], ...hours);
  const last = Math.max(DAY_HOURS[1], ...hours);
  const byHour = new Map(rows.map((r) => [r.hour, r]));
  const labels = [];
  const arrivals = [];
  const served = [];
  const waits = [];
  for (let hr = first; hr <= last; hr += 1) {
    const row = byHour.get(hr);
    labels.push(String(hr));
    arrivals.push(row ? row.arrivals : 0);
    served.push(row ? row.served : 0);
    waits.push(row && row.avg_wait_s !== null && row.avg_wait_s !== undefined && row.arrivals ? Math.round(row.avg_wait_s / 60) : null);
  }
  fill($('#chart-arrivals'), columnChart(labels, [
    { name: t('dash.chart.arrivalsSeries'), values: arrivals, cls: 'c-arrivals' },
    { name: t('dash.chart.servedSeries'), values: served, cls: 'c-served' },
  ]));
  fill($('#chart-waits'), lineChart(labels, { name: t('dash.chart.waitSeries'), values: waits, cls: 'c-wait', unit: '′' }));
}

function renderAlerts() {
  const alerts = dash.data.alerts || [];
  $('#alert-count').textContent = alerts.length;
  $('#alert-count').classList.toggle('hot', alerts.some((a) => a.severity === 'critical'));
  fill($('#alerts'), alerts.length
    ? alerts.map((a) => h('li', { class: `alert alert-${a.severity}` },
      h('span', { class: `badge badge-${a.severity}` }, t(`dash.severity.${a.severity}`)),
      h('span', { class: 'alert-text' }, a.message),
      a.since ? h('span', { class: 'alert-time num' }, isoClock(a.since, tz)) : null))
    : [h('li', { class: 'alert alert-none' }, t('dash.alerts.none'))]);
}

function renderServices() {
  fill($('#services'), dash.data.services.map((s) => {
    const hot = s.wait_alert_s && s.longest_wait_s >= s.wait_alert_s;
    const busy = s.warn_waiting && s.waiting >= s.warn_waiting;
    return h('tr', { dataset: { service: s.code } },
      h('td', {}, h('strong', {}, s.name)),
      h('td', { class: `n${busy ? ' warn' : ''}` }, String(s.waiting)),
      h('td', { class: `n${hot ? ' warn' : ''}` }, s.waiting ? minutesText(s.longest_wait_s) : '—'),
      h('td', { class: 'n' }, String(s.issued_today)),
      h('td', { class: 'n' }, String(s.served_today)),
      h('td', { class: 'n' }, String(s.no_show_today)),
      h('td', { class: 'n' }, minutesText(s.avg_wait_s)),
      h('td', { class: 'n' }, minutesText(s.avg_service_s)),
      h('td', { class: 'n' }, String(s.open_windows ?? '—')));
  }));
}

function renderWindows() {
  fill($('#windows'), dash.data.windows.map((w) => h('tr', { dataset: { window: w.code } },
    h('td', {}, h('strong', {}, w.name)),
    h('td', {}, h('span', { class: `badge badge-${w.state}` }, t(`window.state.${w.state}`))),
    h('td', {}, w.staff || '—'),
    h('td', {}, w.current ? h('span', { class: 'num cur' }, w.current.number, ' ', h('small', { class: 'muted' }, t(`ticket.status.${w.current.status}`))) : '—'),
    h('td', { class: 'n', dataset: { since: w.current ? w.current.since || '' : '' } }, w.current ? clockDuration(secondsSince(w.current.since)) : '—'),
    h('td', { class: 'n' }, String(w.served_today ?? 0)),
    h('td', { class: 'reason' }, w.reason || ''),
    h('td', { class: 'row-actions' }, w.state === 'closed'
      ? h('button', { type: 'button', class: 'btn btn-secondary btn-sm', dataset: { act: 'open' }, onclick: () => openWindow(w) }, t('dash.act.open'))
      : h('button', { type: 'button', class: 'btn btn-secondary btn-sm danger', dataset: { act: 'close' }, onclick: () => closeWindow(w) }, t('dash.act.close'))))));
}

function renderTickets() {
  $('#ticket-count').textContent = dash.tickets.length;
  $('#tickets-empty').hidden = dash.tickets.length > 0;
  const services = [...dash.info.services.values()];
  fill($('#tickets'), dash.tickets.slice(0, 50).map((tk) => {
    const select = h('select', { class: 'sel-sm', 'aria-label': t('dash.act.transferTo') },
      services.filter((s) => s.code !== tk.service).map((s) => h('option', { value: s.code }, s.name)));
    return h('tr', { dataset: { ticket: tk.id, number: tk.number } },
      h('td', {}, h('strong', { class: 'num' }, tk.number), tk.priority === 'green' ? h('span', { class: 'badge badge-green' }, t('clerk.green')) : null),
      h('td', {}, dash.info.serviceName(tk.service)),
      h('td', { class: 'n' }, minutesText(secondsSince(tk.issued_at))),
      h('td', { class: 'row-actions' }, select,
        h('button', { type: 'button', class: 'btn btn-secondary btn-sm', dataset: { act: 'transfer' }, onclick: () => transferTicket(tk, select.value) }, t('dash.act.transfer')),
        h('button', { type: 'button', class: 'btn btn-secondary btn-sm danger', dataset: { act: 'cancel' }, onclick: () => cancelTicket(tk) }, t('dash.act.cancel'))));
  }));
}

function postedNotices() {
  if (!dash.state) return [];
  const configured = dash.state.config_notices || [];
  return (dash.state.notices || []).filter((n) => n && !configured.includes(n));
}

function renderNotices() {
  const posted = postedNotices();
  $('#notice-clear').disabled = posted.length === 0;
  fill($('#notices'), posted.length
    ? posted.map((n) => h('li', { class: 'notice-posted' }, n))
    : [h('li', { class: 'muted' }, t('dash.notices.none'))]);
}

// ---- actions ----------------------------------------------------------------------------------------

function toast(kind, text) {
  const el = $('#toast');
  el.dataset.kind = kind;
  el.textContent = text;
  el.hidden = false;
  clearTimeout(toast.timer);
  toast.timer = setTimeout(() => { el.hidden = true; }, kind === 'error' ? 8000 : 4000);
}

/** A small confirm dialog; resolves with the typed value (or '' without input), or null if cancelled. */
function confirmDialog({ title, text, input = null }) {
  return new Promise((resolve) => {
    const dialog = $('#confirm-dialog');
    const form = $('#confirm-form');
    $('#confirm-title').textContent = title;
    $('#confirm-text').textContent = text;
    $('#confirm-input-label').hidden = !input;
    $('#confirm-input-name').textContent = input || '';
    form.value.value = '';
    dialog.hidden = false;
    const done = (value) => {
      dialog.hidden = true;
      form.onsubmit = null;
      $('#confirm-cancel').onclick = null;
      resolve(value);
    };
    form.onsubmit = (ev) => { ev.preventDefault(); done(form.value.value.trim()); };
    $('#confirm-cancel').onclick = () => done(null);
    (input ? form.value : $('button[type=submit]', form)).focus();
  });
}

async function run(promise, success) {
  try {
    await promise;
    toast('success', success);
    refresh();
  } catch (err) {
    toast('error', err.message);
  }
}

async function openWindow(w) {
  const staff = await confirmDialog({ title: t('dash.open.title', { window: w.name }), text: t('dash.open.text'), input: t('dash.open.staff') });
  if (staff === null) return;
  run(post(`/halls/${hall}/windows/${w.code}/open`, staff ? { staff } : {}, { token: token() }), t('dash.done.opened', { window: w.name }));
}

async function closeWindow(w) {
  const ok = await confirmDialog({ title: t('dash.close.title', { window: w.name }), text: t('dash.close.text') });
  if (ok === null) return;
  run(post(`/halls/${hall}/windows/${w.code}/close`, {}, { token: token() }), t('dash.done.closed', { window: w.name }));
}

function transferTicket(tk, service) {
  run(post(`/halls/${hall}/tickets/${encodeURIComponent(tk.id)}/transfer`, { service }, { token: token() }),
    t('dash.done.transferred', { number: tk.number, service: dash.info.serviceName(service) }));
}

async function cancelTicket(tk) {
  const reason = await confirmDialog({ title: t('dash.cancel.title', { number: tk.number }), text: t('dash.cancel.text'), input: t('dash.cancel.reason') });
  if (reason === null) return;
  run(post(`/halls/${hall}/tickets/${encodeURIComponent(tk.id)}/cancel`, reason ? { reason } : {}, { token: token() }),
    t('dash.done.cancelled', { number: tk.number }));
}

async function postNotice(ev) {
  ev.preventDefault();
  const text = ev.target.text.value.trim();
  if (!text) return;
  try {
    await post(`/halls/${hall}/notices`, { text }, { token: token() });
    ev.target.text.value = '';
    toast('success', t('dash.done.noticePosted'));
  } catch (err) {
    toast('error', err.message);
  }
}

async function clearNotices() {
  const ok = await confirmDialog({ title: t('dash.notices.clear'), text: t('dash.notices.clearText') });
  if (ok === null) return;
  try {
    await api('DELETE', `/halls/${hall}/notices`, { token: token() });
    toast('success', t('dash.done.noticesCleared'));
  } catch (err) {
    toast('error', err.message);
  }
}

// ---- session and live -------------------------------------------------------------------------------

function show(view) {
  $('#login-view').hidden = view !== 'login';
  $('#dash-view').hidden = view !== 'dash';
  $('#logout').hidden = view !== 'dash';
}

function logout(message = '') {
  if (dash.session) api('POST', '/auth/logout', { token: token() }).catch(() => {});
  clearStaff();
  dash.session = null;
  if (dash.live) dash.live.disconnect();
  dash.live = null;
  show('login');
  $('#login [data-form-error]').textContent = message;
}

async function start(session) {
  dash.session = session;
  show('dash');
  await refresh();
  dash.live = new HallLive({
    hall,
    token: token(),
    onState: (state) => { dash.state = state; renderNotices(); refreshSoon(); },
    onEvent: (event, state) => {
      dash.state = state;
      if (event.type.startsWith('notice')) renderNotices();
      refreshSoon();
    },
    onStatus: (status) => { dash.netStatus(status); if (status === 'refused') logout(t('clerk.login.expired')); },
  }).start();
  window.__live = dash.live;
}

async function main() {
  await initI18n();
  dash.netStatus = mountNetStatus({ indicator: $('#conn'), banner: $('#net-banner') });
  dash.info = await HallInfo.load(hall);
  mountLoginForm($('#login'), {
    accept: ({ user }) => ((user.role === 'admin' || (user.role === 'manager' && user.hall === hall)) ? null : 'dash.login.notManager'),
    onLogin: start,
  });
  $('#logout').addEventListener('click', () => logout());
  $('#notice-form').addEventListener('submit', postNotice);
  $('#notice-clear').addEventListener('click', clearNotices);
  onLangChange(() => { applyDom(); render(); });
  setInterval(() => { if (dash.session) refresh(); }, POLL_MS);
  // Time on the current ticket ticks every second without a round trip.
  setInterval(() => {
    for (const cell of $$('#windows td[data-since]')) if (cell.dataset.since) cell.textContent = clockDuration(secondsSince(cell.dataset.since));
  }, 1000);
  const session = loadStaff();
  const user = session && session.user;
  if (user && (user.role === 'admin' || (user.role === 'manager' && user.hall === hall))) await start(session);
  else show('login');
}

main();
