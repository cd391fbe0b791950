// Lobby display: latest call in very large type, recent calls, windows on duty, waiting counts,
// a scrolling marquee, and the voice call for every call and recall. Public view: no ticket ids, and
// staff names masked. AB岗: a rerouted service is announced ("社会保障业务请到6号窗口办理") and stays on the
// routes strip while it lasts; a service nobody can serve now says "暂停办理，请稍候" with its estimate.

import { AlertBook } from './alerts.js';
import { Announcer } from './announcer.js';
import { get } from './api.js';
import { mountClock } from './clock.js';
import { $, debounce, fill, h } from './dom.js';
import { isoClock, maskName, waitText } from './format.js';
import { HallInfo } from './hall.js';
import { initI18n, onLangChange, t } from './i18n.js';
import { HallLive } from './live.js';
import { mountNetStatus } from './netstatus.js';
import { openCount, primaryWindows, reroutedTo, unservedServices } from './routing.js';
import { secondsSince } from './time.js';
import { ALL_CLIPS, serviceClip } from './voice.js';

const body = document.body;
const hall = body.dataset.hall;
const tz = body.dataset.timezone;
// Six rows stay readable from across a hall on a 720p panel; the CSS grid gives each an equal share.
const RECENT_SHOWN = 6;
// Calls missed during a short drop are still worth saying (the resident is probably still in the lobby);
// after two minutes they are shown but not spoken, so a long outage does not end in a burst of stale calls.
const REPLAY_VOICE_S = 120;
const FLASH_MS = 6000;
const MARQUEE_PX_PER_S = 90;
const RESTORED_SHOWN_MS = 60000;
// Estimates (shown for paused services only) change with time alone; re-read them this often meanwhile.
const ESTIMATE_POLL_MS = 30000;
const ESTIMATE_EVENTS = new Set(['ticket_issued', 'ticket_called', 'ticket_updated', 'tickets_rerouted',
  'window_updated', 'window_away', 'alert_raised', 'alert_cleared']);

const display = {
  info: null, state: null, announcer: null, live: null, marqueeText: '',
  alerts: new AlertBook(), estimates: {}, flashService: null, restored: null,
};
window.__display = display;

function render() {
  if (!display.state || !display.info) return;
  renderLatest();
  renderRecent();
  renderWindows();
  renderWaiting();
  renderRoutes();
  renderMarquee();
}

function unserved() { return unservedServices(display.state, display.info, display.alerts.list()); }

/** The strip under the header: services moved to another window (AB岗) and services paused for want of one. */
function renderRoutes() {
  const reroutes = display.state.reroutes || {};
  const paused = unserved();
  const items = [];
  for (const svc of display.state.services) {
    const target = reroutedTo(display.info, reroutes, svc.code);
    if (target && !(svc.code in paused)) {
      items.push(h('li', { class: `route route-moved${display.flashService === svc.code ? ' flash' : ''}`, dataset: { service: svc.code, window: target } },
        t('display.route.moved', { service: svc.name, window: display.info.windowName(target) })));
    }
  }
  const back = display.restored;
  if (back && !(back.service in paused) && !reroutedTo(display.info, reroutes, back.service)) {
    items.push(h('li', { class: `route route-restored${display.flashService === back.service ? ' flash' : ''}`, dataset: { service: back.service, window: back.window } },
      t('display.route.restored', { service: display.info.serviceName(back.service), window: display.info.windowName(back.window) })));
  }
  for (const svc of display.state.services) {
    if (!(svc.code in paused)) continue;
    const estimate = display.estimates[svc.code];
    items.push(h('li', { class: 'route route-paused', dataset: { service: svc.code } },
      t('display.route.paused', { service: svc.name }),
      estimate ? h('span', { class: 'route-wait' }, waitText(estimate)) : null));
  }
  $('#routes').hidden = items.length === 0;
  fill($('#routes-list'), items);
}

function renderLatest() {
  const call = display.state.recent_calls[0];
  const section = $('#latest');
  section.dataset.state = call ? 'call' : 'empty';
  $('#latest-number').textContent = call ? call.number : '—';
  $('#latest-window').textContent = call
    ? t('display.goTo', { window: call.window_name || display.info.windowName(call.window) })
    : t('display.waitingForCall');
  $('#latest-recall').hidden = !(call && call.recall);
}

