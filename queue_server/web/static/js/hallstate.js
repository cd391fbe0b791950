// Apply one hall event to a snapshot: the JS twin of queue_server/domain/replay.py::apply_event.
// Keep the two in step; an event type this file does not know makes the caller resync by snapshot.

import { compareIds } from './eventid.js';

export const RECENT_KEPT = 10;

export class UnknownEvent extends Error {}

// Events that change nothing a snapshot holds (screens may still react to them, e.g. print_status).
const PASSIVE = new Set(['device_status', 'print_status', 'ticket_near_turn', 'day_closed', 'ticket_rated']);

function service(state, code) {
  return state.services.find((s) => s.code === code) || null;
}

function bump(state, code, delta) {
  const svc = service(state, code);
  if (svc) svc.waiting = Math.max(0, svc.waiting + delta);
}

function putWindow(state, win) {
  if (!win) return;
  const i = state.windows.findIndex((w) => w.code === win.code);
  if (i >= 0) state.windows[i] = win;
  else state.windows.push(win);
}

/** Return a new state with `event` applied; events at or before last_event_id are ignored. */
export function applyEvent(state, event) {
  const last = state.last_event_id;
  if (last && compareIds(event.id, last) <= 0) return state;
  const type = event.type;
  const ticket = event.ticket || {};
  const previous = event.previous_status;
  const next = structuredClone(state);
  if (type === 'ticket_issued') {
    bump(next, ticket.service, +1);
  } else if (type === 'ticket_called') {
    if (previous === 'waiting') bump(next, ticket.service, -1);
    next.recent_calls.unshift({
      number: ticket.number, service: ticket.service, window: ticket.window,
      window_name: event.window_name, recall: Boolean(event.recall), ts: event.ts,
      id: event.id, // not in the Python twin: lets screens key rows by event
    });
    next.recent_calls.length = Math.min(next.recent_calls.length, RECENT_KEPT);
    putWindow(next, event.window);
  } else if (type === 'ticket_updated') {
    const oldService = event.from_service || ticket.service;
    if (previous === 'waiting') bump(next, oldService, -1);
    if (ticket.status === 'waiting') bump(next, ticket.service, +1);
    putWindow(next, event.window);
  } else if (type === 'window_updated' || type === 'window_away') {
    putWindow(next, event.window);
  } else if (type === 'tickets_rerouted') {
    next.reroutes = next.reroutes || {};
    if (event.to_window) next.reroutes[event.service] = event.to_window;
    else delete next.reroutes[event.service];
  } else if (type === 'notice_posted') {
    next.notices = next.notices || [];
    next.notices.unshift(event.text);
  } else if (type === 'notices_cleared') {
    // Posted notices go; the hall's configured ones (listed apart in the snapshot) stay.
    const configured = next.config_notices || [];
    next.notices = (next.notices || []).filter((n) => configured.includes(n));
  } else if (type === 'alert_raised' || type === 'alert_cleared') {
    // Alerts are keyed (kind:service|window|device), so raising one again replaces it.
    const alert = event.alert || {};
    next.alerts = (next.alerts || []).filter((a) => a.key !== alert.key);
    if (type === 'alert_raised') next.alerts.push(alert);
  } else if (!PASSIVE.has(type)) {
    throw new UnknownEvent(type);
  }
  next.last_event_id = event.id;
  return next;
}
