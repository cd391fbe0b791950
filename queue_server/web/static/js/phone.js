// The resident's phone page: live place in line, estimated wait, the window once called, and the
// materials checklist (一次性告知). No login: the unguessable ticket id in the URL is the key.
// Public events carry no ticket ids, so on any event that can move this ticket we re-read it by GET.
// AB岗: a rerouted service shows its new window prominently, a service nobody can serve now says so, and
// the near-turn notice (ticket_near_turn for this number) shows "即将叫到您" and vibrates the phone.

import { AlertBook } from './alerts.js';
import { get } from './api.js';
import { $, debounce, fill, h } from './dom.js';
import { isoClock, waitText } from './format.js';
import { HallInfo } from './hall.js';
import { applyDom, initI18n, onLangChange, t } from './i18n.js';
import { HallLive } from './live.js';
import { mountNetStatus } from './netstatus.js';
import { primaryWindows, unservedServices } from './routing.js';
import { serverNow } from './time.js';

const body = document.body;
const hall = body.dataset.hall;
const tz = body.dataset.timezone;
const ticketId = body.dataset.ticket;
const CHECK_KEY = `bianmin.phone.${ticketId}`;
const NEAR_KEY = `bianmin.phone.near.${ticketId}`;
// A backstop for missed events and for estimates that change with time alone.
const POLL_MS = 30000;
const MOVING = new Set(['ticket_issued', 'ticket_called', 'ticket_updated', 'tickets_rerouted', 'window_updated', 'window_away']);

const phone = { info: null, ticket: null, live: null, missing: false, alerts: new AlertBook(), nearService: null };
window.__phone = phone;

async function refresh() {
  try {
    const previous = phone.ticket;
    phone.ticket = await get(`/halls/${hall}/tickets/${encodeURIComponent(ticketId)}`);
    phone.missing = false;
    if (previous && previous.status === 'waiting' && phone.ticket.status === 'called' && navigator.vibrate) {
      navigator.vibrate([300, 150, 300]); // a phone in a pocket: feel the call
    }
  } catch (err) {
    if (err.status === 404) phone.missing = true;
  }
  render();
}
const refreshSoon = debounce(refresh, 600);

/** Windows the ticket may now be called at that are not its service's own: where it was rerouted to. */
function movedTo(tk) {
  const own = primaryWindows(phone.info, tk.service);
  return (tk.windows || []).filter((code) => !own.includes(code));
}

/** Nobody can serve the service now (no open window may call it, or the workers' alert says so). */
function paused(tk) {
  const state = phone.live && phone.live.state;
  if (!state || tk.status !== 'waiting') return false;
  return tk.service in unservedServices(state, phone.info, phone.alerts.list());
}

/** Told "your turn is near" for the service it waits for now (a transfer starts a new wait). */
function isNear(tk) { return phone.nearService === tk.service; }

function renderNotes(tk) {
  const waiting = tk.status === 'waiting';
  $('#near-note').hidden = !(waiting && isNear(tk));
  const moved = waiting && !paused(tk) ? movedTo(tk) : [];
  $('#route-note').hidden = moved.length === 0;
  $('#route-note').textContent = moved.length
    ? t('phone.rerouted', { window: phone.info.windowNames(moved).join('、') }) : '';
}

