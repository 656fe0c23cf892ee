// The authorisation matrix (tests/http/authz-table.mjs): every route against
// every role on the demo area, one test per cell. Then what the matrix cannot
// show: CSRF rejection, sessions that end (sign-out) or never were (forged
// cookies, an API token used as a cookie), and an audit entry for every read.
//
// Pages are reached with a session from POST /sign-in (the CSRF token read
// from the page's forms); the API with a bearer token from `sendhub user
// token`. Signed-out requests carry neither.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { after, before, test } from 'node:test';
import { promisify } from 'node:util';

import { DEMO_PASSWORD, addUser, apiToken, auditUntil, startDemo } from '../e2e/demo.mjs';
import { Session, signedIn } from '../e2e/session.mjs';
import { MATRIX, OUTCOME, ROLES, body } from './authz-table.mjs';

let srv;
const pages = {};   // role -> Session with a cookie (signed in through the form)
const apis = {};    // role -> Session with a bearer token
const users = {};   // role -> username
const ids = {};     // role -> { in, out, child_in, child_out, in_name, out_name }
let cellNo = 0;

const SIGNED_IN_ROLES = ROLES.filter((r) => r !== 'signed_out');

before(async () => {
  srv = await startDemo();
  const acc = srv.accounts;
  // The parent column is a family account with no children linked (the
  // demo's p.family has one, which a cell might happen to name), and an
  // account is added for the admin cells to disable, enable and reset.
  await addUser(srv.db, { username: 'p.parent', name: 'P. Parent', role: 'parent' });
  acc.parent = ['p.parent'];
  await addUser(srv.db, { username: 'matrix.target', name: 'Matrix Target', role: 'coordinator' });
  for (const role of SIGNED_IN_ROLES) {
    users[role] = acc[role]?.[0];
    assert.ok(users[role], `the demo has no ${role} account (demo output:\n${srv.demoOutput})`);
  }
  // Sessions and tokens for every role, in parallel (Argon2id takes a while).
  await Promise.all(SIGNED_IN_ROLES.map(async (role) => {
    pages[role] = await signedIn(srv.base, users[role], DEMO_PASSWORD);
    apis[role] = new Session(srv.base);
    apis[role].bearer = await apiToken(srv.db, users[role], `authz ${role}`);
  }));
  pages.signed_out = new Session(srv.base);
  apis.signed_out = new Session(srv.base);
  await findCases();
  await makeAdvice();
  const people = await pages.admin.get('/people');
  const m = new RegExp('matrix\\.target[\\s\\S]*?/people/(\\d+)/').exec(people.text);
  assert.ok(m, 'the admin\'s people page links to matrix.target\'s account');
  for (const role of ROLES) ids[role].user = Number(m[1]);
  await findHealth();
});

after(async () => {
  await srv?.stop();
  srv?.cleanup();
});

// ---- the demo records each role sees and does not see --------------------

async function asManager(path) {
  const r = await apis.manager.get(path);
  assert.equal(r.status, 200, `GET ${path} as the manager: ${r.status} ${r.text.slice(0, 200)}`);
  return r.json;
}

// In-scope cases come from each scoped role's own caseload, and are checked
// against the record as the manager sees it (an advice request to the
// role's agency; the child at the setting). The out-of-scope case is one
// with no advice request to health or social care ever, at another setting:
// outside every scoped role's reach by the data, whatever the code says.
async function findCases() {
  const detail = async (id) => asManager(`/api/v1/cases/${id}`);
  const child = async (id) => asManager(`/api/v1/children/${id}`);
  const adviceTo = (d, agency) => (d.events ?? []).some((e) => e.type === 'advice_requested' && e.agency === agency);

  const scoped = {};
  for (const [role, agency] of [['health', 'health'], ['social_care', 'social_care'], ['setting', null]]) {
    const r = await apis[role].get('/api/v1/cases?per_page=20');
    assert.equal(r.status, 200, `GET /api/v1/cases as ${role}: ${r.status} ${r.text.slice(0, 200)}`);
    assert.ok(r.json.items.length > 0, `${role} sees no case at all in the demo area`);
    const c = r.json.items[0];
    const d = await detail(c.id);
    const ch = await child(c.child_id);
    if (agency) assert.ok(adviceTo(d, agency), `case ${c.id} in ${role}'s caseload has no advice request to ${agency}`);
    scoped[role] = { in: c.id, child_in: c.child_id, in_name: ch.surname, urn: ch.setting_urn };
  }
  // The setting's caseload holds only children at that setting.
  const setList = await apis.setting.get('/api/v1/cases?per_page=50');
  for (const c of setList.json.items) {
    const ch = await child(c.child_id);
    assert.equal(ch.setting_urn, scoped.setting.urn, `case ${c.id} in the setting's caseload is at another setting`);
  }

  let out = null;
  for (let page = 1; !out && page <= 5; page++) {
    const list = await asManager(`/api/v1/cases?per_page=50&page=${page}`);
    for (const c of list.items) {
      const d = await detail(c.id);
      if (adviceTo(d, 'health') || adviceTo(d, 'social_care')) continue;
      const ch = await child(c.child_id);
      if (!ch.setting_urn || ch.setting_urn === scoped.setting.urn) continue;
      if (Object.values(scoped).some((s) => s.child_in === c.child_id)) continue;
      out = { out: c.id, child_out: c.child_id, out_name: ch.surname };
      break;
    }
  }
  assert.ok(out, 'no case outside every scoped role\'s reach found in the demo area');
  for (const role of ROLES) {
    const own = scoped[role] ?? scoped.health;
    ids[role] = { ...own, ...out, coordinator: users.coordinator };
  }
}

