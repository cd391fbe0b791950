// Manager dashboard: live figures per service and window, alerts, hourly charts, and the manager's
// actions (open/close a window, transfer or cancel a ticket, post or clear a marquee notice).
// Also the hall's machinery: AB岗 reroutes and away windows, the hardware's state (live on device_status,
// failed prints with 补打) and the background workers (alive, scheduler, failed jobs with 全部重试).

import { api, get, post } from './api.js';
import { columnChart, lineChart } from './chart.js';
import { $, $$, debounce, fill, h } from './dom.js';
import { clockDuration, isoClock, minutesText } from './format.js';
import { HallInfo } from './hall.js';
import { applyDom, initI18n, onLangChange, t } from './i18n.js';
import { HallLive } from './live.js';
import { mountNetStatus } from './netstatus.js';
import { primaryWindows } from './routing.js';
import { clearStaff, loadStaff, mountLoginForm } from './session.js';
import { secondsSince } from './time.js';

const body = document.body;
const hall = body.dataset.hall;
const tz = body.dataset.timezone;
// Waits grow with no event at all; re-read the figures this often even in a quiet hall.
const POLL_MS = 15000;
// Charts always show the working day, widened by any hour that had tickets (延时服务).
const DAY_HOURS = [8, 17];

const dash = {
  session: null, info: null, data: null, tickets: [], live: null, state: null, netStatus: null,
  devices: {}, workers: null, prints: new Map(),
};
const KIOSK_KEY = 'bianmin.dash.kiosk';
// Ticket states searched, in this order, when a slip is reprinted by its number.
const REPRINT_STATES = ['waiting', 'called', 'serving', 'done', 'no_show', 'cancelled'];
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

