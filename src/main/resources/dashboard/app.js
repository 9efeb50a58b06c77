// The Medley dashboard: plain DOM code, no dependencies. Every call carries the admin token, kept
// in this tab's sessionStorage only. Data is written with textContent, never parsed as HTML.
'use strict';

const KEY = 'medley.adminToken';
const POLL_MS = 2000;
let token = sessionStorage.getItem(KEY);
let routes = [];
let timer = null;

const $ = (id) => document.getElementById(id);

function el(tag, attrs, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (k === 'class') e.className = v;
    else if (k.startsWith('data-')) e.setAttribute(k, v);
    else e[k] = v;
  }
  for (const c of children) {
    if (c !== null && c !== undefined) e.append(c instanceof Node ? c : String(c));
  }
  return e;
}

function ms(v) {
  return v === null || v === undefined ? '–' : (v < 10 ? v.toFixed(2) : v.toFixed(1)) + ' ms';
}

function pct(v) {
  return v === null || v === undefined ? '–' : (v * 100).toFixed(1) + '%';
}

class Unauthorized extends Error {}

async function api(path, options) {
  const o = Object.assign({}, options || {});
  o.headers = Object.assign({ Authorization: 'Bearer ' + token }, o.headers || {});
  const r = await fetch(path, o);
  if (r.status === 401) throw new Unauthorized('the admin token was refused');
  const body = await r.json();
  if (!r.ok) throw new Error(body.detail || ('HTTP ' + r.status));
  return body;
}

function showLogin(message) {
  token = null;
  sessionStorage.removeItem(KEY);
  if (timer) clearInterval(timer);
  $('app').hidden = true;
  $('logout').hidden = true;
  $('login').hidden = false;
  $('login-error').hidden = !message;
  $('login-error').textContent = message || '';
}

function fail(e) {
  if (e instanceof Unauthorized) showLogin('That token was refused (401).');
  else $('status').textContent = 'error: ' + e.message;
}

// ---- routes and their step graphs ----

function renderRoutes(data) {
  $('version').textContent = 'config version ' + data.version;
  const box = $('routes-body');
  box.replaceChildren();
  routes = [];
  for (const exp of data.experiences) {
    box.append(el('h3', { 'data-experience': exp.name }, 'experience ', el('code', {}, exp.name)));
    for (const r of exp.routes) {
      routes.push(r);
      box.append(routeCard(r));
    }
  }
  fillExplainRoutes();
}

function routeCard(r) {
  const card = el('div', { class: 'route', 'data-route': r.id },
    el('div', { class: 'route-title' }, r.method + ' ' + r.path),
    el('span', { class: 'muted' }, 'deadline ' + r.deadlineMs + ' ms · ' + r.steps.length + ' step(s) in ' + r.waves + ' wave(s)'));
  const graph = el('div', { class: 'graph' });
  for (let w = 0; w < r.waves; w++) {
    const col = el('div', { class: 'wave', 'data-wave': String(w) },
      el('span', { class: 'wave-label' }, w === 0 ? 'starts at once' : 'wave ' + (w + 1)));
    for (const s of r.steps.filter((x) => x.wave === w)) {
      col.append(el('div', { class: 'step' + (s.optional ? ' optional' : ''), 'data-step': s.name },
        el('strong', {}, s.name),
        el('span', { class: 'upstream' }, s.method + ' ' + s.upstream + (s.optional ? ' · optional' : '')
          + (s.forEach ? ' · forEach' : '') + (s.when ? ' · when' : '')),
        s.dependsOn.length ? el('span', { class: 'after', 'data-after': s.dependsOn.join(',') }, 'after ' + s.dependsOn.join(', ')) : null));
    }
    graph.append(col);
  }
  card.append(graph);
  return card;
}

// ---- upstreams, traffic, requests, reload ----

function renderUpstreams(data) {
  const body = $('upstreams-body');
  body.replaceChildren();
  for (const u of data.upstreams) {
    body.append(el('tr', { 'data-upstream': u.name },
      el('td', {}, u.name),
      el('td', {}, el('span', { class: 'badge ' + u.breaker, 'data-breaker': u.breaker }, u.breaker.replace('_', '-'))),
      el('td', {}, u.attempts),
      el('td', { 'data-error-rate': String(u.errorRate) }, pct(u.errorRate)),
      el('td', {}, ms(u.p50Ms)),
      el('td', {}, ms(u.p99Ms)),
      el('td', { class: 'ejected' }, u.ejected.length ? u.ejected.join(', ') : 'none')));
  }
}

