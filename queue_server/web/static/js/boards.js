// The simulated LED boards of `make run`, drawn like LED boards: lit dots on a dark face, glyphs 16 dots
// high, each board at its own aspect (64×16 window boards, 192×32 strip). What the boards show is read
// once a second through /display/<hall>/boards.json, from the board simulator's state file. A line wider
// than its board scrolls through it; more lines than a board has rows are shown a page at a time.

import { $, fill, h } from './dom.js';
import { timeText } from './format.js';
import { initI18n, onLangChange, t } from './i18n.js';

const body = document.body;
const hall = body.dataset.hall;
const tz = body.dataset.timezone;
const POLL_MS = 1000;
const GLYPH_DOTS = 16;    // the boards' font: 16×16 dots for Chinese, 8×16 for Latin and digits
const PAGE_S = 3;         // how long a page of lines stays up when a board has more lines than rows
const SCROLL_DOTS_PER_S = 24;

const view = { data: null, tick: 0, failed: false };
window.__boards = view;

function rowsOf(board) { return Math.max(1, Math.floor(board.height / GLYPH_DOTS)); }

function label(board) {
  if (board.window_name) return board.window_name;
  if (board.window) return t('boards.window', { window: board.window });
  return board.id ? `${t('boards.strip')} · ${board.id}` : t('boards.strip');
}

/** The lines on the board now: all of them, or the current page when there are more than rows. */
function visibleLines(board) {
  const rows = rowsOf(board);
  const lines = board.lines.length ? board.lines : [''];
  if (lines.length <= rows) return lines;
  const pages = Math.ceil(lines.length / rows);
  const page = Math.floor(view.tick / PAGE_S) % pages;
  return lines.slice(page * rows, page * rows + rows);
}

function boardElement(board) {
  const key = String(board.address);
  let el = $(`#boards [data-address="${CSS.escape(key)}"]`);
  if (!el) {
    el = h('article', { class: 'board', dataset: { address: key } },
      h('header', { class: 'board-head' }, h('strong', { class: 'board-label' }), h('span', { class: 'board-meta muted' })),
      h('div', { class: 'led' }, h('div', { class: 'led-glow' }, h('div', { class: 'led-lit' }))),
      h('p', { class: 'board-text' }));
  }
  return el;
}

function renderBoard(board) {
  const el = boardElement(board);
  el.dataset.window = board.window || '';
  el.classList.toggle('board-strip', !board.window);
  $('.board-label', el).textContent = label(board);
  const meta = [t('boards.meta', { address: board.address, width: board.width, height: board.height })];
  if (board.effect) meta.push(board.effect);
  if (board.mode && board.mode !== 'ack') meta.push(t('boards.mode', { mode: board.mode }));
  $('.board-meta', el).textContent = meta.join(' · ');
  $('.board-text', el).textContent = board.lines.join(' / ');
  const led = $('.led', el);
  el.style.setProperty('--cols', board.width);
  el.style.setProperty('--rows', board.height);
  const lines = visibleLines(board);
  const shown = JSON.stringify(lines);
  if (led.dataset.shown !== shown) {
    led.dataset.shown = shown;
    fill($('.led-lit', el), lines.map((line) => h('div', { class: 'led-line' }, h('span', {}, line))));
    requestAnimationFrame(() => scrollIfWide(led));
  }
  return el;
}

/** A line wider than its board runs through it from right to left, as the boards' "left" effect does. */
function scrollIfWide(led) {
  const dot = led.clientWidth / (Number(getComputedStyle(led).getPropertyValue('--cols')) || 64);
  for (const row of led.querySelectorAll('.led-line')) {
    const span = row.firstChild;
    const wide = span.offsetWidth > row.clientWidth;
    row.classList.toggle('scroll', wide);
    if (wide) row.style.setProperty('--dur', `${((row.clientWidth + span.offsetWidth) / dot / SCROLL_DOTS_PER_S).toFixed(1)}s`);
  }
}

function render() {
  const data = view.data;
  const running = Boolean(data && data.running);
  $('#absent').hidden = running || !data;
  const grid = $('#boards');
  if (!running) { fill(grid); $('#updated').textContent = ''; return; }
  const els = data.boards.map(renderBoard);
  // Re-inserting a board would restart its scrolling; only rebuild the grid when the set changed.
  if (els.length !== grid.children.length || els.some((el, i) => grid.children[i] !== el)) fill(grid, els);
  $('#updated').textContent = data.updated
    ? t('boards.updated', { time: timeText(new Date(data.updated * 1000), tz) }) : '';
}

async function poll() {
  try {
    const response = await fetch(`/display/${encodeURIComponent(hall)}/boards.json`, { cache: 'no-store' });
    if (!response.ok) throw new Error(response.status);
    view.data = await response.json();
    view.failed = false;
  } catch (err) {
    view.failed = true; // keep the last view: the page server may be restarting
  }
  view.tick += 1;
  render();
}

async function main() {
  await initI18n();
  onLangChange(render);
  await poll();
  setInterval(poll, POLL_MS);
}

main();
