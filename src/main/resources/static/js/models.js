// The registered models, and one model's page: its card, metrics, confusion and a sample button.
import { get, post, esc, fmt, when, kindOf, ApiError, imageUrl } from './api.js';
import { confusionTable } from './job.js';
import { bars } from './draw.js';

export const list = {
  async render(main) {
    const page = await get('/api/v1/models?size=200');
    main.innerHTML = `
      <div class="head"><div><h1>Models</h1><div class="muted">${page.total} registered, newest first.</div></div></div>
      <div class="panel"><table>
        <thead><tr><th>Name</th><th>Version</th><th>Kind</th><th>Dataset</th><th>Input</th><th>Key metric</th><th>Created</th></tr></thead>
        <tbody>${page.items.map(m => `<tr class="click" data-id="${m.id}">
          <td><a href="#/models/${m.id}">${esc(m.name)}</a></td><td>v${m.version}</td>
          <td>${esc(m.spec?.type ?? 'uploaded')}</td><td>${esc(m.dataset)}</td>
          <td class="mono">${esc(JSON.stringify(m.inputShape))}</td>
          <td>${keyMetric(m.metrics)}</td><td class="muted">${when(m.createdAt)}</td></tr>`).join('')
          || '<tr><td colspan="7" class="muted">No models yet: a job registers one when it succeeds.</td></tr>'}</tbody>
      </table></div>`;
    main.querySelectorAll('tr.click').forEach(tr => tr.addEventListener('click', e => {
      if (e.target.tagName !== 'A') location.hash = `#/models/${tr.dataset.id}`;
    }));
  },
};

function keyMetric(metrics) {
  if (!metrics) return '';
  for (const k of ['test_accuracy', 'fid', 'test_loss', 'perplexity', 'test_rmse']) {
    if (metrics[k] != null) return `${k} <span class="mono">${fmt(metrics[k])}</span>`;
  }
  return '';
}

/** The model card when the registry serves one, else the model itself. */
async function card(ref) {
  try {
    return { card: await get(`/api/v1/models/${encodeURIComponent(ref)}/card`) };
  } catch (e) {
    if (!(e instanceof ApiError) || (e.status !== 404 && e.status !== 405)) throw e;
    return { card: null };
  }
}

export const page = {
  async render(main, ref) {
    const [{ card: c }, model] = await Promise.all([card(ref), get(`/api/v1/models/${encodeURIComponent(ref)}`)]);
    const kind = kindOf(model.spec);
    const metrics = Object.entries(model.metrics || {});
    main.innerHTML = `
      <div class="head"><div><h1>${esc(model.name)} <span class="muted">v${model.version}</span></h1>
        <div class="muted mono">${esc(model.id)}</div></div>
        <div class="toolbar"><a class="button" href="/api/v1/models/${model.id}/artifact" download>Download</a></div></div>
      <div class="row">
        <div class="panel grow"><h2>Model</h2><dl class="facts">
          <dt>Kind</dt><dd>${esc(model.spec?.type ?? 'uploaded')}${model.spec?.head ? ' · ' + esc(model.spec.head) : ''}</dd>
          <dt>Dataset</dt><dd>${esc(model.dataset)}</dd>
          <dt>Input shape</dt><dd class="mono">${esc(JSON.stringify(model.inputShape))}</dd>
          ${model.labels?.length ? `<dt>Labels</dt><dd>${model.labels.map(esc).join(', ')}</dd>` : ''}
          <dt>Created</dt><dd>${when(model.createdAt)}</dd>
          ${model.jobId ? `<dt>Trained by</dt><dd><a href="#/jobs/${model.jobId}">job ${esc(model.jobId)}</a></dd>` : ''}
        </dl></div>
        <div class="panel grow"><h2>Metrics</h2><dl class="facts">${metrics.map(([k, v]) => `<dt>${esc(k)}</dt><dd class="mono">${fmt(v)}</dd>`).join('') || '<dt class="muted">none</dt><dd></dd>'}</dl></div>
      </div>
      <div class="panel" id="sample"><div class="head" style="margin:0"><h2 style="margin:0">Try it</h2>
        <button id="sample-button">${kind === 'generative' ? 'Generate 16 images' : kind === 'language' ? 'Complete “The ”' : kind === 'forecaster' ? 'No sample for forecasters' : model.inputShape.length === 3 ? 'Classify a dataset image' : 'Classify the average example'}</button></div>
        <div id="sample-out" style="margin-top:12px"></div></div>
      <div id="confusion-slot"></div>
      <div class="panel" id="card"><h2>${c ? 'Model card' : 'Spec and training'}</h2>
        ${c ? cardFacts(c) : '<div class="muted">This server has no model card endpoint; showing the model version.</div>'}
        <details ${c ? '' : 'open'}><summary>${c ? 'The whole card (JSON)' : 'Spec, training and normalisation (JSON)'}</summary>
        <pre class="json">${esc(JSON.stringify(c ?? { spec: model.spec, training: model.training, normalization: model.normalization }, null, 2))}</pre></details></div>`;
    const button = main.querySelector('#sample-button');
    if (kind === 'forecaster') button.disabled = true;
    button.addEventListener('click', async () => {
      const out = main.querySelector('#sample-out');
      button.disabled = true;
      try {
        out.innerHTML = await sample(model, kind);
      } catch (e) {
        out.innerHTML = `<div class="error">${esc(e.message)}</div>`;
      } finally {
        button.disabled = false;
      }
    });
    if (kind === 'classifier') {
      const confusion = await get(`/api/v1/models/${model.id}/confusion`).catch(() => null);
      if (confusion) main.querySelector('#confusion-slot').innerHTML = confusionTable(confusion);
    }
  },
};

