// Draw a digit (or a garment) and classify it with a model whose input is one 28x28 channel.
import { get, post, esc, fmt, kindOf } from './api.js';

const SIZE = 280;

/** Models that take [1, 28, 28] and answer classes: MNIST-family classifiers. */
export async function mnistModels() {
  const page = await get('/api/v1/models?size=200');
  return page.items.filter(m => JSON.stringify(m.inputShape) === '[1,28,28]'
    && kindOf(m.spec) === 'classifier' && (m.labels || []).length > 0);
}

/**
 * The drawing as the dataset's images are: 28x28, white strokes on black (MNIST and Fashion-MNIST
 * store ink as high values), the strokes' box scaled to fit 20x20 and centred by mass, as MNIST was
 * made. Returns 784 values in [0, 1], or null for an empty canvas.
 */
export function toMnist(canvas) {
  const src = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height);
  let x0 = canvas.width, y0 = canvas.height, x1 = -1, y1 = -1;
  for (let y = 0; y < canvas.height; y++) {
    for (let x = 0; x < canvas.width; x++) {
      if (src.data[(y * canvas.width + x) * 4] > 20) {
        if (x < x0) x0 = x; if (x > x1) x1 = x; if (y < y0) y0 = y; if (y > y1) y1 = y;
      }
    }
  }
  if (x1 < 0) return null;
  const w = x1 - x0 + 1, h = y1 - y0 + 1;
  const scale = 20 / Math.max(w, h);
  // Halve step by step so thin strokes average instead of aliasing away.
  let stage = document.createElement('canvas');
  stage.width = w; stage.height = h;
  stage.getContext('2d').drawImage(canvas, x0, y0, w, h, 0, 0, w, h);
  let cw = w, ch = h;
  while (Math.max(cw, ch) / 2 > 20) {
    const next = document.createElement('canvas');
    next.width = Math.max(1, Math.round(cw / 2)); next.height = Math.max(1, Math.round(ch / 2));
    const ctx = next.getContext('2d');
    ctx.imageSmoothingQuality = 'high';
    ctx.drawImage(stage, 0, 0, next.width, next.height);
    stage = next; cw = next.width; ch = next.height;
  }
  const tw = Math.max(1, Math.round(w * scale)), th = Math.max(1, Math.round(h * scale));
  const box = document.createElement('canvas');
  box.width = 28; box.height = 28;
  const bctx = box.getContext('2d');
  bctx.fillStyle = '#000'; bctx.fillRect(0, 0, 28, 28);
  bctx.imageSmoothingQuality = 'high';
  bctx.drawImage(stage, 0, 0, cw, ch, 0, 0, tw, th);
  const boxed = bctx.getImageData(0, 0, tw, th).data;
  let mass = 0, mx = 0, my = 0;
  for (let y = 0; y < th; y++) for (let x = 0; x < tw; x++) {
    const v = boxed[(y * tw + x) * 4];
    mass += v; mx += v * x; my += v * y;
  }
  // Centre of mass at the centre, as MNIST did, but keeping 2 pixels clear of every edge.
  const clamp = (v, size) => Math.max(Math.min(2, 28 - size), Math.min(26 - size, v));
  const dx = clamp(Math.round(14 - (mass ? mx / mass : tw / 2)), tw);
  const dy = clamp(Math.round(14 - (mass ? my / mass : th / 2)), th);
  const out = document.createElement('canvas');
  out.width = 28; out.height = 28;
  const octx = out.getContext('2d');
  octx.fillStyle = '#000'; octx.fillRect(0, 0, 28, 28);
  octx.drawImage(box, 0, 0, tw, th, dx, dy, tw, th);
  const px = octx.getImageData(0, 0, 28, 28).data;
  const pixels = [];
  for (let i = 0; i < 28 * 28; i++) pixels.push(px[i * 4] / 255);
  return { pixels, canvas: out };
}

export function bars(prediction) {
  return prediction.top.map((r, i) => `
    <div class="bar${i === 0 ? ' top' : ''}"><span>${esc(r.label)}</span>
      <span class="track"><span class="fill" style="width:${(r.probability * 100).toFixed(1)}%"></span></span>
      <span class="mono">${(r.probability * 100).toFixed(1)}%</span></div>`).join('');
}

