// The hall's static configuration (service names, guides, window names), fetched once per page.

import { get } from './api.js';

export class HallInfo {
  constructor(data) {
    this.data = data;
    this.code = data.code;
    this.name = data.name;
    this.timezone = data.timezone || 'Asia/Shanghai';
    this.services = new Map(data.services.map((s) => [s.code, s]));
    this.windows = new Map(data.windows.map((w) => [w.code, w]));
  }

  static async load(hall) { return new HallInfo(await get(`/halls/${encodeURIComponent(hall)}`)); }

  serviceName(code) { return (this.services.get(code) || {}).name || code || ''; }

  windowName(code) { return (this.windows.get(code) || {}).name || code || ''; }

  guide(code) { return (this.services.get(code) || {}).guide || null; }

  windowNames(codes) { return (codes || []).map((c) => this.windowName(c)); }
}
