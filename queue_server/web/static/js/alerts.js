// The hall's raised alerts as the screens learn them from alert_raised / alert_cleared events.
// Keys follow queue_server/domain/alerts.py::Alert.key, so raising the same alert twice keeps one entry.

export const SEVERITY_ORDER = { critical: 0, warning: 1 };

export function alertKey(alert) {
  return `${alert.kind}:${alert.service || alert.window || alert.device || ''}`;
}

export class AlertBook {
  constructor(list = []) {
    this.byKey = new Map();
    this.reset(list);
  }

  reset(list = []) {
    this.byKey.clear();
    for (const alert of list) this.byKey.set(alertKey(alert), alert);
  }

  /** Take the alerts a snapshot carries (when the server sends them); keep what we know otherwise. */
  fromSnapshot(state) {
    if (state && Array.isArray(state.alerts)) this.reset(state.alerts);
  }

  /** Fold one hall event in; returns true when the set of alerts changed. */
  apply(event) {
    if (!event || !event.alert) return false;
    const key = alertKey(event.alert);
    if (event.type === 'alert_raised') { this.byKey.set(key, event.alert); return true; }
    if (event.type === 'alert_cleared') return this.byKey.delete(key);
    return false;
  }

  /** Alerts, most severe first, then oldest first. */
  list() {
    return [...this.byKey.values()].sort((a, b) => (SEVERITY_ORDER[a.severity] ?? 2) - (SEVERITY_ORDER[b.severity] ?? 2)
      || String(a.since || '').localeCompare(String(b.since || '')));
  }

  filter(pred) { return this.list().filter(pred); }
}
