// Hash router: #/jobs, #/jobs/{id}, #/submit, #/models, #/models/{ref}, #/draw.
import * as jobs from './jobs.js';
import * as job from './job.js';
import * as submit from './submit.js';
import * as models from './models.js';
import * as draw from './draw.js';
import { esc, apiKey, setApiKey } from './api.js';

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

const keyButton = document.getElementById('api-key');
function showKey() {
  keyButton.textContent = apiKey() ? 'API key ✓' : 'API key';
}
keyButton.addEventListener('click', () => {
  const entered = prompt('API key (kept in this browser; empty to forget it):', apiKey());
  if (entered === null) return;
  setApiKey(entered);
  showKey();
  route();
});
showKey();

window.addEventListener('hashchange', route);
route();
