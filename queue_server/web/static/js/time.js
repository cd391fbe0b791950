// Server-relative time: "waiting 12 min" must not depend on a lobby PC whose clock is off by minutes.
// The offset comes from the Date header of API responses (1 s resolution, plenty for minutes).

let offsetMs = 0;

export function noteServerDate(header) {
  if (!header) return;
  const server = Date.parse(header);
  if (Number.isNaN(server)) return;
  const next = server + 500 - Date.now();
  // Clocks on screen redraw at once when they learn they were off (a correction, not jitter).
  const jumped = Math.abs(next - offsetMs) > 2000;
  offsetMs = next;
  if (jumped) window.dispatchEvent(new CustomEvent('servertime'));
}

export function serverNow() { return Date.now() + offsetMs; }

/** Seconds since an ISO time by the server's clock (0 for a missing time). */
export function secondsSince(iso) {
  if (!iso) return 0;
  const then = Date.parse(iso);
  return Number.isNaN(then) ? 0 : Math.max(0, Math.round((serverNow() - then) / 1000));
}
