// A live clock in an element: date and time in the hall's zone, by the server's clock.

import { dateText, timeText } from './format.js';
import { onLangChange } from './i18n.js';

export function mountClock(el, timeZone, { seconds = true, date = true } = {}) {
  if (!el) return;
  const timeEl = el.querySelector('[data-clock-time]') || el;
  const dateEl = el.querySelector('[data-clock-date]');
  const tick = () => {
    timeEl.textContent = timeText(undefined, timeZone, seconds);
    if (date && dateEl) dateEl.textContent = dateText(undefined, timeZone);
  };
  tick();
  setInterval(tick, 1000);
  onLangChange(tick);
  window.addEventListener('servertime', tick);
}
