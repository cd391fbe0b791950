// What a window board (窗口屏) shows: the JS twin of boards/layout.py::window_lines. Pure, no DOM: node
// checks in tests that both give the same lines. The text is the board's content, not page chrome, so it
// is Chinese in every language, exactly like the LED boards driven by the device agent.

export const PAUSED_TEXT = '暂停服务';
export const OFF_STATES = new Set(['paused', 'away', 'closed']);

/** The window's display name, falling back to "<code>号窗口". */
export function windowName(window) {
  const code = window.code === undefined || window.code === null ? '' : window.code;
  return String(window.name || `${code}号窗口`);
}

/** The window-board call text, e.g. "A012 请到3号窗口". */
export function callText(number, name) { return `${number} 请到${name}`; }

/** A window board's lines: the call being served, 暂停服务, or the window name. */
export function windowLines(window) {
  if (OFF_STATES.has(window.state)) return [PAUSED_TEXT];
  const current = window.current;
  if (current && current.number) return [callText(String(current.number), windowName(window))];
  return [windowName(window)];
}