function renderTraffic(data) {
  const box = $('traffic-body');
  box.replaceChildren();
  for (const layer of ['response', 'step']) {
    const c = data.cache[layer];
    box.append(el('div', { class: 'card', 'data-cache': layer },
      el('div', { class: 'muted' }, layer + ' cache hit ratio'),
      el('div', { class: 'value' }, pct(c.hitRatio)),
      el('div', { class: 'muted' }, c.hits + ' hit, ' + c.stale + ' stale, ' + c.misses + ' miss')));
  }
  const limited = Object.entries(data.rateLimited);
  const total = limited.reduce((n, [, v]) => n + v, 0);
  box.append(el('div', { class: 'card', 'data-rate-limited': String(total) },
    el('div', { class: 'muted' }, 'rate-limit rejections (429)'),
    el('div', { class: 'value' }, total),
    el('div', { class: 'muted' }, limited.length ? limited.map(([k, v]) => k + ': ' + v).join(', ') : 'none')));
}

function renderRequests(data) {
  $('requests-note').textContent = '(up to ' + data.sampledPerSecond + ' a second, the last ' + data.kept + '; click one for its waterfall)';
  const body = $('requests-body');
  body.replaceChildren();
  for (const r of data.requests) {
    const row = el('tr', { class: 'clickable', 'data-request-id': r.requestId },
      el('td', {}, r.time.substring(11, 23)),
      el('td', {}, r.method),
      el('td', {}, r.route),
      el('td', {}, el('span', { class: 'badge s' + String(r.status)[0] }, r.status)),
      el('td', {}, ms(r.durationMs)),
      el('td', {}, r.partial.join(', ')));
    row.addEventListener('click', () => openRequest(r.requestId));
    body.append(row);
  }
}

function renderReload(data) {
  const box = $('reload-body');
  box.replaceChildren();
  const r = data.rejected;
  const h = data.heldBack;
  box.className = r || h ? '' : 'muted';
  if (!r) {
    box.append(el('p', {}, 'No reload has been rejected since start.'));
  } else {
    box.append(el('p', {}, 'At ' + r.time + ' a config (version ' + (r.attemptedVersion || 'unreadable') + ') was rejected with '
      + r.errors.length + ' error(s); version ' + r.servingVersion + ' kept serving.'));
    box.append(errorList('reload-errors', r.errors));
  }
  // A folder config whose last reload applied only some files: the invalid ones serve their last good version.
  if (h) {
    box.append(el('p', { id: 'held-back' }, 'Held back (serving their last good version): ' + h.files.join(', ')));
    box.append(errorList('held-back-errors', h.errors));
  }
}

function errorList(id, errors) {
  const list = el('ul', { id: id });
  for (const e of errors) list.append(el('li', { class: 'error', 'data-path': e.path }, el('code', {}, e.text)));
  return list;
}

// ---- waterfalls: from a sampled request or from explain output ----

function renderWaterfall(title, durationMs, steps, answer) {
  $('waterfall').hidden = false;
  $('waterfall-summary').replaceChildren(el('p', {}, title + ' · ' + ms(durationMs)));
  const total = Math.max(durationMs || 0, ...steps.map((s) => s.endMs || 0), 0.001);
  const bars = el('div', { class: 'bars' });
  for (const s of steps) {
    const start = s.startMs === null ? 0 : s.startMs;
    const end = s.endMs === null ? (s.startMs === null ? 0 : total) : s.endMs;
    const bar = el('div', { class: 'bar ' + s.outcome });
    bar.style.left = (100 * start / total) + '%';
    bar.style.width = (100 * (end - start) / total) + '%';
    bars.append(el('div', { class: 'bar-row', 'data-step': s.step, 'data-outcome': s.outcome },
      el('span', {}, s.step, s.dependsOn && s.dependsOn.length ? el('span', { class: 'muted' }, ' after ' + s.dependsOn.join(', ')) : null),
      el('div', { class: 'track' }, bar),
      el('span', { class: 'muted' }, ms(s.startMs) + ' → ' + ms(s.endMs) + ' · ' + s.outcome + (s.reason ? ' (' + s.reason + ')' : '')
        + (s.cache && s.cache !== 'none' ? ' · cache ' + s.cache : ''))));
  }
  $('waterfall-body').replaceChildren(bars);
  $('waterfall-answer').textContent = answer === undefined ? '(not kept for sampled requests)' : JSON.stringify(answer, null, 2);
  $('waterfall').scrollIntoView();
}

