// Hash router: #/jobs, #/jobs/{id}, #/submit, #/models, #/models/{ref}, #/draw.
import * as jobs from './jobs.js';
import * as job from './job.js';
import * as submit from './submit.js';
import * as models from './models.js';
import * as draw from './draw.js';
import { esc } from './api.js';

const routes = [
  [/^#\/jobs\/([^/]+)$/, job, 'jobs'],
  [/^#\/jobs$/, jobs, 'jobs'],
  [/^#\/submit$/, submit, 'submit'],
  [/^#\/models\/(.+)$/, models.page, 'models'],
  [/^#\/models$/, models.list, 'models'],
  [/^#\/draw$/, draw, 'draw'],
];

let cleanup = null;

async function route() {
  const hash = location.hash || '#/jobs';
  if (cleanup) { try { cleanup(); } catch (e) { /* page already gone */ } cleanup = null; }
  const main = document.getElementById('app');
  for (const [pattern, page, nav] of routes) {
    const match = hash.match(pattern);
    if (match) {
      document.querySelectorAll('[data-nav]').forEach(a => a.classList.toggle('active', a.dataset.nav === nav));
      main.innerHTML = '';
      try {
        cleanup = (await page.render(main, ...match.slice(1).map(decodeURIComponent))) || null;
      } catch (e) {
        main.innerHTML = `<div class="error">${esc(e.message)}</div>`;
      }
      return;
    }
  }
  location.hash = '#/jobs';
}

window.addEventListener('hashchange', route);
route();