function render() {
  const card = $('#card');
  if (phone.missing) {
    card.dataset.status = 'missing';
    $('#headline').textContent = t('phone.missing');
    $('#detail').textContent = '';
    $('#facts').hidden = true;
    $('#near-note').hidden = true;
    $('#route-note').hidden = true;
    return;
  }
  const tk = phone.ticket;
  if (!tk || !phone.info) return;
  const isPaused = paused(tk);
  card.dataset.status = isPaused ? 'paused' : tk.status;
  card.classList.toggle('near', tk.status === 'waiting' && isNear(tk));
  $('#number').textContent = tk.number;
  $('#service').textContent = phone.info.serviceName(tk.service);
  const windowName = phone.info.windowName(tk.window);
  const headline = {
    waiting: tk.position === 0 ? t('phone.next') : t('phone.waiting', { n: tk.position ?? 0 }),
    called: t('phone.called', { window: windowName }),
    serving: t('phone.serving', { window: windowName }),
    done: t('phone.done'),
    no_show: t('phone.noShow'),
    cancelled: t('phone.cancelled'),
  }[tk.status] || t(`ticket.status.${tk.status}`);
  $('#headline').textContent = isPaused ? t('phone.paused') : headline;
  $('#detail').textContent = isPaused ? t('phone.pausedHint')
    : tk.status === 'waiting' ? t('phone.waitingHint')
      : tk.status === 'called' ? t('phone.calledHint') : '';
  renderNotes(tk);
  $('#facts').hidden = tk.status !== 'waiting';
  $('#wait').textContent = waitText(tk.estimated_wait_s);
  $('#windows').textContent = phone.info.windowNames(tk.windows).join('、') || '—';
  $('#updated').textContent = t('phone.updated', { time: isoClock(new Date(serverNow()).toISOString(), tz) });
  renderGuide(tk.service);
}

function renderGuide(service) {
  const guide = phone.info.guide(service);
  $('#guide').hidden = !guide;
  if (!guide || $('#guide').dataset.for === service) return;
  $('#guide').dataset.for = service;
  let checked = [];
  try { checked = JSON.parse(localStorage.getItem(CHECK_KEY) || '[]'); } catch (err) { checked = []; }
  fill($('#materials'), (guide.materials || []).map((m) => {
    const box = h('input', { type: 'checkbox', checked: checked.includes(m) ? true : null });
    box.addEventListener('change', () => {
      const now = new Set(JSON.parse(localStorage.getItem(CHECK_KEY) || '[]'));
      if (box.checked) now.add(m); else now.delete(m);
      localStorage.setItem(CHECK_KEY, JSON.stringify([...now]));
    });
    return h('li', {}, h('label', { class: 'check' }, box, h('span', {}, m)));
  }));
  fill($('#steps'), (guide.steps || []).map((s) => h('li', {}, s)));
  $('#promised').textContent = guide.promised_time || '—';
  $('#fee').textContent = guide.fee || '—';
}

/** ticket_near_turn for our number: tell the resident, once, even with the phone in a pocket. */
function onNearTurn(event) {
  const tk = phone.ticket;
  const other = event.ticket || {};
  if (!tk || other.number !== tk.number || (other.service && other.service !== tk.service)) return;
  if (!isNear(tk) && navigator.vibrate) navigator.vibrate([200, 100, 200, 100, 200]);
  phone.nearService = tk.service;
  localStorage.setItem(NEAR_KEY, tk.service);
  render();
}

async function main() {
  await initI18n();
  const netStatus = mountNetStatus({ indicator: $('#conn') });
  phone.nearService = localStorage.getItem(NEAR_KEY);
  phone.info = await HallInfo.load(hall);
  await refresh();
  onLangChange(() => { applyDom(); render(); });
  phone.live = new HallLive({
    hall,
    onState: (state) => { phone.alerts.fromSnapshot(state); render(); refreshSoon(); },
    onEvent: (event) => {
      if (event.type === 'ticket_near_turn') { onNearTurn(event); return; }
      if (phone.alerts.apply(event)) render();
      if (!MOVING.has(event.type)) return;
      render(); // window states changed: whether the service is paused, before the re-read
      // Our own call is urgent; anything else can share one re-read.
      if (event.type === 'ticket_called' && phone.ticket && event.ticket && event.ticket.number === phone.ticket.number) refresh();
      else refreshSoon();
    },
    onStatus: netStatus,
  }).start();
  window.__live = phone.live;
  setInterval(refresh, POLL_MS);
}

main();
