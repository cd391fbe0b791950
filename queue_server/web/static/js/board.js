// A window board (窗口屏) on any screen that can open a page, e.g. the Android LCD screen above a window:
// exactly what the window's LED board shows ("A012 请到3号窗口", "暂停服务" or the window's name, by
// boards/layout.py::window_lines, mirrored in boardtext.js), live over Socket.IO with the shared resync
// rules. Public view, no login. A dropped connection keeps the last text, as an LED board does.

import { windowLines } from './boardtext.js';
import { $, fill, h } from './dom.js';
import { initI18n } from './i18n.js';
import { HallLive } from './live.js';
import { mountNetStatus } from './netstatus.js';

const body = document.body;
const hall = body.dataset.hall;
const code = body.dataset.window;
// The text fills this share of the screen at most, like the margins of a real board.
const FILL_W = 0.94;
const FILL_H = 0.78;

const board = { live: null, window: null, lines: [] };
window.__board = board;

/** The window as the live state has it; a window never opened is closed, as on the LED board. */
function currentWindow(state) {
  return (state && state.windows.find((w) => w.code === code)) || { code, name: body.dataset.windowName, state: 'closed' };
}

function render(state) {
  const win = currentWindow(state);
  const lines = windowLines(win);
  board.window = win;
  $('#board').dataset.state = win.state || 'closed';
  if (lines.join('\n') === board.lines.join('\n')) return;
  board.lines = lines;
  fill($('#board-face'), lines.map((line) => h('p', { class: 'wb-line' }, line)));
  fit();
}

/** The largest font that keeps every line on one row inside the screen. */
function fit() {
  const face = $('#board-face');
  const rows = [...face.children];
  if (!rows.length) return;
  const width = face.clientWidth * FILL_W;
  let size = Math.floor((face.clientHeight * FILL_H) / rows.length);
  face.style.fontSize = `${size}px`;
  const widest = Math.max(...rows.map((r) => r.scrollWidth));
  if (widest > width) size = Math.floor((size * width) / widest);
  face.style.fontSize = `${Math.max(size, 8)}px`;
}

async function main() {
  await initI18n();
  const netStatus = mountNetStatus({ indicator: $('#conn') });
  render(null);
  board.live = new HallLive({
    hall,
    onState: (state) => render(state),
    onEvent: (event, state) => render(state),
    onStatus: netStatus,
  }).start();
  window.__live = board.live;
  window.addEventListener('resize', fit);
}

main();
