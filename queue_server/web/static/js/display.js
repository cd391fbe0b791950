// Lobby display: latest call in very large type, recent calls, windows on duty, waiting counts,
// a scrolling marquee, and the voice call for every call and recall. Public view: no ticket ids, and
// staff names masked.

import { Announcer } from './announcer.js';
import { mountClock } from './clock.js';
import { $, fill, h } from './dom.js';
import { isoClock, maskName } from './format.js';
import { HallInfo } from './hall.js';
import { initI18n, onLangChange, t } from './i18n.js';
import { HallLive } from './live.js';
import { mountNetStatus } from './netstatus.js';
import { secondsSince } from './time.js';

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

const display = { info: null, state: null, announcer: null, live: null, marqueeText: '' };
window.__display = display;

function render() {
  if (!display.state || !display.info) return;
  renderLatest();
  renderRecent();
  renderWindows();
  renderWaiting();
  renderMarquee();
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
  fill($('#waiting'), display.state.services.map((s) => h('li', { dataset: { service: s.code } },
    h('span', { class: 'wt-prefix num' }, s.prefix),
    h('span', { class: 'wt-name' }, s.name),
    h('span', { class: 'wt-count num' }, String(s.waiting)),
    h('span', { class: 'wt-unit' }, t('display.people')))));
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

function onEvent(event, state, meta) {
  display.state = state;
  render();
  if (event.type !== 'ticket_called' || !event.ticket) return;
  flash();
  if (!meta.replayed || secondsSince(event.ts) <= REPLAY_VOICE_S) {
    display.announcer.announce({ id: event.id, number: event.ticket.number, window: event.ticket.window, recall: event.recall });
  }
}

function renderUnlock() {
  $('#unlock-audio').hidden = !(display.announcer && display.announcer.needsUnlock);
}

async function main() {
  await initI18n();
  mountClock($('#clock'), tz);
  const netStatus = mountNetStatus({ indicator: $('#conn'), banner: $('#net-banner') });
  display.info = await HallInfo.load(hall);
  display.announcer = new Announcer({ onChange: renderUnlock });
  $('#unlock-audio').addEventListener('click', () => display.announcer.unlock());
  const ready = display.announcer.init();
  display.live = new HallLive({
    hall,
    onState: (state) => { display.state = state; render(); },
    onEvent,
    onStatus: netStatus,
  });
  window.__live = display.live;
  onLangChange(() => { display.marqueeText = ''; render(); });
  await ready;
  display.live.start();
}

main();
