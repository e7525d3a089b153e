// The submit form: a template from the course's catalogue, edited as JSON, posted to /api/v1/jobs.
import { get, post, esc, ApiError } from './api.js';

export async function render(main) {
  const templates = await get('templates.json');
  main.innerHTML = `
    <div class="head"><div><h1>Submit a training job</h1>
      <div class="muted">Start from one of the course's models, edit the request, submit. Errors name the field and what is allowed.</div></div></div>
    <div class="row">
      <div class="panel" style="flex:0 0 330px">
        <label for="template">Template</label>
        <select id="template" style="width:100%">${templates.map(t => `<option value="${t.id}">${esc(t.title)}</option>`).join('')}</select>
        <p class="muted" id="description"></p>
        <label for="name">Job name</label>
        <input id="name" style="width:100%">
        <label for="epochs">Epochs</label>
        <input id="epochs" type="number" min="1" style="width:120px">
        <p><button id="submit">Submit job</button></p>
        <div id="result"></div>
      </div>
      <div class="panel grow">
        <label for="request">Request (POST /api/v1/jobs)</label>
        <textarea id="request" spellcheck="false"></textarea>
      </div>
    </div>`;
  const $ = s => main.querySelector(s);
  const text = $('#request');

  function load(id) {
    const t = templates.find(x => x.id === id);
    $('#description').textContent = t.description;
    $('#name').value = t.request.name;
    $('#epochs').value = t.request.training?.epochs ?? '';
    text.value = JSON.stringify(t.request, null, 2);
  }
  function edit(mutate) {
    try {
      const request = JSON.parse(text.value);
      mutate(request);
      text.value = JSON.stringify(request, null, 2);
    } catch (e) { /* the JSON is being edited; submit reports it */ }
  }
  $('#template').addEventListener('change', e => load(e.target.value));
  $('#name').addEventListener('input', e => edit(r => { r.name = e.target.value; }));
  $('#epochs').addEventListener('input', e => edit(r => { r.training = { ...(r.training || {}), epochs: Number(e.target.value) }; }));
  $('#submit').addEventListener('click', async () => {
    const result = $('#result');
    let request;
    try { request = JSON.parse(text.value); } catch (e) {
      result.innerHTML = `<div class="error">The request is not valid JSON: ${esc(e.message)}</div>`;
      return;
    }
    $('#submit').disabled = true;
    try {
      const job = await post('/api/v1/jobs', request);
      location.hash = `#/jobs/${job.id}`;
    } catch (e) {
      const title = e instanceof ApiError ? `${e.status} ${e.problem?.title || ''}` : 'Failed';
      result.innerHTML = `<div class="error"><b>${esc(title)}</b>\n${esc(e.message)}</div>`;
    } finally {
      $('#submit').disabled = false;
    }
  });
  load(templates[0].id);
}