/** Hardware and workers change without hall events worth refetching for; they follow the poll. */
async function refreshMachinery() {
  const [devices, workers] = await Promise.allSettled([
    get(`/halls/${hall}/devices`, { token: token() }),
    get('/workers', { token: token() }),
  ]);
  if (devices.status === 'fulfilled') { dash.devices = devices.value || {}; renderDevices(); }
  if (workers.status === 'fulfilled') { dash.workers = workers.value; renderWorkers(); }
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
  renderRoutes();
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

/** A catalog label, or `fallback` when the catalog has none (a kind added on the server first). */
function label(key, fallback) {
  const text = t(key);
  return text === key ? fallback : text;
}

function renderAlerts() {
  const order = { critical: 0, warning: 1 };
  const alerts = [...(dash.data.alerts || [])].sort((a, b) => (order[a.severity] ?? 2) - (order[b.severity] ?? 2));
  $('#alert-count').textContent = alerts.length;
  $('#alert-count').classList.toggle('hot', alerts.some((a) => a.severity === 'critical'));
  fill($('#alerts'), alerts.length
    ? alerts.map((a) => h('li', { class: `alert alert-${a.severity}`, dataset: { kind: a.kind || '' } },
      h('span', { class: `badge badge-${a.severity}` }, label(`dash.severity.${a.severity}`, a.severity)),
      h('span', { class: 'alert-body' },
        a.kind ? h('span', { class: 'alert-kind' }, label(`dash.alert.kind.${a.kind}`, a.kind)) : null,
        h('span', { class: 'alert-text' }, a.message)),
      a.since ? h('span', { class: 'alert-time num' }, isoClock(a.since, tz)) : null))
    : [h('li', { class: 'alert alert-none' }, t('dash.alerts.none'))]);
}

/** AB岗: services moved to another window, and windows whose staff are away (暂离) with the reason. */
function renderRoutes() {
  const reroutes = Object.entries(dash.data.reroutes || {});
  $('#reroute-count').textContent = reroutes.length;
  fill($('#reroutes'), reroutes.length
    ? reroutes.map(([service, window]) => h('li', { class: 'route-row', dataset: { service, window } },
      h('strong', {}, dash.info.serviceName(service)), ' → ', h('strong', {}, dash.info.windowName(window)),
      h('span', { class: 'muted' }, t('dash.routes.from', {
        windows: dash.info.windowNames(primaryWindows(dash.info, service)).join('、') || '—',
      }))))
    : [h('li', { class: 'muted' }, t('dash.routes.none'))]);
  const away = dash.data.windows.filter((w) => w.state === 'away');
  fill($('#away-windows'), away.length
    ? away.map((w) => h('li', { class: 'away-row', dataset: { window: w.code } },
      h('span', { class: 'badge badge-away' }, t('window.state.away')), ' ',
      h('strong', {}, w.name), ' ', h('span', { class: 'reason' }, w.reason || ''),
      w.state_for_s !== null && w.state_for_s !== undefined ? h('span', { class: 'muted num' }, ` · ${minutesText(w.state_for_s)}`) : null))
    : [h('li', { class: 'muted' }, t('dash.routes.noAway'))]);
}

function deviceProblem(status) {
  if (status.online === false) return status.error || t('dash.device.offline');
  return status.error || null;
}

function renderDevices() {
  const entries = Object.entries(dash.devices || {})
    .sort(([a, sa], [b, sb]) => Number(!deviceProblem(sa || {})) - Number(!deviceProblem(sb || {})) || a.localeCompare(b));
  $('#device-count').textContent = entries.length;
  $('#device-count').classList.toggle('hot', entries.some(([, st]) => deviceProblem(st || {})));
  fill($('#devices'), entries.length
    ? entries.map(([id, st]) => {
      const status = st || {};
      const problem = deviceProblem(status);
      const online = status.online !== false;
      return h('li', { class: `device${problem ? ' device-bad' : ''}`, dataset: { device: id, kind: status.kind || '' } },
        h('span', { class: 'device-name' }, h('strong', {}, id), ' ',
          h('span', { class: 'muted' }, label(`dash.device.kind.${status.kind}`, status.kind || ''))),
        h('span', { class: `badge ${online ? 'badge-open' : 'badge-away'}` }, t(online ? 'dash.device.online' : 'dash.device.offline')),
        status.paper_near_end ? h('span', { class: 'badge badge-warning' }, t('dash.device.paperLow')) : null,
        problem && problem !== t('dash.device.offline') ? h('span', { class: 'device-error' }, problem) : null);
    })
    : [h('li', { class: 'muted' }, t('dash.devices.none'))]);
}

function renderPrints() {
  const rows = [...dash.prints.values()];
  $('#print-problems-box').hidden = rows.length === 0;
  fill($('#print-problems'), rows.map((p) => h('li', { class: `print-row print-${p.status}`, dataset: { number: p.number || '' } },
    h('strong', { class: 'num' }, p.number || '—'), ' ',
    h('span', { class: p.status === 'failed' ? 'device-error' : 'muted' }, p.message || t(`dash.print.${p.status}`)),
    h('button', {
      type: 'button', class: 'btn btn-secondary btn-sm', dataset: { act: 'reprint' },
      onclick: () => reprint(p.ticketId, p.number),
    }, t('dash.reprint.submit')))));
}

function renderWorkers() {
  const w = dash.workers;
  if (!w) return;
  const alive = $('#workers-alive');
  alive.className = `badge ${w.alive ? 'badge-open' : 'badge-critical'}`;
  alive.removeAttribute('data-i18n');
  alive.textContent = w.alive ? t('dash.workers.alive', { n: w.workers.length }) : t('dash.workers.none');
  const sched = $('#scheduler-alive');
  sched.className = `badge ${w.scheduler_alive ? 'badge-open' : 'badge-critical'}`;
  sched.textContent = t(w.scheduler_alive ? 'dash.workers.schedulerAlive' : 'dash.workers.schedulerDown');
  fill($('#workers'), [
    ...w.workers.map((x) => h('li', { class: 'worker-row', dataset: { worker: x.name } },
      h('strong', {}, x.name), ' ', h('span', { class: 'badge' }, x.state || ''), ' ',
      h('span', { class: 'muted' }, (x.queues || []).join(', ')),
      x.last_heartbeat ? h('span', { class: 'muted num' }, ` · ${isoClock(x.last_heartbeat, tz)}`) : null)),
    ...(w.schedulers || []).map((x) => h('li', { class: 'worker-row', dataset: { scheduler: x.name } },
      h('strong', {}, x.name), ' ', h('span', { class: 'muted' }, t('dash.workers.cronJobs', { n: x.jobs }))))]);
  $('#failed-count').textContent = w.failed.length;
  $('#failed-count').classList.toggle('hot', w.failed.length > 0);
  fill($('#failed-jobs'), w.failed.length
    ? w.failed.map((f) => h('li', { class: 'failed-row', dataset: { job: f.id } },
      h('strong', {}, f.func || f.id), ' ', h('span', { class: 'badge' }, f.queue),
      f.ended_at ? h('span', { class: 'muted num' }, ` ${isoClock(f.ended_at, tz)}`) : null,
      f.error ? h('div', { class: 'device-error' }, f.error) : null))
    : [h('li', { class: 'muted' }, t('dash.workers.noFailed'))]);
  $('#requeue').disabled = w.failed.length === 0;
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
  fill($('#windows'), dash.data.windows.map((w) => h('tr', { class: `row-${w.state}`, dataset: { window: w.code } },
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

async function requeueFailed() {
  try {
    const result = await post('/workers/failed/requeue', {}, { token: token() });
    toast('success', t('dash.done.requeued', { n: result.requeued }));
  } catch (err) {
    toast('error', err.message);
  }
  refreshMachinery();
}

/** The ticket id behind a number today: waiting first (the usual case), then the other states. */
async function findTicket(number) {
  const wanted = number.trim().toUpperCase();
  const waiting = dash.tickets.find((tk) => tk.number === wanted);
  if (waiting) return waiting;
  for (const status of REPRINT_STATES.slice(1)) {
    const found = (await get(`/halls/${hall}/tickets?status=${status}`, { token: token() })).find((tk) => tk.number === wanted);
    if (found) return found;
  }
  return null;
}

async function reprint(ticketId, number) {
  const kiosk = $('#reprint-form').kiosk.value.trim();
  if (kiosk) localStorage.setItem(KIOSK_KEY, kiosk);
  try {
    const result = await post(`/halls/${hall}/tickets/${encodeURIComponent(ticketId)}/print`, kiosk ? { kiosk } : {}, { token: token() });
    const status = result.print_status;
    toast(status === 'queued' ? 'success' : 'error', t(status === 'queued' ? 'dash.done.reprinted' : 'dash.done.reprintNoPrinter', { number }));
  } catch (err) {
    toast('error', err.message);
  }
}

async function reprintByNumber(ev) {
  ev.preventDefault();
  const number = ev.target.number.value.trim().toUpperCase();
  if (!number) return;
  try {
    const ticket = await findTicket(number);
    if (!ticket) { toast('error', t('dash.reprint.notFound', { number })); return; }
    await reprint(ticket.id, ticket.number);
    ev.target.number.value = '';
  } catch (err) {
    toast('error', err.message);
  }
}

function onPrintStatus(event) {
  if (!event.ticket_id) return;
  if (event.status === 'failed' || event.status === 'retrying') {
    dash.prints.set(event.ticket_id, { ticketId: event.ticket_id, number: event.number, status: event.status, message: event.message });
  } else {
    dash.prints.delete(event.ticket_id);
  }
  renderPrints();
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
  refreshMachinery();
  dash.live = new HallLive({
    hall,
    token: token(),
    onState: (state) => { dash.state = state; renderNotices(); refreshSoon(); },
    onEvent: (event, state) => {
      dash.state = state;
      if (event.type.startsWith('notice')) renderNotices();
      if (event.type === 'device_status' && event.device) {
        dash.devices = { ...dash.devices, [event.device]: event.status || {} };
        renderDevices();
      }
      if (event.type === 'print_status') onPrintStatus(event);
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
  $('#requeue').addEventListener('click', requeueFailed);
  $('#reprint-form').addEventListener('submit', reprintByNumber);
  $('#reprint-form').kiosk.value = localStorage.getItem(KIOSK_KEY) || '';
  onLangChange(() => { applyDom(); render(); renderDevices(); renderWorkers(); renderPrints(); });
  setInterval(() => { if (dash.session) { refresh(); refreshMachinery(); } }, POLL_MS);
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
