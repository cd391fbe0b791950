// Human formatting of waits, durations, clocks and masked names, in the current language.

import { currentLang, t } from './i18n.js';
import { serverNow } from './time.js';

/** "约 12 分钟" / "about 12 min"; estimates are rounded up so residents are not promised too little. */
export function waitText(seconds) {
  if (seconds === null || seconds === undefined) return t('wait.unknown');
  if (seconds <= 0) return t('wait.none');
  const minutes = Math.ceil(seconds / 60);
  if (minutes < 120) return t('wait.minutes', { n: minutes });
  return t('wait.hours', { h: Math.floor(minutes / 60), m: minutes % 60 });
}

/** A running duration as m:ss or h:mm:ss. */
export function clockDuration(seconds) {
  const s = Math.max(0, Math.floor(seconds || 0));
  const hh = Math.floor(s / 3600);
  const mm = Math.floor((s % 3600) / 60);
  const ss = String(s % 60).padStart(2, '0');
  return hh ? `${hh}:${String(mm).padStart(2, '0')}:${ss}` : `${mm}:${ss}`;
}

/** Whole minutes for tables ("12 分" / "12 min"); a dash when there is no value. */
export function minutesText(seconds) {
  if (seconds === null || seconds === undefined || Number.isNaN(seconds)) return '—';
  return t('unit.minutes', { n: Math.round(seconds / 60) });
}

function locale() { return currentLang() === 'en' ? 'en-GB' : 'zh-CN'; }

export function timeText(date = new Date(serverNow()), timeZone = 'Asia/Shanghai', seconds = true) {
  return new Intl.DateTimeFormat(locale(), {
    hour: '2-digit', minute: '2-digit', second: seconds ? '2-digit' : undefined, hour12: false, timeZone,
  }).format(date);
}

export function dateText(date = new Date(serverNow()), timeZone = 'Asia/Shanghai') {
  return new Intl.DateTimeFormat(locale(), {
    year: 'numeric', month: 'long', day: 'numeric', weekday: 'long', timeZone,
  }).format(date);
}

/** Clock time of an ISO timestamp in the hall's zone ("11:42"). */
export function isoClock(iso, timeZone = 'Asia/Shanghai') {
  if (!iso) return '';
  return timeText(new Date(iso), timeZone, false);
}

/** 张伟 -> 张*, 欧阳娜娜 -> 欧**娜: the JS twin of queue_server/domain/mask.py::mask_name. */
export function maskName(name) {
  const s = String(name || '').trim();
  const chars = [...s];
  if (chars.length <= 1) return s;
  if (chars.length === 2) return `${chars[0]}*`;
  return chars[0] + '*'.repeat(chars.length - 2) + chars[chars.length - 1];
}

/** Opening hours of a service as "08:30-11:30、14:00-17:00". */
export function hoursText(hours) {
  return (hours || []).join(currentLang() === 'en' ? ', ' : '、');
}
