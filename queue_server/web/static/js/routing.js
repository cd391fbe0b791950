// Who may serve a service right now (AB岗), from the hall's configuration and the live state. Pure, no DOM.
// The JS twin of queue_server/domain/policy.py::callable_windows and serving_now, plus the questions the
// screens ask of it: where was a service rerouted, which services does a window cover, which have nobody.

/** Windows that list `service` as one of their own (primary) services, in the hall's order. */
export function primaryWindows(info, service) {
  return [...info.windows.values()].filter((w) => (w.services || []).includes(service)).map((w) => w.code);
}

/** Windows that may call `service` now: its primary windows plus the one it is rerouted to. */
export function callableWindows(info, reroutes, service) {
  const codes = primaryWindows(info, service);
  const extra = (reroutes || {})[service];
  if (extra && !codes.includes(extra)) codes.push(extra);
  return codes;
}

/** How many of `codes` are open to call, by the live window views. */
export function openCount(windows, codes) {
  const open = new Set((windows || []).filter((w) => w.state === 'open').map((w) => w.code));
  return codes.filter((c) => open.has(c)).length;
}

/** The window a service is rerouted to, when that is not one of its own windows; else null. */
export function reroutedTo(info, reroutes, service) {
  const target = (reroutes || {})[service];
  return target && !primaryWindows(info, service).includes(target) ? target : null;
}

/**
 * What `window` does on behalf of others: [{from: window code, services: [codes]}], one entry per
 * absent window whose services are routed here (代办), in the hall's window order.
 */
export function coverage(info, reroutes, window) {
  const byWindow = new Map();
  for (const [service, target] of Object.entries(reroutes || {})) {
    if (target !== window) continue;
    const primaries = primaryWindows(info, service);
    if (primaries.includes(window)) continue;
    const from = primaries[0] || '';
    if (!byWindow.has(from)) byWindow.set(from, []);
    byWindow.get(from).push(service);
  }
  const order = [...info.windows.keys()];
  return [...byWindow.entries()]
    .sort((a, b) => order.indexOf(a[0]) - order.indexOf(b[0]))
    .map(([from, services]) => ({ from, services }));
}

/** Services of `absent` that `window` would take over (those it does not already serve). */
export function coverableServices(info, absent, window) {
  const mine = (info.windows.get(window) || {}).services || [];
  return ((info.windows.get(absent) || {}).services || []).filter((s) => !mine.includes(s));
}

/**
 * Services residents wait for that no open window can call now: {code: waiting}. A service counts when
 * its waiting residents have no open window, or while the workers' service_unserved alert for it is up.
 */
export function unservedServices(state, info, alerts = []) {
  const out = {};
  if (!state) return out;
  const flagged = new Set(alerts.filter((a) => a.kind === 'service_unserved').map((a) => a.service));
  for (const svc of state.services || []) {
    const open = openCount(state.windows, callableWindows(info, state.reroutes, svc.code));
    if ((svc.waiting > 0 && open === 0) || flagged.has(svc.code)) out[svc.code] = svc.waiting;
  }
  return out;
}
