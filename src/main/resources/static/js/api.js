// Thin fetch wrappers: JSON in and out, RFC 9457 problems turned into readable errors.

export class ApiError extends Error {
  constructor(status, problem) {
    const fields = (problem?.errors || []).map(e => `${e.field}: ${e.message}`);
    super(fields.length ? fields.join('\n') : (problem?.detail || problem?.title || `HTTP ${status}`));
    this.status = status;
    this.problem = problem;
  }
}

// With deeptrain.security.enabled the API wants a key: kept in this browser only, sent as a Bearer token.
const KEY = 'deeptrain.apiKey';

export function apiKey() {
  return localStorage.getItem(KEY) || '';
}

export function setApiKey(key) {
  if (key) localStorage.setItem(KEY, key.trim()); else localStorage.removeItem(KEY);
}

function headers(extra) {
  const key = apiKey();
  return key ? { ...extra, Authorization: `Bearer ${key}` } : extra;
}

async function handle(response) {
  const type = response.headers.get('Content-Type') || '';
  const body = type.includes('json') ? await response.json() : null;
  if (response.status === 401) {
    throw new ApiError(401, { detail: `${body?.detail || 'An API key is needed.'} Set one with "API key" at the top right.` });
  }
  if (!response.ok) throw new ApiError(response.status, body);
  return body;
}

export async function get(path) {
  return handle(await fetch(path, { headers: headers({ Accept: 'application/json' }) }));
}

/** A URL an <img> can show: the path itself in open mode, else the image fetched with the key. */
export async function imageUrl(path) {
  if (!apiKey()) return path;
  const response = await fetch(path, { headers: headers({ Accept: 'image/png' }) });
  if (!response.ok) throw new ApiError(response.status, null);
  return URL.createObjectURL(await response.blob());
}

export async function post(path, body) {
  return handle(await fetch(path, {
    method: 'POST',
    headers: headers({ 'Content-Type': 'application/json', Accept: 'application/json' }),
    body: body === undefined ? undefined : JSON.stringify(body),
  }));
}

export const FINISHED = ['SUCCEEDED', 'FAILED', 'CANCELLED'];

export function esc(value) {
  return String(value ?? '').replace(/[&<>"']/g, c => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c]));
}

export function badge(status) {
  return `<span class="badge ${esc(status)}" data-status="${esc(status)}">${esc(status)}</span>`;
}

export function progressBar(job) {
  const p = job.progress || { fraction: 0, epochsDone: 0, epochsTotal: 0 };
  const cls = job.status === 'SUCCEEDED' ? 'done' : job.status;
  return `<span class="progress ${cls}" title="${p.epochsDone} of ${p.epochsTotal} epochs"><span style="width:${(p.fraction * 100).toFixed(1)}%"></span></span>
    <span class="muted mono">&nbsp;${p.epochsDone}/${p.epochsTotal}</span>`;
}

export function when(instant) {
  if (!instant) return '';
  const d = new Date(instant);
  return d.toLocaleString(undefined, { dateStyle: 'short', timeStyle: 'medium' });
}

export function duration(from, to) {
  if (!from) return '';
  const s = Math.max(0, ((to ? new Date(to) : new Date()) - new Date(from)) / 1000);
  return s < 90 ? `${s.toFixed(1)} s` : `${Math.floor(s / 60)} min ${Math.round(s % 60)} s`;
}

export function fmt(x) {
  if (typeof x !== 'number' || !isFinite(x)) return String(x ?? '');
  const a = Math.abs(x);
  if (a !== 0 && (a < 1e-3 || a >= 1e5)) return x.toExponential(2);
  return a >= 100 ? x.toFixed(1) : x.toPrecision(4).replace(/\.?0+$/, '');
}

/** Which kind of model a spec is, for what the pages offer. */
export function kindOf(spec) {
  if (!spec) return 'classifier';
  if (['VAE', 'GAN', 'DIFFUSION'].includes(spec.type)) return 'generative';
  if (spec.type === 'LSTM' && spec.head === 'LANGUAGE_MODEL') return 'language';
  if (spec.type === 'LSTM' && spec.head === 'REGRESSION') return 'forecaster';
  return 'classifier';
}