async function openRequest(id) {
  try {
    const r = await api('/admin/requests/' + encodeURIComponent(id));
    renderWaterfall(r.method + ' ' + r.route + ' → ' + r.status + ' (request ' + r.requestId + ')', r.durationMs, r.steps);
  } catch (e) {
    fail(e);
  }
}

// ---- explain with sample parameters ----

function fillExplainRoutes() {
  const select = $('explain-route');
  const chosen = select.value;
  select.replaceChildren();
  routes.forEach((r, i) => select.append(el('option', { value: String(i) }, r.method + ' ' + r.path)));
  if (chosen) select.value = chosen;
  fillExplainParams();
}

function sampleValue(p) {
  if (p.type === 'int' || p.type === 'integer' || (p.pattern && /\[0-9\]|\\d/.test(p.pattern))) return '1';
  return '';
}

function fillExplainParams() {
  const box = $('explain-params');
  box.replaceChildren();
  const r = routes[Number($('explain-route').value)];
  if (!r) return;
  for (const p of r.params) {
    box.append(el('label', {}, p.name + ' (' + p.in + (p.pattern ? ', ' + p.pattern : '') + ') ',
      el('input', { type: 'text', name: p.name, value: sampleValue(p), 'data-in': p.in })));
  }
}

async function explain(method, path, auth, body) {
  try {
    const headers = auth ? { Authorization: auth } : {};
    const request = { method, path, headers };
    if (body) {
      try {
        request.body = JSON.parse(body);
      } catch (e) {
        request.body = body; // sent as it is
      }
    }
    const out = await api('/admin/explain', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(request),
    });
    const x = out.explain;
    renderWaterfall('explained ' + method + ' ' + path + ' → ' + out.status + ' (request ' + x.requestId + ')', x.durationMs, x.steps, out.body);
  } catch (e) {
    fail(e);
  }
}

function explainForm(ev) {
  ev.preventDefault();
  const r = routes[Number($('explain-route').value)];
  if (!r) return;
  let path = r.path;
  const query = new URLSearchParams();
  for (const input of $('explain-params').querySelectorAll('input')) {
    if (input.dataset.in === 'path') path = path.replace('{' + input.name + '}', encodeURIComponent(input.value));
    else if (input.value !== '') query.append(input.name, input.value);
  }
  const q = query.toString();
  explain(r.method, path + (q ? '?' + q : ''), $('explain-auth').value.trim(), $('explain-body').value.trim());
}

// ---- start ----

async function refresh() {
  try {
    const [u, t, q, rl] = await Promise.all([api('/admin/upstreams'), api('/admin/traffic'), api('/admin/requests'), api('/admin/rejected-reload')]);
    renderUpstreams(u);
    renderTraffic(t);
    renderRequests(q);
    renderReload(rl);
    $('status').textContent = 'updated ' + new Date().toLocaleTimeString();
  } catch (e) {
    fail(e);
  }
}

async function openDashboard(links) {
  $('login').hidden = true;
  $('app').hidden = false;
  $('logout').hidden = false;
  try {
    renderRoutes(await api('/admin/routes'));
  } catch (e) {
    fail(e);
    return;
  }
  await refresh();
  if (token === null) return;
  document.body.dataset.ready = 'true';
  if (links.get('request')) await openRequest(links.get('request'));
  if (links.get('explain')) {
    const [method, ...rest] = links.get('explain').split(' ');
    await explain(method, rest.join(' '), '', '');
  }
  timer = setInterval(() => {
    refresh();
    api('/admin/routes').then((d) => { if (!$('version').textContent.endsWith(d.version)) renderRoutes(d); }).catch(fail);
  }, POLL_MS);
}

function start() {
  // A link may carry the token (and a request or path to show) in its fragment, which browsers never
  // send to a server; it is moved to sessionStorage and removed from the address bar at once.
  const links = new URLSearchParams(location.hash.substring(1));
  if (links.get('token')) {
    token = links.get('token');
    sessionStorage.setItem(KEY, token);
    history.replaceState(null, '', location.pathname);
  }
  $('login-form').addEventListener('submit', (ev) => {
    ev.preventDefault();
    token = $('token').value.trim();
    sessionStorage.setItem(KEY, token);
    openDashboard(new URLSearchParams());
  });
  $('logout').addEventListener('click', () => showLogin(''));
  $('explain-route').addEventListener('change', fillExplainParams);
  $('explain-form').addEventListener('submit', explainForm);
  if (token) openDashboard(links);
  else showLogin('');
}

start();
