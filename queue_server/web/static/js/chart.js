// Small inline-SVG charts for the dashboard (no chart library, nothing from a CDN).
// Column chart for counts per hour, line chart for average waits; both scale to their container.

const NS = 'http://www.w3.org/2000/svg';
const W = 560;
const H = 250;
const PAD = { top: 18, right: 16, bottom: 34, left: 44 };

function el(tag, attrs = {}, text = null) {
  const node = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  if (text !== null) node.textContent = text;
  return node;
}

/** A "nice" axis maximum and step: 1, 2 or 5 times a power of ten, at most 5 gridlines. */
export function niceScale(max) {
  if (!(max > 0)) return { max: 1, step: 1 };
  const rough = max / 4;
  const power = 10 ** Math.floor(Math.log10(rough));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= rough);
  const integer = Math.max(step, 1);
  return { max: Math.ceil(max / integer) * integer, step: integer };
}

function frame(labels, scale, { unit = '' } = {}) {
  const svg = el('svg', { viewBox: `0 0 ${W} ${H}`, class: 'chart', role: 'img', preserveAspectRatio: 'xMidYMid meet' });
  const plotH = H - PAD.top - PAD.bottom;
  const plotW = W - PAD.left - PAD.right;
  for (let v = 0; v <= scale.max + 1e-9; v += scale.step) {
    const y = PAD.top + plotH - (v / scale.max) * plotH;
    svg.append(el('line', { x1: PAD.left, x2: W - PAD.right, y1: y, y2: y, class: v === 0 ? 'axis' : 'grid' }));
    svg.append(el('text', { x: PAD.left - 8, y: y + 4, class: 'tick', 'text-anchor': 'end' }, `${Math.round(v)}${unit}`));
  }
  const band = plotW / Math.max(labels.length, 1);
  labels.forEach((label, i) => {
    svg.append(el('text', { x: PAD.left + band * (i + 0.5), y: H - PAD.bottom + 18, class: 'tick', 'text-anchor': 'middle' }, label));
  });
  const y = (v) => PAD.top + plotH - (v / scale.max) * plotH;
  return { svg, band, y, plotH };
}

/**
 * Grouped columns: labels ["8", "9", …], series [{name, values, cls}].
 * Each column has a <title> so hovering shows the exact number.
 */
export function columnChart(labels, series) {
  const max = Math.max(0, ...series.flatMap((s) => s.values));
  const scale = niceScale(max);
  const { svg, band, y } = frame(labels, scale);
  const inner = band * 0.72;
  const colW = inner / series.length;
  series.forEach((s, si) => {
    s.values.forEach((v, i) => {
      const x = PAD.left + band * i + (band - inner) / 2 + colW * si;
      const top = y(v);
      const rect = el('rect', { x: x + 1, y: top, width: Math.max(colW - 2, 1), height: Math.max(y(0) - top, 0), rx: 2, class: s.cls });
      rect.append(el('title', {}, `${labels[i]} · ${s.name}: ${v}`));
      svg.append(rect);
    });
  });
  return svg;
}

/** A line with dots and a soft area; null values leave a gap (no tickets that hour). */
export function lineChart(labels, { name, values, cls, unit = '' }) {
  const max = Math.max(0, ...values.filter((v) => v !== null));
  const scale = niceScale(max);
  const { svg, band, y } = frame(labels, scale, { unit });
  const points = values.map((v, i) => (v === null ? null : [PAD.left + band * (i + 0.5), y(v), v, i]));
  let run = [];
  const flush = () => {
    if (run.length > 1) {
      const d = run.map(([px, py], k) => `${k ? 'L' : 'M'}${px.toFixed(1)},${py.toFixed(1)}`).join(' ');
      const area = `${d} L${run[run.length - 1][0].toFixed(1)},${y(0)} L${run[0][0].toFixed(1)},${y(0)} Z`;
      svg.append(el('path', { d: area, class: `${cls} area` }));
      svg.append(el('path', { d, class: `${cls} line` }));
    }
    run = [];
  };
  for (const p of points) { if (p) run.push(p); else flush(); }
  flush();
  for (const p of points.filter(Boolean)) {
    const dot = el('circle', { cx: p[0], cy: p[1], r: 4, class: `${cls} dot` });
    dot.append(el('title', {}, `${labels[p[3]]} · ${name}: ${p[2]}${unit}`));
    svg.append(dot);
  }
  return svg;
}