export async function render(main) {
  const models = await mnistModels();
  main.innerHTML = `
    <div class="head"><div><h1>Draw a digit</h1>
      <div class="muted">Draw with the mouse or a finger; the drawing is scaled to 28x28 like MNIST and Fashion-MNIST (light strokes on black) and classified.</div></div></div>
    <div class="panel">
      <div class="toolbar">
        <label for="model" style="margin:0">Model</label>
        <select id="model" style="min-width:420px">${models.map(m => `<option value="${m.id}">${esc(m.name)} v${m.version} · ${esc(m.dataset)}${m.metrics?.test_accuracy != null ? ' · accuracy ' + fmt(m.metrics.test_accuracy) : ''}</option>`).join('')}</select>
        <label for="topk" style="margin:0">Top</label>
        <input id="topk" type="number" min="1" max="10" value="5" style="width:70px">
      </div>
      ${models.length ? '' : '<div class="warn" style="margin-top:12px">No model takes 28x28 single-channel images yet: train the Fashion-MNIST CNN from <a href="#/submit">Submit</a>.</div>'}
    </div>
    <div class="panel draw">
      <div>
        <canvas id="pad" width="${SIZE}" height="${SIZE}"></canvas>
        <div class="toolbar" style="margin-top:10px">
          <button id="classify" ${models.length ? '' : 'disabled'}>Classify</button>
          <button class="secondary" id="clear">Clear</button>
        </div>
      </div>
      <div>
        <div class="muted">What the model sees</div>
        <canvas id="small" width="28" height="28"></canvas>
      </div>
      <div class="bars grow" id="result"><p class="muted">Draw something, then Classify.</p></div>
    </div>`;
  const pad = main.querySelector('#pad');
  const ctx = pad.getContext('2d');
  function clear() { ctx.fillStyle = '#000'; ctx.fillRect(0, 0, SIZE, SIZE); }
  clear();
  ctx.strokeStyle = '#fff'; ctx.lineWidth = 20; ctx.lineCap = 'round'; ctx.lineJoin = 'round';
  let last = null;
  const at = e => { const r = pad.getBoundingClientRect(); return [(e.clientX - r.left) * SIZE / r.width, (e.clientY - r.top) * SIZE / r.height]; };
  pad.addEventListener('pointerdown', e => { pad.setPointerCapture(e.pointerId); last = at(e); ctx.beginPath(); ctx.arc(last[0], last[1], 10, 0, 2 * Math.PI); ctx.fillStyle = '#fff'; ctx.fill(); });
  pad.addEventListener('pointermove', e => {
    if (!last) return;
    const p = at(e);
    ctx.beginPath(); ctx.moveTo(last[0], last[1]); ctx.lineTo(p[0], p[1]); ctx.stroke();
    last = p;
  });
  const up = () => { last = null; };
  pad.addEventListener('pointerup', up);
  pad.addEventListener('pointercancel', up);
  main.querySelector('#clear').addEventListener('click', () => { clear(); main.querySelector('#result').innerHTML = '<p class="muted">Draw something, then Classify.</p>'; });
  main.querySelector('#classify').addEventListener('click', async () => {
    const result = main.querySelector('#result');
    const drawn = toMnist(pad);
    if (!drawn) { result.innerHTML = '<div class="warn">The canvas is empty: draw something first.</div>'; return; }
    const small = main.querySelector('#small').getContext('2d');
    small.drawImage(drawn.canvas, 0, 0);
    const id = main.querySelector('#model').value;
    const labels = models.find(m => m.id === id)?.labels.length || 1;
    const topK = Math.max(1, Math.min(labels, Number(main.querySelector('#topk').value) || 5));
    try {
      const r = await post(`/api/v1/models/${id}/classify`, { instances: [drawn.pixels], topK });
      const p = r.predictions[0];
      result.innerHTML = `<div class="muted">Prediction</div><div class="predicted" id="prediction">${esc(p.label)}</div>${bars(p)}`;
    } catch (e) {
      result.innerHTML = `<div class="error">${esc(e.message)}</div>`;
    }
  });
}
