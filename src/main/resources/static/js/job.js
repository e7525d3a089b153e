// One job: its facts, live curves (metrics endpoint, then the events stream), samples, confusion.
import { get, post, esc, badge, progressBar, when, duration, fmt, kindOf, FINISHED, apiKey, imageUrl } from './api.js';
import { lineChart } from './chart.js';

const CHARTS = [
  { id: 'loss', title: 'Loss per epoch', pick: n => /loss$/.test(n) && n !== 'loss', x: 'epoch' },
  { id: 'accuracy', title: 'Accuracy per epoch', pick: n => /accuracy/.test(n), x: 'epoch' },
  { id: 'lr', title: 'Learning rate', pick: n => n === 'learning_rate', x: 'epoch' },
  { id: 'iter', title: 'Mini-batch loss', pick: n => n === 'loss', x: 'iteration' },
];
const HIDDEN = new Set(['learning_rate_step']);

export async function render(main, id) {
  let job = await get(`/api/v1/jobs/${id}`);
  const series = new Map(); // name -> Map(step -> value)
  let source = null;
  let frame = 0;
  let gone = false;

  main.innerHTML = `
    <div class="head"><div><h1 id="job-name"></h1><div class="muted mono">${esc(id)}</div></div>
      <div class="toolbar" id="actions"></div></div>
    <div id="alerts"></div>
    <div class="row">
      <div class="panel grow"><dl class="facts" id="facts"></dl></div>
      <div class="panel grow"><h2>Latest</h2><dl class="facts" id="latest"></dl></div>
    </div>
    <div class="charts" id="charts">${CHARTS.map(c => `<div class="chart" id="chart-${c.id}"><h3>${c.title}</h3><div class="plot"></div></div>`).join('')}</div>
    <div id="extra"></div>`;

  function merge(name, step, value) {
    if (!series.has(name)) series.set(name, new Map());
    series.get(name).set(step, value);
  }

  function drawCharts() {
    frame = 0;
    const names = [...series.keys()].sort();
    for (const c of CHARTS) {
      const picked = names.filter(c.pick).map(name => ({
        name, points: [...series.get(name).entries()].sort((a, b) => a[0] - b[0]),
      }));
      const el = main.querySelector(`#chart-${c.id}`);
      if (!el) return;
      el.style.display = picked.length || c.id === 'loss' ? '' : 'none';
      el.querySelector('.plot').innerHTML = lineChart(picked, { xLabel: c.x });
    }
    const latest = names.filter(n => !HIDDEN.has(n)).map(n => {
      const entries = [...series.get(n).entries()].sort((a, b) => a[0] - b[0]);
      const [step, value] = entries[entries.length - 1];
      return `<dt>${esc(n)}</dt><dd class="mono">${fmt(value)} <span class="muted">@ ${step}</span></dd>`;
    });
    main.querySelector('#latest').innerHTML = latest.join('') || '<dt class="muted">No metrics yet</dt><dd></dd>';
  }

  function schedule() {
    if (!frame && !gone) frame = requestAnimationFrame(drawCharts);
  }

  function drawJob() {
    main.querySelector('#job-name').innerHTML = `${esc(job.name)} ${badge(job.status)}`;
    const t = job.training || {};
    main.querySelector('#facts').innerHTML = `
      <dt>Progress</dt><dd>${progressBar(job)}</dd>
      <dt>Dataset</dt><dd>${esc(job.dataset)}</dd>
      <dt>Model</dt><dd>${esc(job.spec?.type)}${job.spec?.head ? ' · ' + esc(job.spec.head) : ''}</dd>
      <dt>Training</dt><dd>${esc(t.optimizer ?? '')} · lr ${fmt(t.learningRate)} · batch ${esc(t.batchSize)} · seed ${esc(t.seed)}${t.schedule ? ' · schedule ' + esc(t.schedule.type) : ''}</dd>
      <dt>Created</dt><dd>${when(job.createdAt)}</dd>
      <dt>Ran</dt><dd>${duration(job.startedAt, job.finishedAt)}${job.attempt > 1 ? ` · attempt ${job.attempt}` : ''}</dd>
      ${job.stopReason ? `<dt>Stopped</dt><dd>${esc(job.stopReason)}</dd>` : ''}
      ${job.modelId ? `<dt>Registered</dt><dd><a id="model-link" href="#/models/${job.modelId}">model ${esc(job.modelId)}</a></dd>` : ''}`;
    const alerts = [];
    if (job.error) alerts.push(`<div class="error">${esc(job.error)}</div>`);
    for (const w of job.warnings || []) alerts.push(`<div class="warn">${esc(w)}</div>`);
    main.querySelector('#alerts').innerHTML = alerts.join('');
    const actions = main.querySelector('#actions');
    actions.innerHTML = FINISHED.includes(job.status)
      ? (job.status !== 'SUCCEEDED' ? '<button class="secondary" id="resume">Resume</button>' : '')
      : `<button class="danger" id="cancel" ${job.cancelRequested ? 'disabled' : ''}>${job.cancelRequested ? 'Stopping…' : 'Cancel'}</button>`;
    actions.querySelector('#cancel')?.addEventListener('click', async () => { job = await post(`/api/v1/jobs/${id}/cancel`); drawJob(); });
    actions.querySelector('#resume')?.addEventListener('click', async () => { job = await post(`/api/v1/jobs/${id}/resume`); drawJob(); follow(); });
  }

  async function drawExtras() {
    const extra = main.querySelector('#extra');
    if (!extra) return;
    let html = '';
    const samples = await get(`/api/v1/jobs/${id}/samples`).catch(() => []);
    if (samples.length) {
      const images = samples.filter(s => s.image);
      const texts = samples.filter(s => s.text);
      html += `<div class="panel"><h2>Samples by epoch</h2>`;
      if (images.length) html += `<div class="gallery">${images.map(s => `<figure><img data-src="${esc(s.image)}" alt="epoch ${s.epoch}"><figcaption>epoch ${s.epoch}</figcaption></figure>`).join('')}</div>`;
      if (texts.length) html += `<div class="samples-text">${texts.map(s => `<div><b>epoch ${s.epoch}</b><pre>${esc(s.text)}</pre></div>`).join('')}</div>`;
      html += '</div>';
    }
    if (job.modelId && kindOf(job.spec) === 'classifier') {
      const confusion = await get(`/api/v1/models/${job.modelId}/confusion`).catch(() => null);
      if (confusion) html += confusionTable(confusion);
    }
    extra.innerHTML = html;
    for (const img of extra.querySelectorAll('img[data-src]')) {
      imageUrl(img.dataset.src).then(url => { img.src = url; }).catch(() => { img.alt += ' (not loaded)'; });
    }
  }

  function follow() {
    if (source) source.close();
    if (FINISHED.includes(job.status)) return;
    // EventSource cannot send an Authorization header: with a key, poll instead.
    if (apiKey()) { poll(); return; }
    // From the start: points are keyed by (name, step), so those the metrics call gave are merged.
    source = new EventSource(`/api/v1/jobs/${id}/events`);
    source.addEventListener('metric', e => {
      for (const p of JSON.parse(e.data)) merge(p.name, p.step, p.value);
      schedule();
    });
    source.addEventListener('error', () => {
      // EventSource retries by itself; it gives up only on a refusal such as 503 (too many streams).
      if (source && source.readyState === EventSource.CLOSED) {
        source = null;
        poll();
      }
    });
    source.addEventListener('status', e => {
      const before = job.status;
      job = JSON.parse(e.data);
      drawJob();
      if (FINISHED.includes(job.status)) {
        source.close();
        source = null;
        drawExtras();
      } else if (before !== job.status) {
        drawExtras();
      }
    });
  }

  let pollTimer = 0;
  async function poll() {
    if (gone) return;
    try {
      job = await get(`/api/v1/jobs/${id}`);
      const m = await get(`/api/v1/jobs/${id}/metrics?maxPoints=2000`);
      for (const s of m.series) for (const p of s.points) merge(s.name, p.step, p.value);
      drawJob();
      schedule();
      if (FINISHED.includes(job.status)) { drawExtras(); return; }
    } catch (e) { /* keep trying */ }
    pollTimer = setTimeout(poll, 3000);
  }

  drawJob();
  const metrics = await get(`/api/v1/jobs/${id}/metrics?maxPoints=2000`);
  for (const s of metrics.series) for (const p of s.points) merge(s.name, p.step, p.value);
  drawCharts();
  drawExtras();
  follow();
  return () => { gone = true; if (source) source.close(); if (frame) cancelAnimationFrame(frame); clearTimeout(pollTimer); };
}

export function confusionTable(c) {
  const max = Math.max(1, ...c.counts.flat());
  const head = c.labels.map(l => `<th class="rot">${esc(l)}</th>`).join('');
  const rows = c.counts.map((row, a) => `<tr><th>${esc(c.labels[a])}</th>${row.map((n, p) => {
    const alpha = n / max;
    const color = a === p ? `rgba(23,112,58,${0.12 + 0.88 * alpha})` : `rgba(179,38,30,${alpha === 0 ? 0 : 0.1 + 0.9 * alpha})`;
    return `<td style="background:${color};color:${alpha > 0.5 ? '#fff' : 'inherit'}">${n}</td>`;
  }).join('')}<td class="muted">${fmt(c.classes[a].recall)}</td></tr>`).join('');
  return `<div class="panel" id="confusion"><h2>Confusion matrix (test split) · accuracy ${fmt(c.accuracy)}</h2>
    <div class="muted">Rows: actual class; columns: predicted; last column: recall.</div>
    <table class="confusion"><tr><th></th>${head}<th class="rot">recall</th></tr>${rows}</table></div>`;
}