/** The card's provenance as facts; its field names follow GET /api/v1/models/{ref}/card. */
function cardFacts(c) {
  const row = (k, v) => (v === undefined || v === null || v === '' ? '' : `<dt>${esc(k)}</dt><dd>${v}</dd>`);
  const mono = v => (v == null ? null : `<span class="mono">${esc(v)}</span>`);
  const libs = Object.entries(c.libraryVersions || {}).map(([k, v]) => `${esc(k)} ${esc(v)}`).join(' · ');
  return `<dl class="facts" style="margin-bottom:10px">
    ${row('Source', esc(c.source ?? ''))}
    ${row('Aliases', (c.aliases || []).map(a => `<span class="badge SUCCEEDED">${esc(a)}</span>`).join(' '))}
    ${row('Dataset', c.dataset ? `${esc(c.dataset.name ?? c.dataset)} ${c.dataset.sha256 ? mono('sha256 ' + c.dataset.sha256) : ''}` : null)}
    ${row('Seed', mono(c.seed))}
    ${row('Parameters', c.parameters != null ? Number(c.parameters).toLocaleString() : null)}
    ${row('Artifact', c.artifact ? `${esc(c.artifact.mediaType)}, ${Number(c.artifact.sizeBytes).toLocaleString()} bytes ${mono('sha256 ' + c.artifact.sha256)}` : null)}
    ${row('Libraries', libs || null)}
  </dl>`;
}

const topK = model => Math.min(5, (model.labels || []).length || 1);

async function sample(model, kind) {
  if (kind === 'generative') {
    const g = await post(`/api/v1/models/${model.id}/generate`, { n: 16 });
    return `<div class="gallery"><figure><img src="data:image/png;base64,${g.grid}" alt="generated" style="width:320px"><figcaption>16 samples</figcaption></figure></div>`;
  }
  if (kind === 'language') {
    const r = await post(`/api/v1/models/${model.id}/complete`, { prompt: 'The ', length: 200 });
    return `<pre class="json">${esc(JSON.stringify(r, null, 2))}</pre>`;
  }
  if (model.inputShape.length === 3) {
    const { png, label } = await datasetImage(model);
    const r = await post(`/api/v1/models/${model.id}/classify`, { images: [png], topK: topK(model) });
    const p = r.predictions[0];
    return `<div class="draw"><figure style="margin:0"><img src="data:image/png;base64,${png}" style="width:112px;image-rendering:pixelated"><figcaption class="muted">true class: ${esc(label)}</figcaption></figure>
      <div class="bars grow"><div class="predicted">${esc(p.label)}</div>${bars(p)}</div></div>`;
  }
  // Tabular: the training mean of every feature, a "typical" row; edit the request in the API for others.
  const row = model.normalization?.mean;
  if (!row) throw new Error('this model has no stored feature means to build an example from');
  const r = await post(`/api/v1/models/${model.id}/classify`, { instances: [row], topK: topK(model) });
  const p = r.predictions[0];
  return `<div class="muted">Input: the mean of each training feature <span class="mono">${esc(row.map(fmt).join(', '))}</span></div>
    <div class="bars"><div class="predicted">${esc(p.label)}</div>${bars(p)}</div>`;
}

/** A random training image cut from the dataset's preview grid (8 columns, 2-pixel gaps and border, by class). */
async function datasetImage(model) {
  const [c, h, w] = model.inputShape;
  const info = await get(`/api/v1/datasets/${encodeURIComponent(model.dataset)}`);
  const img = new Image();
  img.src = await imageUrl(`/api/v1/datasets/${encodeURIComponent(model.dataset)}/preview.png`);
  await img.decode();
  const classes = info.classes.length;
  const perClass = Math.max(1, Math.floor(64 / classes));
  const count = Math.min(64, perClass * classes);
  const i = Math.floor(Math.random() * count);
  const canvas = document.createElement('canvas');
  canvas.width = w; canvas.height = h;
  const ctx = canvas.getContext('2d');
  ctx.drawImage(img, 2 + (i % 8) * (w + 2), 2 + Math.floor(i / 8) * (h + 2), w, h, 0, 0, w, h);
  if (c === 1) {
    const d = ctx.getImageData(0, 0, w, h);
    for (let p = 0; p < d.data.length; p += 4) d.data[p + 1] = d.data[p + 2] = d.data[p];
    ctx.putImageData(d, 0, 0);
  }
  return { png: canvas.toDataURL('image/png').split(',')[1], label: info.classes[Math.floor(i / perClass)] };
}