// ---- advice requests --------------------------------------------------------

// What each role's service is asked, on the role's own in-scope case: health
// and social care their agency, the setting its own school (education).
function askFor(role) {
  if (role === 'social_care') return { agency: 'social_care', service: 'Matrix social care' };
  if (role === 'setting') return { agency: 'education', setting_urn: ids.setting.urn };
  return { agency: 'health', service: 'Matrix health' };
}

async function newAdvice(role, ask = askFor(role)) {
  const caseId = ids[role].in;
  const r = await apis.manager.post(`/api/v1/cases/${caseId}/advice-requests`,
    { date: '2026-11-02', requests: [ask] }, { json: true });
  assert.equal(r.status, 201, `requesting advice for the matrix: ${r.text}`);
  return r.json.items[0].id;
}

// A multipart/form-data body with fields and one PDF, as a browser sends it.
function multipart(fields, file) {
  const boundary = '----matrix' + 'x'.repeat(16);
  const parts = Object.entries(fields).map(([k, v]) =>
    `--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`);
  parts.push(`--${boundary}\r\nContent-Disposition: form-data; name="files"; filename="${file.name}"\r\n` +
    `Content-Type: application/pdf\r\n\r\n${file.text}\r\n--${boundary}--\r\n`);
  return { body: parts.join(''), type: `multipart/form-data; boundary=${boundary}` };
}

async function makeAdvice() {
  const out = await newAdvice('health', { agency: 'psychology', service: 'Matrix psychology' });
  for (const role of ROLES) {
    const own = ['health', 'social_care', 'setting'].includes(role) ? role : 'health';
    ids[role].advice = role === own ? await newAdvice(role) : undefined;
    ids[role].advice_out = out;
  }
  for (const role of ROLES) ids[role].advice ??= ids.health.advice;
  // Health answers one request with a PDF through the page's form.
  const answered = await newAdvice('health');
  const s = pages.health;
  const { body, type } = multipart({ [s.csrf.name]: s.csrf.value, needs: 'N', outcomes: 'O', provision: 'P' },
    { name: 'matrix.pdf', text: '%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n' });
  const r = await s.post(`/advice/${answered}`, body, { headers: { 'content-type': type } });
  assert.equal(r.status, 303, `health answering with a PDF: ${r.status} ${r.text.slice(0, 300)}`);
  const got = await asManager(`/api/v1/advice-requests/${answered}`);
  assert.equal(got.files.length, 1);
  for (const role of ROLES) Object.assign(ids[role], { advice_file: answered, file: got.files[0].id });
}

// The health pathways (by code), the autism pathway for {pathway}, and the
// NHS number of health's in-scope child (new referrals name the child by it).
async function findHealth() {
  const list = await apis.health.get('/api/v1/pathways');
  assert.equal(list.status, 200, list.text);
  const pathways = Object.fromEntries(list.json.items.map((p) => [p.code, p.id]));
  const nhs = (await asManager(`/api/v1/children/${ids.health.child_in}`)).nhs_number;
  assert.ok(nhs, 'health\'s in-scope child has an NHS number');
  for (const role of ROLES) Object.assign(ids[role], { pathways, pathway: pathways.autism, nhs_number: nhs });
}

// ---- one test per cell ------------------------------------------------------