/** One row per ticket: a recall moves the ticket to the top instead of listing it twice. */
function renderRecent() {
  const seen = new Set();
  const rows = [];
  for (const call of display.state.recent_calls) {
    if (seen.has(call.number)) continue;
    seen.add(call.number);
    rows.push(call);
  }
  fill($('#recent-calls'), rows.slice(0, RECENT_SHOWN).map((call, i) => h('li', {
    class: i === 0 ? 'latest' : null, dataset: { number: call.number, eventId: call.id || '' },
  },
  h('span', { class: 'r-number num' }, call.number),
  h('span', { class: 'r-window' }, call.window_name || display.info.windowName(call.window)),
  call.recall ? h('span', { class: 'r-recall' }, t('display.recall')) : null,
  h('span', { class: 'r-time num' }, isoClock(call.ts, tz)))));
}

function renderWindows() {
  fill($('#windows'), display.state.windows.map((w) => {
    const current = w.current && (w.current.status === 'called' || w.current.status === 'serving') ? w.current.number : null;
    let main;
    if (w.state !== 'open') main = h('span', { class: 'tile-state' }, t(`display.window.${w.state}`));
    else if (current) main = h('span', { class: 'tile-number num' }, current);
    else main = h('span', { class: 'tile-state tile-idle' }, t('display.idle'));
    return h('div', { class: `tile state-${w.state}`, dataset: { window: w.code } },
      h('span', { class: 'tile-name' }, w.name),
      main,
      h('span', { class: 'tile-staff' }, w.staff && w.state !== 'closed' ? maskName(w.staff) : ''));
  }));
}

function renderWaiting() {
  const reroutes = display.state.reroutes || {};
  const paused = unserved();
  fill($('#waiting'), display.state.services.map((s) => {
    const target = reroutedTo(display.info, reroutes, s.code);
    let note = null;
    if (s.code in paused) {
      const estimate = display.estimates[s.code];
      note = h('span', { class: 'wt-note wt-paused' }, t('display.wt.paused'),
        estimate ? ` · ${waitText(estimate)}` : '');
    } else if (target) {
      note = h('span', { class: 'wt-note wt-moved' }, t('display.wt.moved', { window: display.info.windowName(target) }));
    }
    return h('li', { class: s.code in paused ? 'paused' : (target ? 'moved' : null), dataset: { service: s.code } },
      h('span', { class: 'wt-prefix num' }, s.prefix),
      h('span', { class: 'wt-text' }, h('span', { class: 'wt-name' }, s.name), note),
      h('span', { class: 'wt-count num' }, String(s.waiting)),
      h('span', { class: 'wt-unit' }, t('display.people')));
  }));
}

/** Notices first (they are why a marquee exists), then the service guides, then who is on duty. */
function marqueeItems() {
  const items = (display.state.notices || []).filter(Boolean).map((text) => ({ cls: 'notice', text }));
  for (const svc of display.info.services.values()) {
    const g = svc.guide || {};
    const parts = [];
    if ((g.materials || []).length) parts.push(t('display.guide.materials', { list: g.materials.join('、') }));
    if (g.promised_time) parts.push(t('display.guide.promised', { text: g.promised_time }));
    if (g.fee) parts.push(t('display.guide.fee', { text: g.fee }));
    if (parts.length) items.push({ cls: 'guide', text: `【${svc.name}】${parts.join('；')}` });
  }
  const onDuty = display.state.windows.filter((w) => w.state !== 'closed' && w.staff)
    .map((w) => `${w.name} ${maskName(w.staff)}`);
  if (onDuty.length) items.push({ cls: 'duty', text: t('display.onDuty', { list: onDuty.join('、') }) });
  return items;
}

function renderMarquee() {
  const items = marqueeItems();
  const text = items.map((i) => i.text).join('\n');
  if (text === display.marqueeText) return; // do not restart the scroll for unrelated updates
  display.marqueeText = text;
  const track = $('#marquee');
  const copy = () => items.map((i) => h('span', { class: `mq-item mq-${i.cls}` }, i.text));
  // Two copies so the loop is seamless: the animation moves exactly one copy's width.
  fill(track, h('span', { class: 'mq-copy' }, copy()), h('span', { class: 'mq-copy', 'aria-hidden': 'true' }, copy()));
  const width = track.firstChild.getBoundingClientRect().width;
  track.style.animationDuration = `${Math.max(20, width / MARQUEE_PX_PER_S)}s`;
  track.classList.remove('run');
  void track.offsetWidth; // restart the animation from the start
  track.classList.add('run');
}

