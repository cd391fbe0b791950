// Live hall state over Socket.IO: the sync/snapshot/replay client every screen shares.
//
// Protocol (queue_server/realtime/namespace.py): on every (re)connect emit `sync {hall, since}`; the server
// joins us to the hall room, then sends a `snapshot` or the missed events, then `synced`. Events that
// arrive between our `sync` and `synced` are buffered, sorted by id and applied after the snapshot,
// skipping ids already covered; afterwards only ids newer than the last applied one are applied. That is
// what makes a display that drops and comes back show each call exactly once.

import { io } from '/assets/vendor/socket.io.esm.min.js';
import { compareIds, isNewer } from './eventid.js';
import { applyEvent, UnknownEvent } from './hallstate.js';

const CONTROL = new Set(['snapshot', 'synced', 'sync_error']);
// A sync_error (e.g. Redis restarting) is retried; a few seconds keeps the server from being hammered.
const SYNC_RETRY_MS = 3000;

export class HallLive {
  /**
   * @param {object} o
   * @param {string} o.hall            hall code
   * @param {string|null} o.token      bearer token (staff or device); null = anonymous public view
   * @param {(state, info) => void} o.onState   after a snapshot replaced the state
   * @param {(event, state, info) => void} o.onEvent  after each applied event; info.replayed is true for
   *        events that were missed while disconnected
   * @param {(status, detail) => void} o.onStatus  connecting | syncing | live | offline | refused | error
   */
  constructor({ hall, token = null, onState = () => {}, onEvent = () => {}, onStatus = () => {} }) {
    Object.assign(this, { hall, token, onState, onEvent, onStatus });
    this.state = null;
    this.lastId = null;
    this.syncing = false;
    this.buffer = [];
    this.pendingSnapshot = null;
    this.forceSnapshot = false;
    this.syncCount = 0;
    this.status = 'connecting';
  }

  start() {
    const opts = { reconnectionDelay: 1000, reconnectionDelayMax: 5000, timeout: 8000 };
    if (this.token) opts.auth = { token: this.token };
    const socket = io(opts);
    this.socket = socket;
    socket.on('connect', () => this.sync());
    socket.on('disconnect', (reason) => {
      this.syncing = false;
      this.setStatus('offline', reason);
      // The server dropping us on purpose does not trigger the client's own reconnection.
      if (reason === 'io server disconnect') setTimeout(() => socket.connect(), 1000);
    });
    socket.on('connect_error', (err) => {
      // `active` false means the server refused the handshake (a wrong token); retrying cannot help.
      this.setStatus(socket.active ? 'offline' : 'refused', err && err.message);
    });
    socket.on('snapshot', (snap) => { if (this.syncing) this.pendingSnapshot = snap; });
    socket.on('synced', (info) => this.finishSync(info));
    socket.on('sync_error', (payload) => {
      this.syncing = false;
      this.setStatus('error', payload && payload.error && payload.error.message);
      setTimeout(() => { if (socket.connected) this.sync(); }, SYNC_RETRY_MS);
    });
    socket.onAny((name, payload) => {
      if (CONTROL.has(name) || !payload || !payload.id || !payload.type) return;
      this.receive(payload);
    });
    this.setStatus('connecting');
    return this;
  }

  setStatus(status, detail) {
    this.status = status;
    this.onStatus(status, detail);
  }

  /** Ask for the events since the last applied one (or a snapshot the first time / after a gap). */
  sync() {
    this.syncing = true;
    this.buffer = [];
    this.pendingSnapshot = null;
    const since = this.forceSnapshot || !this.state ? null : this.lastId;
    this.forceSnapshot = false;
    this.setStatus('syncing');
    this.socket.emit('sync', { hall: this.hall, since });
  }

  resyncBySnapshot() {
    this.forceSnapshot = true;
    if (this.socket && this.socket.connected) this.sync();
  }

  receive(event) {
    if (this.syncing) {
      this.buffer.push(event);
      return;
    }
    if (!this.state || !isNewer(event.id, this.lastId)) return;
    this.apply(event, { replayed: false });
  }

  finishSync(info) {
    if (!this.syncing) return;
    if (info && info.mode === 'snapshot' && this.pendingSnapshot) {
      this.state = this.pendingSnapshot;
      this.lastId = this.pendingSnapshot.last_event_id || null;
      this.onState(this.state, { reason: 'snapshot' });
    }
    const covered = info && info.last_event_id;
    const events = this.buffer.sort((a, b) => compareIds(a.id, b.id));
    this.buffer = [];
    this.syncing = false;
    this.pendingSnapshot = null;
    this.syncCount += 1;
    this.setStatus('live', info && info.mode);
    for (const event of events) {
      if (!this.state || !isNewer(event.id, this.lastId)) continue;
      const replayed = info.mode === 'replay' && covered && compareIds(event.id, covered) <= 0;
      if (!this.apply(event, { replayed: Boolean(replayed) })) break;
    }
  }

  apply(event, info) {
    try {
      this.state = applyEvent(this.state, event);
    } catch (err) {
      if (err instanceof UnknownEvent) {
        // We cannot fold this event into our copy; a snapshot from the server is always right.
        this.resyncBySnapshot();
        return false;
      }
      throw err;
    }
    this.lastId = event.id;
    this.onEvent(event, this.state, info);
    return true;
  }

  /** Drop the connection (tests and the operator's "reconnect" button); `connect()` resumes. */
  disconnect() { this.socket.disconnect(); }

  connect() { this.socket.connect(); }
}
