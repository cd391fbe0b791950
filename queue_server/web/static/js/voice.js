// Which pre-recorded clips say "请 A012 号到 3 号窗口办理" (a call) or "社会保障业务请到6号窗口办理" (an AB岗
// reroute). Pure functions, no DOM: node runs them in tests.
// Clip keys are file names under /assets/voice/ (made by scripts/make_voice_clips.py).
//
// Reading rules of Chinese halls: ticket digits one by one (A 零 一 二), so 012 is not "twelve";
// window numbers as cardinals (十二, 一百零五), because that is how the window signs are read aloud;
// letters by their English names, as residents read them off the slip.

export const DIGITS = ['ling', 'yi', 'er', 'san', 'si', 'wu', 'liu', 'qi', 'ba', 'jiu'];
export const LETTERS = 'abcdefghijklmnopqrstuvwxyz'.split('').map((c) => `letter_${c}`);
export const WORDS = ['chime', 'qing', 'hao', 'dao', 'chuangkou', 'banli', 'shi', 'bai', 'yewu'];
export const ALL_CLIPS = [...WORDS, ...DIGITS, ...LETTERS];
/** A pause between the two readings of a recall; not a file. */
export const GAP = '-';

/** Cardinal reading of 0..999 (十, 十二, 二十, 一百, 一百零五, 一百一十); larger numbers digit by digit. */
export function cardinalClips(n) {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`not a window number: ${n}`);
  if (n >= 1000) return String(n).split('').map((d) => DIGITS[Number(d)]);
  if (n < 10) return [DIGITS[n]];
  if (n < 20) return n === 10 ? ['shi'] : ['shi', DIGITS[n - 10]];
  if (n < 100) {
    const tens = [DIGITS[Math.floor(n / 10)], 'shi'];
    return n % 10 ? [...tens, DIGITS[n % 10]] : tens;
  }
  const head = [DIGITS[Math.floor(n / 100)], 'bai'];
  const rest = n % 100;
  if (rest === 0) return head;
  if (rest < 10) return [...head, 'ling', DIGITS[rest]];
  // Inside a larger number ten is 一十 (一百一十五), unlike a bare 十五.
  if (rest < 20) return [...head, 'yi', 'shi', ...(rest % 10 ? [DIGITS[rest % 10]] : [])];
  return [...head, ...cardinalClips(rest)];
}

/** Each character of a code read by itself: letters by name, digits as 零..九; anything else is silent. */
export function spelledClips(text) {
  const out = [];
  for (const ch of String(text).toLowerCase()) {
    if (ch >= '0' && ch <= '9') out.push(DIGITS[Number(ch)]);
    else if (ch >= 'a' && ch <= 'z') out.push(`letter_${ch}`);
  }
  return out;
}

export function windowClips(code) {
  const text = String(code).trim();
  return /^\d+$/.test(text) ? cardinalClips(Number(text)) : spelledClips(text);
}

/** 请 <ticket> 号 到 <window> 号 窗口 办理 */
export function callClips(number, window) {
  return ['qing', ...spelledClips(number), 'hao', 'dao', ...windowClips(window), 'hao', 'chuangkou', 'banli'];
}

/** The whole announcement: a chime, then the call; a recall (重呼) says it twice. */
export function announcementClips(number, window, { recall = false } = {}) {
  const call = callClips(number, window);
  return recall ? ['chime', ...call, GAP, ...call] : ['chime', ...call];
}

/**
 * The clip that says a service's name, one per service of every hall ("svc_demo_sb" = 社会保障), made by
 * scripts/make_voice_clips.py with the same rule (lower case, anything but a-z 0-9 becomes "_").
 */
export function serviceClip(hall, service) {
  const slug = (text) => String(text).toLowerCase().replace(/[^a-z0-9]/g, '_');
  return `svc_${slug(hall)}_${slug(service)}`;
}

/** <service> 业务 请 到 <window> 号 窗口 办理, after a chime: "社会保障业务请到6号窗口办理". */
export function rerouteClips(hall, service, window) {
  return ['chime', serviceClip(hall, service), 'yewu', 'qing', 'dao', ...windowClips(window), 'hao', 'chuangkou', 'banli'];
}
