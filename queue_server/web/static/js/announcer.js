// Voice announcements on the lobby display: a queue of calls played one at a time from pre-recorded
// clips through Web Audio, so a new call never cuts off the one being spoken (Novo SGA #78) and no
// online or per-PC text-to-speech is needed (FQM #5/#249/#286).
//
// Browsers start audio suspended until a person interacts. The operator clicks "enable voice" once; we
// remember that in localStorage and, on later loads, try to resume by ourselves (kiosk-mode TVs run
// with an autoplay policy that allows it). Only if the context is still suspended is the button shown.

import { ALL_CLIPS, GAP, announcementClips, rerouteClips } from './voice.js';

const UNLOCK_KEY = 'bianmin.audio.unlocked';
const WORD_GAP_S = 0.05;   // between words: enough to separate clips, short enough to sound like one sentence
const CHIME_GAP_S = 0.3;   // lets the lobby look up before the number
const REPEAT_GAP_S = 0.8;  // between the two readings of a recall
const LOG_KEPT = 200;

export class Announcer {
  /** `clips`: every clip key this screen may play (the fixed set plus its hall's service names). */
  constructor({ base = '/assets/voice/', onChange = () => {}, clips = ALL_CLIPS } = {}) {
    this.base = base;
    this.onChange = onChange;
    this.clipKeys = [...new Set(clips)];
    this.buffers = new Map();
    this.queue = [];
    this.busy = false;
    this.ctx = null;
    // Tests and support staff read what was announced, and how, from here.
    this.log = [];
    window.__voiceLog = this.log;
  }

  async init() {
    const Ctx = window.AudioContext || window.webkitAudioContext;
    if (!Ctx) { this.onChange(); return this; }
    this.ctx = new Ctx();
    this.ctx.onstatechange = () => this.onChange();
    if (localStorage.getItem(UNLOCK_KEY) === '1' && this.ctx.state !== 'running') {
      // Without a gesture this only works under a permissive autoplay policy; harmless otherwise.
      this.ctx.resume().catch(() => {});
    }
    await Promise.all(this.clipKeys.map((key) => this.load(key)));
    this.onChange();
    this.pump();
    return this;
  }

  async load(key) {
    try {
      const response = await fetch(`${this.base}${key}.wav`);
      if (!response.ok) throw new Error(response.status);
      this.buffers.set(key, await this.ctx.decodeAudioData(await response.arrayBuffer()));
    } catch (err) {
      console.warn('voice clip missing', key, err);
    }
  }

  get running() { return Boolean(this.ctx) && this.ctx.state === 'running'; }

  get needsUnlock() { return Boolean(this.ctx) && this.ctx.state !== 'running'; }

  /** Called from the operator's click: resume audio and remember the choice for the next load. */
  async unlock() {
    if (!this.ctx) return;
    await this.ctx.resume().catch(() => {});
    if (this.running) localStorage.setItem(UNLOCK_KEY, '1');
    this.onChange();
    this.pump();
  }

  /** Queue one call ("请 A012 号到 3 号窗口办理"); returns its log entry. */
  announce({ id = null, number, window, recall = false }) {
    return this.enqueue({
      id, kind: 'call', number, window, recall: Boolean(recall), clips: announcementClips(number, window, { recall }),
    });
  }

  /** Queue an AB岗 reroute ("社会保障业务请到6号窗口办理"); returns its log entry. */
  announceReroute({ id = null, hall, service, window, restored = false }) {
    return this.enqueue({
      id, kind: 'reroute', service, window, restored: Boolean(restored), clips: rerouteClips(hall, service, window),
    });
  }

  enqueue(fields) {
    const entry = { ...fields, status: 'queued', queuedAt: Date.now() };
    this.log.push(entry);
    if (this.log.length > LOG_KEPT) this.log.splice(0, this.log.length - LOG_KEPT);
    this.queue.push(entry);
    this.pump();
    return entry;
  }

  async pump() {
    if (this.busy) return;
    this.busy = true;
    try {
      while (this.queue.length) {
        const entry = this.queue.shift();
        if (!this.running) {
          // Muted (not unlocked yet): the call is on screen; queuing sound for later would replay stale calls.
          entry.status = 'silent';
          continue;
        }
        entry.status = 'playing';
        this.onChange(entry);
        await this.play(entry.clips);
        entry.status = 'played';
        this.onChange(entry);
      }
    } finally {
      this.busy = false;
    }
  }

  /** Schedule the clips back to back and resolve when the last one has finished. */
  play(clips) {
    const ctx = this.ctx;
    let at = ctx.currentTime + 0.05;
    for (const key of clips) {
      if (key === GAP) { at += REPEAT_GAP_S; continue; }
      const buffer = this.buffers.get(key);
      if (!buffer) continue;
      const source = ctx.createBufferSource();
      source.buffer = buffer;
      source.connect(ctx.destination);
      source.start(at);
      at += buffer.duration + (key === 'chime' ? CHIME_GAP_S : WORD_GAP_S);
    }
    const ms = Math.max(0, (at - ctx.currentTime) * 1000);
    return new Promise((resolve) => setTimeout(resolve, ms));
  }
}