function flash() {
  const section = $('#latest');
  section.classList.remove('flash');
  void section.offsetWidth;
  section.classList.add('flash');
  clearTimeout(display.flashTimer);
  display.flashTimer = setTimeout(() => section.classList.remove('flash'), FLASH_MS);
}

/**
 * A reroute says where to go now; a restored one says so only when the service's own window is open
 * (a service restored because its window closed for the day has nowhere to send anyone).
 */
function onReroute(event, speak) {
  let target = event.to_window;
  if (!target) {
    const open = primaryWindows(display.info, event.service)
      .filter((code) => openCount(display.state.windows, [code]) > 0);
    target = open[0] || null;
  }
  if (!target) return;
  display.flashService = event.service;
  clearTimeout(display.flashRouteTimer);
  display.flashRouteTimer = setTimeout(() => { display.flashService = null; renderRoutes(); }, FLASH_MS);
  // A moved service stays on the strip as long as it is moved; a restored one is news for a while.
  if (!event.to_window) {
    display.restored = { service: event.service, window: target };
    clearTimeout(display.restoredTimer);
    display.restoredTimer = setTimeout(() => { display.restored = null; renderRoutes(); }, RESTORED_SHOWN_MS);
  }
  renderRoutes();
  if (speak) {
    display.announcer.announceReroute({
      id: event.id, hall, service: event.service, window: target, restored: !event.to_window,
    });
  }
}

function onEvent(event, state, meta) {
  display.state = state;
  display.alerts.apply(event);
  render();
  if (ESTIMATE_EVENTS.has(event.type)) estimatesIfPaused();
  const speak = !meta.replayed || secondsSince(event.ts) <= REPLAY_VOICE_S;
  if (event.type === 'tickets_rerouted' && event.service) { onReroute(event, speak); return; }
  if (event.type !== 'ticket_called' || !event.ticket) return;
  flash();
  if (speak) {
    display.announcer.announce({ id: event.id, number: event.ticket.number, window: event.ticket.window, recall: event.recall });
  }
}

/** Estimated waits per service, as the kiosk and phone pages compute them (the public services list). */
async function refreshEstimates() {
  try {
    const services = await get(`/halls/${encodeURIComponent(hall)}/services`);
    display.estimates = Object.fromEntries(services.map((s) => [s.code, s.estimated_wait_s]));
    if (display.state) { renderWaiting(); renderRoutes(); }
  } catch (err) {
    console.warn('estimates', err);
  }
}
const refreshEstimatesSoon = debounce(refreshEstimates, 1000);

/** Only a paused service shows its estimate: a hall running normally costs no extra requests. */
function estimatesIfPaused() {
  if (display.state && Object.keys(unserved()).length) refreshEstimatesSoon();
}

function renderUnlock() {
  $('#unlock-audio').hidden = !(display.announcer && display.announcer.needsUnlock);
}

async function main() {
  await initI18n();
  mountClock($('#clock'), tz);
  const netStatus = mountNetStatus({ indicator: $('#conn'), banner: $('#net-banner') });
  display.info = await HallInfo.load(hall);
  const serviceClips = [...display.info.services.keys()].map((code) => serviceClip(hall, code));
  display.announcer = new Announcer({ onChange: renderUnlock, clips: [...ALL_CLIPS, ...serviceClips] });
  $('#unlock-audio').addEventListener('click', () => display.announcer.unlock());
  const ready = display.announcer.init();
  display.live = new HallLive({
    hall,
    onState: (state) => { display.state = state; display.alerts.fromSnapshot(state); render(); estimatesIfPaused(); },
    onEvent,
    onStatus: netStatus,
  });
  window.__live = display.live;
  onLangChange(() => { display.marqueeText = ''; render(); });
  await ready;
  display.live.start();
  setInterval(estimatesIfPaused, ESTIMATE_POLL_MS);
}

main();
