// Line charts as SVG: linear axes with "nice" ticks, one path per series, a legend.

export const COLORS = ['#2f6fde', '#e0702b', '#17a05d', '#9b4dca', '#c8384b', '#1c9fb8', '#8a6d00'];

function ticks(min, max, count) {
  if (!(max > min)) { max = min + 1; }
  const span = max - min;
  const step0 = span / count;
  const mag = Math.pow(10, Math.floor(Math.log10(step0)));
  const norm = step0 / mag;
  const step = (norm < 1.5 ? 1 : norm < 3 ? 2 : norm < 7 ? 5 : 10) * mag;
  const out = [];
  for (let v = Math.ceil(min / step) * step; v <= max + step * 1e-9; v += step) out.push(+v.toPrecision(12));
  return out;
}

function label(v) {
  const a = Math.abs(v);
  if (a !== 0 && (a < 1e-3 || a >= 1e5)) return v.toExponential(1);
  return String(+v.toPrecision(4));
}

/**
 * series: [{name, points: [[x, y], ...]}]. Returns an SVG string; data-points on each path lets
 * tests and people see how many points were drawn.
 */
export function lineChart(series, { width = 560, height = 250, xLabel = 'epoch' } = {}) {
  const drawn = series.filter(s => s.points.length > 0);
  if (drawn.length === 0) return '<div class="empty">No points yet</div>';
  const m = { l: 52, r: 22, t: 10, b: 34 };
  const w = width - m.l - m.r, h = height - m.t - m.b;
  let xs = [], ys = [];
  for (const s of drawn) for (const [x, y] of s.points) { xs.push(x); if (isFinite(y)) ys.push(y); }
  let xMin = Math.min(...xs), xMax = Math.max(...xs);
  let yMin = Math.min(...ys), yMax = Math.max(...ys);
  if (xMin === xMax) { xMin -= 1; xMax += 1; }
  if (yMin === yMax) { const d = Math.abs(yMin) * 0.1 || 1; yMin -= d; yMax += d; }
  const pad = (yMax - yMin) * 0.06; yMin -= pad; yMax += pad;
  const X = x => m.l + (x - xMin) / (xMax - xMin) * w;
  const Y = y => m.t + h - (y - yMin) / (yMax - yMin) * h;
  const xt = ticks(xMin, xMax, 6).filter(v => v >= xMin && v <= xMax);
  const yt = ticks(yMin, yMax, 5).filter(v => v >= yMin && v <= yMax);
  let svg = `<svg viewBox="0 0 ${width} ${height}" role="img">`;
  svg += '<g class="grid">' + yt.map(v => `<line x1="${m.l}" x2="${m.l + w}" y1="${Y(v)}" y2="${Y(v)}"/>`).join('') + '</g>';
  svg += `<g class="axis"><line x1="${m.l}" x2="${m.l + w}" y1="${m.t + h}" y2="${m.t + h}"/><line x1="${m.l}" x2="${m.l}" y1="${m.t}" y2="${m.t + h}"/>`;
  svg += xt.map(v => `<text x="${X(v)}" y="${m.t + h + 15}" text-anchor="middle">${label(v)}</text>`).join('');
  svg += yt.map(v => `<text x="${m.l - 6}" y="${Y(v) + 4}" text-anchor="end">${label(v)}</text>`).join('');
  svg += `<text x="${m.l + w / 2}" y="${height - 3}" text-anchor="middle">${xLabel}</text></g>`;
  drawn.forEach((s, i) => {
    const color = s.color || COLORS[i % COLORS.length];
    const d = s.points.filter(p => isFinite(p[1])).map(([x, y], j) => `${j ? 'L' : 'M'}${X(x).toFixed(1)},${Y(y).toFixed(1)}`).join('');
    svg += `<path class="series" data-name="${s.name}" data-points="${s.points.length}" d="${d}" fill="none" stroke="${color}" stroke-width="2" stroke-linejoin="round"/>`;
    if (s.points.length <= 40) {
      svg += s.points.filter(p => isFinite(p[1])).map(([x, y]) => `<circle cx="${X(x).toFixed(1)}" cy="${Y(y).toFixed(1)}" r="2.5" fill="${color}"/>`).join('');
    }
  });
  svg += '</svg>';
  const legend = drawn.map((s, i) => `<span><i style="background:${s.color || COLORS[i % COLORS.length]}"></i>${s.name}</span>`).join('');
  return svg + `<div class="legend">${legend}</div>`;
}
