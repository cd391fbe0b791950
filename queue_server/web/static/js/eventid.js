// Event ids are Redis stream ids "<ms>-<seq>"; they must be ordered numerically, never as strings
// ("999-0" < "1000-0"). 13-digit milliseconds fit exactly in a JS number.

export function parseId(id) {
  const [ms, seq] = String(id).split('-');
  return [Number(ms), Number(seq || 0)];
}

export function compareIds(a, b) {
  const [am, as] = parseId(a);
  const [bm, bs] = parseId(b);
  return am !== bm ? am - bm : as - bs;
}

/** True when `id` comes after `last` (anything is newer than nothing). */
export function isNewer(id, last) {
  return last === null || last === undefined || last === '' || compareIds(id, last) > 0;
}
