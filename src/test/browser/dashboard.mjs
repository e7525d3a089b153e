// Drives the dashboard in Debian's headless Chromium: submits an iris MLP from the form, watches its
// loss curve appear and grow, then draws a digit and classifies it with a 28x28 model.
// Usage: node dashboard.mjs <baseUrl> <outDir>. Prints "RESULT {json}" and exits 0 on success.
import { chromium } from 'playwright-core';
import { mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const [baseUrl, outDir = 'target/browser'] = process.argv.slice(2);
if (!baseUrl) {
  console.error('usage: node dashboard.mjs <baseUrl> <outDir>');
  process.exit(2);
}
mkdirSync(outDir, { recursive: true });
const profile = mkdtempSync(join(tmpdir(), 'deeptrain-chromium-'));
const step = message => console.log(`step: ${message}`);

// Without the networking flags Chromium's own connections (updates, sync) are refused here and
// slow it down. A fresh profile (--user-data-dir, which Playwright sets from the first argument)
// so no state leaks between runs.
const browser = await chromium.launchPersistentContext(profile, {
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  headless: true,
  viewport: { width: 1280, height: 800 },
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
const errors = [];
let exitCode = 1;
try {
  const page = browser.pages()[0] || await browser.newPage();
  page.setDefaultTimeout(60_000);
  page.on('pageerror', e => errors.push(`page error: ${e.message}`));
  page.on('console', m => { if (m.type() === 'error') errors.push(`console: ${m.text()}`); });

  step('open the submit form');
  await page.goto(`${baseUrl}/#/submit`);
  await page.selectOption('#template', 'iris-mlp');
  // Enough epochs that the curve is seen growing while the job runs.
  await page.fill('#epochs', '150');
  await page.click('#submit');
  await page.waitForURL(/#\/jobs\/[0-9a-f-]{36}$/);
  const jobId = page.url().split('/').pop();
  step(`submitted job ${jobId}`);

  const lossPoints = () => page.$eval('#chart-loss', el => {
    const counts = [...el.querySelectorAll('path.series')].map(p => Number(p.dataset.points));
    return counts.length ? Math.max(...counts) : 0;
  });
  await page.waitForFunction(() => {
    const p = document.querySelector('#chart-loss path.series');
    return p && Number(p.dataset.points) > 0;
  });
  const first = await lossPoints();
  const firstStatus = await page.getAttribute('#job-name .badge', 'data-status');
  step(`loss curve appeared with ${first} points (job ${firstStatus})`);
  await page.waitForFunction(n => {
    const counts = [...document.querySelectorAll('#chart-loss path.series')].map(p => Number(p.dataset.points));
    return Math.max(...counts) > n;
  }, first);
  const grown = await lossPoints();
  step(`loss curve grew to ${grown} points`);

  await page.waitForSelector('#job-name .badge[data-status="SUCCEEDED"]', { timeout: 180_000 });
  await page.waitForFunction(() => {
    const p = document.querySelector('#chart-loss path.series');
    return p && Number(p.dataset.points) === 150;
  });
  await page.waitForSelector('#chart-lr path.series');
  await page.waitForSelector('#confusion');
  const final = await lossPoints();
  const lrPoints = await page.$eval('#chart-lr path.series', p => Number(p.dataset.points));
  step(`job succeeded: ${final} loss points, ${lrPoints} learning-rate points`);
  await page.screenshot({ path: join(outDir, 'dashboard-job.png'), fullPage: true });

  step('open the draw page');
  await page.goto(`${baseUrl}/#/draw`);
  await page.waitForSelector('#model option', { state: 'attached' });
  if (process.env.DRAW_MODEL) await page.selectOption('#model', process.env.DRAW_MODEL);
  const model = await page.$eval('#model', s => s.value);
  const box = await page.locator('#pad').boundingBox();
  // A "7": the top bar, then the diagonal stroke, drawn with the mouse.
  const stroke = async points => {
    await page.mouse.move(box.x + points[0][0] * box.width, box.y + points[0][1] * box.height);
    await page.mouse.down();
    for (const [x, y] of points.slice(1)) {
      await page.mouse.move(box.x + x * box.width, box.y + y * box.height, { steps: 12 });
    }
    await page.mouse.up();
  };
  await stroke([[0.25, 0.22], [0.5, 0.2], [0.75, 0.22]]);
  await stroke([[0.75, 0.22], [0.6, 0.5], [0.45, 0.8]]);
  await page.click('#classify');
  await page.waitForSelector('#prediction');
  const prediction = (await page.textContent('#prediction')).trim();
  const probabilities = await page.$$eval('#result .bar', bars => bars.map(b => ({
    label: b.querySelector('span').textContent.trim(),
    percent: parseFloat(b.querySelector('.mono').textContent),
  })));
  const ink = await page.$eval('#small', c => {
    const d = c.getContext('2d').getImageData(0, 0, 28, 28).data;
    let lit = 0;
    for (let i = 0; i < d.length; i += 4) if (d[i] > 64) lit++;
    return lit;
  });
  step(`classified as ${prediction} by model ${model}; ${ink} lit pixels of 784`);
  await page.screenshot({ path: join(outDir, 'dashboard-draw.png'), fullPage: true });

  if (errors.length) throw new Error(`the page reported errors:\n${errors.join('\n')}`);
  console.log('RESULT ' + JSON.stringify({
    jobId, firstStatus, lossPoints: { first, grown, final }, lrPoints, model, prediction, probabilities, ink,
  }));
  exitCode = 0;
} catch (e) {
  console.error(`FAILED: ${e.stack || e}`);
  if (errors.length) console.error(errors.join('\n'));
} finally {
  await browser.close();
  rmSync(profile, { recursive: true, force: true });
}
process.exit(exitCode);
