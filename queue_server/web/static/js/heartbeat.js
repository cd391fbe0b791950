// Staff presence for AB岗: while a clerk is signed in, the tablet tells the server every 15 s that someone
// is at the window (the demo hall marks a window away after 45 s without one). One beat at a time; a
// failed beat is simply tried again at the next tick, the server decides what a missing one means.

export const HEARTBEAT_MS = 15000;

export class Heartbeat {
  /** `send()` makes one beat and resolves with the server's answer. */
  constructor(send, { everyMs = HEARTBEAT_MS } = {}) {
    this.send = send;
    this.everyMs = everyMs;
    this.timer = null;
    this.busy = false;
    this.count = 0;       // successful beats, for tests and support staff
    this.last = null;     // the last answer ({window, state})
    this.error = null;
  }

  get running() { return this.timer !== null; }

  /** Beat now and then every `everyMs` until stopped. */
  start() {
    if (this.timer === null) this.timer = setInterval(() => this.beat(), this.everyMs);
    return this.beat();
  }

  stop() {
    clearInterval(this.timer);
    this.timer = null;
  }

  async beat() {
    if (this.busy) return this.last;
    this.busy = true;
    try {
      this.last = await this.send();
      this.count += 1;
      this.error = null;
    } catch (err) {
      this.error = err;
    } finally {
      this.busy = false;
    }
    return this.last;
  }
}