async function fill(path, role) {
  // A new open request for this cell alone: to the role's own service, or
  // (fresh_advice_out) to educational psychology, outside every scoped role.
  if (path.includes('{fresh_advice}')) {
    const own = ['health', 'social_care', 'setting'].includes(role) ? role : 'health';
    path = path.replace('{fresh_advice}', String(await newAdvice(own)));
  }
  if (path.includes('{fresh_advice_out}')) {
    const id = await newAdvice('health', { agency: 'psychology', service: 'Matrix psychology' });
    path = path.replace('{fresh_advice_out}', String(id));
  }
  if (path.includes('{referral}')) {
    // A fresh referral, for this cell alone.
    const r = await apis.health.post('/api/v1/referrals', { child_id: ids.health.child_in,
      pathway_id: ids.health.pathways.slt, referrer: 'GP', referral_date: '2026-11-02' }, { json: true });
    assert.equal(r.status, 201, `making a referral for the cell: ${r.text}`);
    path = path.replace('{referral}', String(r.json.id));
  }
  path = path.replace(/\{(\w+)\}/g, (whole, k) => {
    if (k === 'event') return whole;
    const v = ids[role]?.[k];
    if (v === undefined) throw new Error(`no value for {${k}} as ${role}`);
    return String(v);
  });
  if (path.includes('{event}')) {
    // A fresh entry on this case, for this cell alone.
    const caseId = /\/cases\/(\d+)\//.exec(path)[1];
    const r = await apis.manager.post(`/api/v1/cases/${caseId}/events`,
      { type: 'decision_letter', date: '2026-11-02' }, { json: true });
    assert.equal(r.status, 201, `recording an entry for the cell: ${r.text}`);
    path = path.replace('{event}', String(r.json.event.id));
  }
  return path;
}

