import { get, esc, badge, progressBar, when, duration } from './api.js';

export async function render(main) {
  main.innerHTML = `
    <div class="head"><div><h1>Jobs</h1><div class="muted">Newest first; refreshes every 2 seconds.</div></div>
      <a class="button" href="#/submit">New job</a></div>
    <div class="panel"><table id="jobs">
      <thead><tr><th>Name</th><th>Status</th><th>Progress</th><th>Dataset</th><th>Model</th><th>Created</th><th>Duration</th></tr></thead>
      <tbody><tr><td colspan="7" class="muted">Loading…</td></tr></tbody></table></div>`;
  const body = main.querySelector('tbody');
  async function refresh() {
    const page = await get('/api/v1/jobs?size=50');
    if (page.items.length === 0) {
      body.innerHTML = '<tr><td colspan="7" class="muted">No jobs yet. <a href="#/submit">Submit one</a>.</td></tr>';
      return;
    }
    body.innerHTML = page.items.map(j => `
      <tr class="click" data-id="${j.id}">
        <td><a href="#/jobs/${j.id}">${esc(j.name)}</a></td>
        <td>${badge(j.status)}</td>
        <td>${progressBar(j)}</td>
        <td>${esc(j.dataset)}</td>
        <td>${j.modelId ? `<a href="#/models/${j.modelId}">model</a>` : ''}</td>
        <td class="muted">${when(j.createdAt)}</td>
        <td class="muted">${duration(j.startedAt, j.finishedAt)}</td>
      </tr>`).join('');
    body.querySelectorAll('tr.click').forEach(tr => tr.addEventListener('click', e => {
      if (e.target.tagName !== 'A') location.hash = `#/jobs/${tr.dataset.id}`;
    }));
  }
  await refresh();
  const timer = setInterval(() => refresh().catch(() => {}), 2000);
  return () => clearInterval(timer);
}