function outcomeOf(kind, res) {
  if (kind === 'page' && res.status === 303 && /^(https?:\/\/[^/]+)?\/sign-in([?#]|$)/.test(res.location ?? '')) return 'S';
  if (kind === 'api' && res.status === 401) return 'S';
  if (res.status === 404) return 'N';
  if (res.status === 403) return 'D';
  if (res.status >= 200 && res.status < 400) return 'A';
  if (kind === 'page' && res.status === 422) return 'V';
  return `HTTP ${res.status}`;
}

for (const row of MATRIX) {
  for (const role of ROLES) {
    const want = row.expect[role];
    test(`${row.method} ${row.path} as ${role}: ${OUTCOME[want]}`, async () => {
      const path = await fill(row.path, role);
      const who = row.kind === 'api' ? apis[role] : pages[role];
      let res;
      if (row.method === 'GET') {
        res = await who.get(path);
      } else {
        const n = ++cellNo;
        const cellIds = { ...ids[role] };
        if (row.path === '/api/v1/cases') {
          // Each cell opens a case for a child of its own.
          const c = await apis.manager.post('/api/v1/children',
            { forename: 'Spare', surname: `Matrixchild${n}`.replace(/\d/g, (d) => 'abcdefghij'[d]), date_of_birth: '2015-09-09' },
            { json: true });
          assert.equal(c.status, 201, `making a child for the cell: ${c.text}`);
          cellIds.new_child = c.json.id;
        }
        const b = body(row.kind, row.method, path, n, cellIds);
        const opts = typeof b === 'string' ? { headers: { 'content-type': 'text/csv' } } : { json: true };
        res = row.kind === 'api' ? await who.post(path, b, opts) : await who.postForm(path, b);
      }
      const got = outcomeOf(row.kind, res);
      const ok = want === 'D' ? got === 'D' || got === 'N' : got === want;
      assert.ok(ok, `${row.method} ${path} as ${role}: wanted ${OUTCOME[want]}, got ${OUTCOME[got] ?? got} ` +
        `(${res.status}${res.location ? ` -> ${res.location}` : ''}): ${res.text.slice(0, 300)}`);
      if (want !== 'A' && want !== 'V' && ids[role]?.out_name && path.includes(String(ids[role].out))) {
        assert.ok(!res.text.includes(ids[role].out_name), 'a refused answer names the child');
      }
    });
  }
}

// ---- CSRF ----------------------------------------------------------------

async function eventCount(caseId) {
  return (await asManager(`/api/v1/cases/${caseId}`)).events.length;
}

test('a form post with a wrong or missing CSRF token is refused and changes nothing', async () => {
  const s = pages.coordinator;
  const caseId = ids.coordinator.in;
  const before = await eventCount(caseId);
  const ev = body('page', 'POST', `/cases/${caseId}/events`, 0, ids.coordinator);
  assert.ok(s.csrf, 'the coordinator\'s pages carry a CSRF token');
  let r = await s.post(`/cases/${caseId}/events`, { ...ev, [s.csrf.name]: 'x'.repeat(43) });
  assert.equal(r.status, 403, `wrong token: ${r.status}`);
  r = await s.post(`/cases/${caseId}/events`, ev);
  assert.equal(r.status, 403, `missing token: ${r.status}`);
  r = await s.post(`/cases/${caseId}/events`, { ...ev, [s.csrf.name]: '' });
  assert.equal(r.status, 403, `empty token: ${r.status}`);
  // Another person's token is not this session's.
  r = await s.post(`/cases/${caseId}/events`, { ...ev, [s.csrf.name]: pages.manager.csrf.value });
  assert.equal(r.status, 403, `another session's token: ${r.status}`);
  assert.equal(await eventCount(caseId), before, 'no event was recorded');
  // The right token works (so the refusals above were about the token).
  r = await s.postForm(`/cases/${caseId}/events`, ev);
  assert.ok(r.status >= 200 && r.status < 400, `right token: ${r.status} ${r.text.slice(0, 300)}`);
  assert.equal(await eventCount(caseId), before + 1, 'the event with the right token was recorded');
});

test('the JSON API with a session cookie needs the X-CSRF-Token header to change anything', async () => {
  const s = pages.coordinator;
  const caseId = ids.coordinator.in;
  const before = await eventCount(caseId);
  const ev = { type: 'decision_letter', date: '2026-11-02' };
  let r = await s.post(`/api/v1/cases/${caseId}/events`, ev, { json: true });
  assert.equal(r.status, 403, `no header: ${r.status} ${r.text}`);
  r = await s.post(`/api/v1/cases/${caseId}/events`, ev, { json: true, headers: { 'x-csrf-token': 'x'.repeat(43) } });
  assert.equal(r.status, 403, `wrong header: ${r.status}`);
  assert.equal(await eventCount(caseId), before, 'nothing was recorded');
  r = await s.post(`/api/v1/cases/${caseId}/events`, ev, { json: true, headers: { 'x-csrf-token': s.csrf.value } });
  assert.equal(r.status, 201, `right header: ${r.status} ${r.text}`);
  assert.equal(await eventCount(caseId), before + 1);
});

test('no role is sent round in a loop: / ends on a page within three redirects', async () => {
  for (const role of ROLES) {
    let path = '/';
    const seen = [];
    let r;
    for (let hop = 0; hop < 4; hop++) {
      r = await pages[role].get(path);
      seen.push(`${r.status} ${path}`);
      if (r.status !== 303 && r.status !== 302) break;
      path = r.location.replace(/^https?:\/\/[^/]+/, '');
    }
    assert.ok(r.status < 300 || r.status >= 400, `${role}: ${seen.join(' -> ')}`);
  }
});

test('signing out needs the CSRF token too', async () => {
  const s = await signedIn(srv.base, users.manager, DEMO_PASSWORD);
  const r = await s.post('/sign-out', {});
  assert.equal(r.status, 403);
  assert.equal((await s.get('/caseload')).status, 200, 'still signed in');
});

// ---- sessions ----------------------------------------------------------------

test('a session cookie stops working after sign-out', async () => {
  const s = await signedIn(srv.base, users.coordinator, DEMO_PASSWORD);
  const jar = new Map(s.cookies);
  assert.equal((await s.get('/caseload')).status, 200);
  const out = await s.signOut();
  assert.ok(out.status === 303 || out.status === 200, `sign-out answered ${out.status}`);
  // Replay the old cookie, as someone who copied it would.
  const replay = new Session(srv.base);
  replay.cookies = jar;
  const r = await replay.get('/caseload');
  assert.equal(r.status, 303);
  assert.match(r.location, /\/sign-in/);
  const p = await replay.post(`/cases/${ids.coordinator.in}/events`,
    { ...body('page', 'POST', '/cases/1/events', 0, ids.coordinator), [s.csrf.name]: s.csrf.value });
  assert.ok(p.status === 303 || p.status === 403, `a post with the old cookie: ${p.status}`);
});

test('forged, tampered and misused session cookies are refused', async () => {
  const good = pages.coordinator;
  const [name, value] = [...good.cookies][0] ?? [];
  assert.ok(name, 'the signed-in session has a cookie');
  const tries = {
    forged: 'A'.repeat(value.length),
    random: Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString('base64url'),
    tampered: value.slice(0, -1) + (value.endsWith('A') ? 'B' : 'A'),
    truncated: value.slice(0, 20),
    'an API token': apis.coordinator.bearer,
    empty: '',
  };
  for (const [what, v] of Object.entries(tries)) {
    const s = new Session(srv.base);
    const r = await s.get('/caseload', { headers: { cookie: `${name}=${v}` } });
    assert.equal(r.status, 303, `${what} cookie: ${r.status}`);
    assert.match(r.location ?? '', /\/sign-in/, `${what} cookie`);
  }
  // And the session cookie is not an API token.
  const api = new Session(srv.base);
  api.bearer = value;
  assert.equal((await api.get('/api/v1/cases')).status, 401, 'a session secret used as a bearer token');
  const bad = new Session(srv.base);
  bad.bearer = 'A'.repeat(43);
  assert.equal((await bad.get('/api/v1/cases')).status, 401, 'a forged bearer token');
  // The real session still works (the refusals were about the cookies).
  assert.equal((await good.get('/caseload')).status, 200);
});

// The session limits are 30 minutes idle and 12 hours in all (auth.h) of
// real time, and the server has no switch to shorten them; so the test moves
// a session's recorded times back in the database (the sqlite3 command, on
// this test's own temporary database), as that much time passing would.
const IDLE_SECONDS = 30 * 60;
// The suite also runs on PostgreSQL (SENDHUB_TEST_PG): then psql, and its
// spelling of "now in unix seconds".
const onPg = () => srv.db.startsWith('postgres');
const sql = (statement) => (onPg()
  ? promisify(execFile)('psql', ['-X', '-q', '-t', '-A', '-d', srv.db, '-c', statement])
  : promisify(execFile)('sqlite3', ['-cmd', '.timeout 5000', srv.db, statement]));
const NOW = () => (onPg() ? 'extract(epoch FROM now())::bigint' : "CAST(strftime('%s','now') AS INTEGER)");
const userTokens = (username, kind) =>
  `FROM tokens WHERE kind = '${kind}' AND user_id = (SELECT id FROM users WHERE username = '${username}')`;

test('a session ends after 30 minutes without use, and not before', async () => {
  await addUser(srv.db, { username: 'expiry.idle', role: 'coordinator' });
  const s = await signedIn(srv.base, 'expiry.idle', DEMO_PASSWORD);
  assert.equal((await s.get('/caseload')).status, 200);
  // 29 minutes idle: still signed in (and the use moves last_used on).
  await sql(`UPDATE tokens SET last_used = last_used - ${IDLE_SECONDS - 60} WHERE hash IN (SELECT hash ${userTokens('expiry.idle', 'session')})`);
  assert.equal((await s.get('/caseload')).status, 200, 'after 29 idle minutes');
  const { stdout } = await sql(`SELECT ${NOW()} - last_used ${userTokens('expiry.idle', 'session')}`);
  assert.ok(Number(stdout.trim()) < 60, `the use was recorded (idle for ${stdout.trim()} s)`);
  // 31 minutes idle: signed out.
  await sql(`UPDATE tokens SET last_used = last_used - ${IDLE_SECONDS + 60} WHERE hash IN (SELECT hash ${userTokens('expiry.idle', 'session')})`);
  const r = await s.get('/caseload');
  assert.equal(r.status, 303, 'after 31 idle minutes');
  assert.match(r.location, /\/sign-in/);
  assert.equal((await s.get('/api/v1/cases', { headers: { cookie: s.cookieHeader() } })).status, 401);
});

test('a session ends at its absolute expiry however recently it was used', async () => {
  await addUser(srv.db, { username: 'expiry.absolute', role: 'coordinator' });
  const s = await signedIn(srv.base, 'expiry.absolute', DEMO_PASSWORD);
  assert.equal((await s.get('/caseload')).status, 200);
  await sql(`UPDATE tokens SET expires_at = ${NOW()} - 1 WHERE hash IN (SELECT hash ${userTokens('expiry.absolute', 'session')})`);
  const r = await s.get('/caseload');
  assert.equal(r.status, 303);
  assert.match(r.location, /\/sign-in/);
});

test('an expired API token is refused', async () => {
  await addUser(srv.db, { username: 'expiry.token', role: 'coordinator' });
  const api = new Session(srv.base);
  api.bearer = await apiToken(srv.db, 'expiry.token', 'expiry');
  assert.equal((await api.get('/api/v1/cases?per_page=1')).status, 200);
  await sql(`UPDATE tokens SET expires_at = ${NOW()} - 1 WHERE hash IN (SELECT hash ${userTokens('expiry.token', 'api')})`);
  assert.equal((await api.get('/api/v1/cases?per_page=1')).status, 401);
});

test('a disabled account\'s session and token stop working at once', async () => {
  await addUser(srv.db, { username: 'expiry.disabled', role: 'coordinator' });
  const s = await signedIn(srv.base, 'expiry.disabled', DEMO_PASSWORD);
  const api = new Session(srv.base);
  api.bearer = await apiToken(srv.db, 'expiry.disabled', 'disable');
  assert.equal((await s.get('/caseload')).status, 200);
  assert.equal((await api.get('/api/v1/cases?per_page=1')).status, 200);
  const { sendhub } = await import('../e2e/demo.mjs');
  await sendhub(['user', 'disable', '--db', srv.db, '--username', 'expiry.disabled']);
  const r = await s.get('/caseload');
  assert.equal(r.status, 303);
  assert.equal((await api.get('/api/v1/cases?per_page=1')).status, 401);
});

test('the session cookie is HttpOnly, SameSite and path-wide', async () => {
  const s = new Session(srv.base);
  const form = await s.get('/sign-in');
  const { hiddenFields } = await import('../e2e/session.mjs');
  const r = await s.post('/sign-in', { ...hiddenFields(form.text, '/sign-in'), username: users.inspector, password: DEMO_PASSWORD });
  assert.equal(r.status, 303);
  const cookies = r.headers.getSetCookie();
  const session = cookies.find((c) => !/max-age=0/i.test(c));
  assert.ok(session, `a session cookie is set: ${cookies}`);
  assert.match(session, /;\s*HttpOnly/i);
  assert.match(session, /;\s*SameSite=(Lax|Strict)/i);
  assert.match(session, /;\s*Path=\//i);
});

// ---- audit of reads ----------------------------------------------------------

// A person's entries once one matches (auditUntil waits for the batch writer).
const auditFor = (username, match) => auditUntil(srv.db, ['--user', username],
  (entries) => entries.some((e) => e.username === username && match(e)), `an entry by ${username}`);

test('opening a case page is audited as a read by that person', async () => {
  const s = pages.coordinator;
  // A case this test alone opens as the coordinator.
  const list = await asManager('/api/v1/cases?per_page=50&page=3');
  const target = list.items.find((c) => c.id !== ids.coordinator.in && c.id !== ids.coordinator.out);
  const r = await s.get(`/cases/${target.id}`);
  assert.equal(r.status, 200);
  const isRead = (e) => e.action === 'read' && Number(e.object_id) === target.id && e.object === 'case';
  const entries = await auditFor(users.coordinator, isRead);
  const e = entries.find(isRead);
  assert.equal(Number(e.child_id), target.child_id, 'the entry names the child');
  assert.equal(e.role, 'coordinator');
});

test('reading a case through the API is audited as a read', async () => {
  const list = await asManager('/api/v1/cases?per_page=50&page=4');
  const target = list.items[7];
  const r = await apis.inspector.get(`/api/v1/cases/${target.id}`);
  assert.equal(r.status, 200);
  const isRead = (e) => e.action === 'read' && Number(e.object_id) === target.id;
  await auditFor(users.inspector, isRead);
});

test('a refused case is audited as denied, and the audit page shows it to the manager', async () => {
  const r = await pages.health.get(`/cases/${ids.health.out}`);
  assert.equal(r.status, 404);
  const isDenied = (e) => e.action === 'denied' && Number(e.object_id) === ids.health.out;
  await auditFor(users.health, isDenied);
  // Through the API too (social care, so the entries cannot be confused).
  const a = await apis.social_care.get(`/api/v1/cases/${ids.social_care.out}`);
  assert.equal(a.status, 404);
  const isApiDenied = (e) => e.action === 'denied' && Number(e.object_id) === ids.social_care.out;
  await auditFor(users.social_care, isApiDenied);
  const page = await pages.manager.get(`/audit?username=${encodeURIComponent(users.health)}`);
  assert.equal(page.status, 200);
  assert.match(page.text, new RegExp(users.health.replace('.', '\\.')));
  assert.match(page.text, /denied/i);
});
