// Black-box tests of the JSON API: the real server, a temporary database.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, CHILD, rawRequest } from './server.mjs';
import { auditUntil } from '../e2e/demo.mjs';

let srv;
before(async () => { srv = await startServer(); });
after(async () => { await srv.stop(); srv.cleanup(); });

async function newChild(overrides = {}) {
  const r = await srv.post('/api/v1/children', { ...CHILD, upn: null, nhs_number: null, ...overrides });
  assert.equal(r.status, 201, r.text);
  return r.json;
}

async function newCase(childId, date = '2026-01-05', coordinator = 'a.coordinator') {
  const r = await srv.post('/api/v1/cases', {
    child_id: childId, coordinator, start: { type: 'request_received', date },
  });
  assert.equal(r.status, 201, r.text);
  return r.json;
}

function deadline(timeline, step) {
  return timeline.deadlines.find((d) => d.step === step);
}

test('health reports the backend and schema version', async () => {
  const r = await srv.get('/api/v1/health');
  assert.equal(r.status, 200);
  assert.equal(r.json.status, 'ok');
  assert.equal(r.json.backend, process.env.SENDHUB_TEST_PG ? 'postgresql' : 'sqlite');
  assert.ok(r.json.schema_version >= 1);
});

test('the API needs a valid token; health does not', async () => {
  const none = await fetch(`${srv.base}/api/v1/cases`);
  assert.equal(none.status, 401);
  assert.equal((await none.json()).error.code, 'unauthorised');
  const forged = await fetch(`${srv.base}/api/v1/cases`, { headers: { authorization: 'Bearer ' + 'A'.repeat(43) } });
  assert.equal(forged.status, 401);
  const health = await fetch(`${srv.base}/api/v1/health`);
  assert.equal(health.status, 200);
});

test('every read of a case is in the audit log', async () => {
  const child = await newChild({ surname: 'Audited' });
  const c = await newCase(child.id);
  const r = await srv.get(`/api/v1/cases/${c.id}`);
  assert.equal(r.status, 200);
  const isRead = (e) => e.action === 'read' && e.object === 'case' && e.object_id === c.id;
  const entries = await auditUntil(srv.db, [], (log) => log.some(isRead), 'the read of the case');
  const read = entries.find(isRead);
  assert.equal(read.username, 'tester.coordinator');
  assert.equal(read.child_id, child.id);
  assert.ok(entries.some((e) => e.action === 'write' && e.object === 'case' && e.object_id === c.id),
    'opening the case was audited as a write');
});

test('every response carries the security headers', async () => {
  const r = await srv.get('/api/v1/health');
  assert.equal(r.headers.get('x-content-type-options'), 'nosniff');
  assert.equal(r.headers.get('x-frame-options'), 'DENY');
  assert.equal(r.headers.get('cache-control'), 'no-store');
  assert.match(r.headers.get('content-security-policy'), /default-src 'none'/);
  assert.equal(r.headers.get('referrer-policy'), 'no-referrer');
});

test('creating a child normalises identifiers and returns its address', async () => {
  const r = await srv.post('/api/v1/children', CHILD);
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.upn, 'B801200005001');
  assert.equal(r.json.nhs_number, '9434765919');
  assert.equal(r.json.postcode, 'SW1A 1AA');
  assert.deepEqual(r.json.sen_needs, ['ASD', 'SLCN']);
  assert.equal(r.headers.get('location'), `/api/v1/children/${r.json.id}`);
  const got = await srv.get(`/api/v1/children/${r.json.id}`);
  assert.equal(got.status, 200);
  assert.equal(got.json.surname, 'Testperson');
  assert.deepEqual(got.json.cases, []);
});

test('a duplicate UPN is a conflict naming the field', async () => {
  const r = await srv.post('/api/v1/children', { ...CHILD, nhs_number: null });
  assert.equal(r.status, 409, r.text);
  assert.equal(r.json.error.code, 'conflict');
  assert.equal(r.json.error.field, 'upn');
});

test('invalid child fields are rejected with the field named', async () => {
  const cases = [
    [{ forename: '' }, 'forename'],
    [{ surname: undefined }, 'surname'],
    [{ date_of_birth: '2016-02-30' }, 'date_of_birth'],
    [{ date_of_birth: '2027-01-01' }, 'date_of_birth'],
    [{ upn: 'B801200005002' }, 'upn'],
    [{ nhs_number: '9434765918' }, 'nhs_number'],
    [{ postcode: 'QQ1 1AA' }, 'postcode'],
    [{ sen_needs: ['XYZ'] }, 'sen_needs'],
    [{ sen_needs: ['NSA'] }, 'sen_needs'],
    [{ sen_needs: ['ASD', 'ASD'] }, 'sen_needs'],
    [{ setting_urn: '12' }, 'setting_urn'],
    [{ favourite_colour: 'blue' }, 'favourite_colour'],
    [{ forename: 42 }, 'forename'],
  ];
  for (const [change, field] of cases) {
    const body = { ...CHILD, upn: null, nhs_number: null, ...change };
    const r = await srv.post('/api/v1/children', body);
    assert.equal(r.status, 422, `${JSON.stringify(change)}: ${r.text}`);
    assert.equal(r.json.error.code, 'invalid');
    assert.equal(r.json.error.field, field, JSON.stringify(change));
    assert.ok(r.json.error.message.length > 10);
  }
});

test('malformed requests are refused without harm', async () => {
  let r = await srv.post('/api/v1/children', '{"forename": ');
  assert.equal(r.status, 400);
  assert.equal(r.json.error.code, 'bad_json');
  r = await srv.post('/api/v1/children', '[1,2]');
  assert.equal(r.status, 400);
  r = await srv.post('/api/v1/children', JSON.stringify(CHILD), { 'content-type': 'text/plain' });
  assert.equal(r.status, 415);
  let deep = '1';
  for (let i = 0; i < 20; i++) deep = `{"a":${deep}}`;
  r = await srv.post('/api/v1/children', deep);
  assert.equal(r.status, 400);
  r = await srv.post('/api/v1/children', '{"forename":"a","forename":"b"}');
  assert.equal(r.status, 400, 'duplicate keys are ambiguous');
  r = await srv.request('DELETE', '/api/v1/children');
  assert.equal(r.status, 405);
  r = await srv.get('/api/v1/nothing-here');
  assert.equal(r.status, 404);
  r = await srv.get('/api/v1/cases/abc');
  assert.equal(r.status, 404);
  r = await srv.get('/api/v1/cases/99999999');
  assert.equal(r.status, 404);
  assert.equal(r.json.error.code, 'not_found');
  const health = await srv.get('/api/v1/health');
  assert.equal(health.status, 200, 'the server is still up');
});

test('oversized bodies are refused at the declared length and mid-stream', async () => {
  const declared = await rawRequest(srv.port,
    'POST /api/v1/children HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n' +
    `Content-Length: ${8 * 1024 * 1024}\r\n\r\n{"forename":`);
  assert.match(declared, /^HTTP\/1\.1 413 /);
  assert.match(declared, /"code":"too_large"/);
  const chunked = ['POST /api/v1/children HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n' +
    'Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n'];
  const chunk = 'x'.repeat(64 * 1024);
  for (let i = 0; i < 20; i++) chunked.push(`${chunk.length.toString(16)}\r\n${chunk}\r\n`);
  chunked.push('0\r\n\r\n');
  const streamed = await rawRequest(srv.port, chunked);
  assert.match(streamed, /^HTTP\/1\.1 413 /);
  const health = await srv.get('/api/v1/health');
  assert.equal(health.status, 200, 'the server is still up');
});

test('children are found by name, date of birth, UPN and NHS number', async () => {
  const a = await newChild({ forename: 'Findme', surname: 'O%Brien_x', date_of_birth: '2014-09-01' });
  await newChild({ forename: 'Other', surname: 'Person', date_of_birth: '2014-09-01' });
  let r = await srv.get('/api/v1/children?name=findme');
  assert.equal(r.status, 200);
  assert.deepEqual(r.json.items.map((c) => c.id), [a.id]);
  r = await srv.get(`/api/v1/children?name=${encodeURIComponent('%Brien_')}`);
  assert.deepEqual(r.json.items.map((c) => c.id), [a.id], '% and _ match literally');
  r = await srv.get('/api/v1/children?date_of_birth=2014-09-01');
  assert.equal(r.json.total, 2);
  r = await srv.get('/api/v1/children?date_of_birth=2014-09-01&per_page=1&page=2');
  assert.equal(r.json.items.length, 1);
  assert.equal(r.json.page, 2);
  r = await srv.get('/api/v1/children?upn=B801200005001');
  assert.equal(r.json.items.length, 1);
  r = await srv.get('/api/v1/children?nhs_number=9434765919');
  assert.equal(r.json.items.length, 1);
  r = await srv.get('/api/v1/children?date_of_birth=2014-02-30');
  assert.equal(r.status, 422);
  assert.equal(r.json.error.field, 'date_of_birth');
  r = await srv.get('/api/v1/children?per_page=500');
  assert.equal(r.status, 422);
  assert.equal(r.json.error.field, 'per_page');
});

test('a case opens with its request and shows the statutory timeline', async () => {
  const child = await newChild();
  const c = await newCase(child.id);
  assert.equal(c.stage, 'request');
  assert.equal(c.request_date, '2026-01-05');
  const d = deadline(c.timeline, 'decision_to_assess');
  assert.equal(d.due, '2026-02-16');
  assert.equal(d.status, 'overdue', 'today is pinned to 2026-03-01');
  assert.equal(deadline(c.timeline, 'final_plan').due, '2026-05-25');
  const got = await srv.get(`/api/v1/cases/${c.id}`);
  assert.equal(got.status, 200);
  assert.equal(got.json.child.id, child.id);
  assert.equal(got.json.events.length, 1);
  assert.equal(got.json.events[0].type, 'request_received');
  assert.equal(got.json.timeline.stage, 'request');
  const earlier = await srv.get(`/api/v1/cases/${c.id}?as_of=2026-02-16`);
  assert.equal(deadline(earlier.json.timeline, 'decision_to_assess').status, 'pending', 'due today is not yet overdue');
  const bad = await srv.get(`/api/v1/cases/${c.id}?as_of=2026-13-01`);
  assert.equal(bad.status, 422);
  assert.equal(bad.json.error.field, 'as_of');
});

test('opening a case is validated', async () => {
  const child = await newChild();
  let r = await srv.post('/api/v1/cases', { child_id: 999999, start: { type: 'request_received', date: '2026-01-05' } });
  assert.equal(r.status, 404);
  r = await srv.post('/api/v1/cases', { child_id: child.id, start: { type: 'final_plan_issued', date: '2026-01-05' } });
  assert.equal(r.status, 422);
  r = await srv.post('/api/v1/cases', { child_id: child.id, start: { type: 'request_received', date: '2026-02-31' } });
  assert.equal(r.status, 422);
  assert.equal(r.json.error.field, 'date');
  r = await srv.post('/api/v1/cases', { child_id: child.id });
  assert.equal(r.status, 422);
  assert.equal(r.json.error.field, 'start');
  r = await srv.post('/api/v1/cases', { child_id: 'one', start: { type: 'request_received', date: '2026-01-05' } });
  assert.equal(r.status, 422);
  assert.equal(r.json.error.field, 'child_id');
  const list = await srv.get(`/api/v1/cases?child_id=${child.id}`);
  assert.equal(list.json.total, 0, 'nothing was stored by the failed attempts');
});

test('appending events returns the new timeline; bad events store nothing', async () => {
  const child = await newChild();
  const c = await newCase(child.id);
  let r = await srv.post(`/api/v1/cases/${c.id}/events`, { type: 'decision_to_assess', date: '2026-02-10', outcome: 'assess' });
  assert.equal(r.status, 201, r.text);
  assert.ok(r.json.event.id > 0);
  assert.equal(r.json.timeline.stage, 'assessment');
  assert.equal(deadline(r.json.timeline, 'decision_to_assess').status, 'met');
  r = await srv.post(`/api/v1/cases/${c.id}/events`, { type: 'advice_requested', date: '2026-02-12', agency: 'health' });
  assert.equal(r.status, 201, r.text);
  assert.equal(deadline(r.json.timeline, 'advice:health').due, '2026-03-26');

  const bad = [
    [{ type: 'advice_requested', date: '2026-02-12' }, 'agency'],
    [{ type: 'advice_requested', date: '2026-02-12', agency: 'astrology' }, 'agency'],
    [{ type: 'teleported', date: '2026-02-12' }, 'type'],
    [{ type: 'final_plan_issued', date: '2026-02-30' }, 'date'],
    [{ type: 'final_plan_issued', date: '2025-12-01' }, 'date'],
    [{ type: 'final_plan_issued', date: '2026-04-01', colour: 'red' }, 'colour'],
    [{ type: 'request_received', date: '2026-04-01' }, 'type'],
  ];
  for (const [ev, field] of bad) {
    const res = await srv.post(`/api/v1/cases/${c.id}/events`, ev);
    assert.equal(res.status, 422, `${JSON.stringify(ev)}: ${res.text}`);
    assert.equal(res.json.error.field, field, JSON.stringify(ev));
  }
  const got = await srv.get(`/api/v1/cases/${c.id}`);
  assert.equal(got.json.events.length, 3, 'only the three valid events were stored');
  assert.equal(got.json.case.event_count, 3);
  r = await srv.post('/api/v1/cases/99999/events', { type: 'final_plan_issued', date: '2026-04-01' });
  assert.equal(r.status, 404);
});

test('a correction supersedes an event and the timeline follows it', async () => {
  const child = await newChild();
  const c = await newCase(child.id);
  const wrong = await srv.post(`/api/v1/cases/${c.id}/events`, { type: 'decision_to_assess', date: '2026-03-10', outcome: 'assess' });
  assert.equal(deadline(wrong.json.timeline, 'decision_to_assess').status, 'late');
  const fix = await srv.post(`/api/v1/cases/${c.id}/events`, {
    type: 'correction', date: '2026-03-11', supersedes: wrong.json.event.id,
    reason: 'The decision letter was dated 10 February; entered wrongly.',
    replacement: { type: 'decision_to_assess', date: '2026-02-10', outcome: 'assess' },
  });
  assert.equal(fix.status, 201, fix.text);
  const d = deadline(fix.json.timeline, 'decision_to_assess');
  assert.equal(d.done, '2026-02-10');
  assert.equal(d.status, 'met');
  const got = await srv.get(`/api/v1/cases/${c.id}`);
  assert.equal(got.json.events.length, 3, 'the wrong event is kept in the history');
  const badFix = await srv.post(`/api/v1/cases/${c.id}/events`, { type: 'correction', date: '2026-03-11', supersedes: 999999, reason: 'x' });
  assert.equal(badFix.status, 422);
  assert.equal(badFix.json.error.field, 'supersedes');
});

test('the caseload filters by stage, coordinator, due date and overdue, with paging', async () => {
  const coord = 'z.filter';
  const ids = [];
  for (const date of ['2025-12-01', '2026-01-20', '2026-02-20']) {
    const child = await newChild({ surname: `Case${date}` });
    ids.push((await newCase(child.id, date, coord)).id);
  }
  await srv.post(`/api/v1/cases/${ids[1]}/events`, { type: 'decision_to_assess', date: '2026-02-01', outcome: 'assess' });
  let r = await srv.get(`/api/v1/cases?coordinator=${coord}`);
  assert.equal(r.status, 200);
  assert.equal(r.json.total, 3);
  const dues = r.json.items.map((i) => i.next_due);
  assert.deepEqual([...dues].sort(), dues, 'ordered by what is due next');
  assert.ok(r.json.items[0].child.surname.startsWith('Case'));
  r = await srv.get(`/api/v1/cases?coordinator=${coord}&stage=assessment`);
  assert.deepEqual(r.json.items.map((i) => i.id), [ids[1]]);
  r = await srv.get(`/api/v1/cases?coordinator=${coord}&overdue=true`);
  assert.deepEqual(r.json.items.map((i) => i.id), [ids[0]], 'decision due 2026-01-12 is overdue on 2026-03-01');
  assert.equal(r.json.items[0].overdue, true);
  r = await srv.get(`/api/v1/cases?coordinator=${coord}&due_within=45`);
  assert.ok(r.json.items.every((i) => i.next_due <= '2026-04-15'));
  assert.ok(r.json.items.some((i) => i.id === ids[2]), 'decision due 2026-04-03 is within 45 days');
  r = await srv.get(`/api/v1/cases?coordinator=${coord}&per_page=2&page=2`);
  assert.equal(r.json.items.length, 1);
  assert.equal(r.json.total, 3);
  await srv.post(`/api/v1/cases/${ids[0]}/events`, { type: 'decision_to_assess', date: '2026-01-10', outcome: 'refuse' });
  r = await srv.get(`/api/v1/cases?coordinator=${coord}&open=true`);
  assert.deepEqual(r.json.items.map((i) => i.id).sort(), [ids[1], ids[2]].sort(), 'the refused case is not open');
  r = await srv.get(`/api/v1/cases?coordinator=${coord}&open=false`);
  assert.equal(r.json.total, 3);
  for (const q of ['stage=nowhere', 'overdue=maybe', 'open=maybe', 'due_within=-1', 'page=0', 'per_page=abc']) {
    const bad = await srv.get(`/api/v1/cases?${q}`);
    assert.equal(bad.status, 422, q);
    assert.equal(bad.json.error.field, q.split('=')[0]);
  }
});

test('concurrent appends to one case lose nothing and keep their order', async () => {
  const child = await newChild();
  const c = await newCase(child.id, '2026-01-05');
  await srv.post(`/api/v1/cases/${c.id}/events`, { type: 'decision_to_assess', date: '2026-01-20', outcome: 'assess' });
  const agencies = ['education', 'health', 'social_care', 'psychology', 'other'];
  const posts = [];
  for (let i = 0; i < 30; i++) {
    posts.push(srv.post(`/api/v1/cases/${c.id}/events`, {
      type: 'advice_requested', date: '2026-01-21', agency: agencies[i % agencies.length],
    }));
  }
  const results = await Promise.all(posts);
  for (const r of results) assert.equal(r.status, 201, r.text);
  const got = await srv.get(`/api/v1/cases/${c.id}`);
  assert.equal(got.json.events.length, 32);
  const ids = got.json.events.map((e) => e.id);
  assert.deepEqual([...ids].sort((a, b) => a - b), ids, 'log order is id order');
  assert.equal(new Set(ids).size, ids.length);
});

// The caseload page keeps its rendered table while the database is
// unchanged (web/fragment_cache.h): every write, by this server or by any
// other process, must show on the very next view, and every view is audited.
test('the caseload page shows every change at once, cached or not', async () => {
  const { signedIn } = await import('../e2e/session.mjs');
  const { PASSWORD } = await import('./server.mjs');
  const me = await signedIn(srv.base, 'tester.coordinator', PASSWORD);
  const caption = (html) => Number(/(\d+) cases?<span/.exec(html)?.[1] ?? 0); // no table: none
  let page = await me.get('/caseload');
  assert.equal(page.status, 200, page.text);
  const before = caption(page.text);
  const child = await newChild({ forename: 'Cachetest', surname: 'Before' });
  const c = await newCase(child.id, '2026-01-05', 'tester.coordinator');
  for (let i = 0; i < 3; i++) { // the first view fills the cache, the others may hit it
    page = await me.get('/caseload');
    assert.equal(caption(page.text), before + 1);
    assert.match(page.text, /Cachetest Before/);
    assert.match(page.text, /Decide whether to assess/);
  }
  // a write through this server
  const r = await srv.post(`/api/v1/cases/${c.id}/events`, { type: 'decision_to_assess', date: '2026-02-10', outcome: 'refuse' });
  assert.equal(r.status, 201, r.text);
  page = await me.get('/caseload');
  assert.equal(r.json.timeline.stage, 'refused', r.text);
  assert.equal(caption(page.text), before, 'a refused request leaves the open caseload');
  assert.doesNotMatch(page.text, /Cachetest Before/);
  const c2 = await newCase(child.id, '2026-02-20', 'tester.coordinator');
  page = await me.get('/caseload');
  assert.equal(caption(page.text), before + 1);
  assert.match(page.text, new RegExp(`/cases/${c2.id}"`));
  // a write by another process, straight into the SQLite file
  if (!process.env.SENDHUB_TEST_PG) {
    const { spawnSync } = await import('node:child_process');
    const w = spawnSync('sqlite3', [srv.db, `UPDATE children SET surname = 'After' WHERE id = ${child.id}`], { encoding: 'utf8' });
    assert.equal(w.status, 0, w.stderr);
    page = await me.get('/caseload');
    assert.match(page.text, /Cachetest After/);
    assert.doesNotMatch(page.text, /Cachetest Before/);
  }
  // every view was audited, cached or not (the writer batches: up to 200 ms late)
  const views = process.env.SENDHUB_TEST_PG ? 6 : 7;
  await auditUntil(srv.db, ['--user', 'tester.coordinator', '--action', 'read'],
    (log) => log.filter((e) => e.object === 'caseload').length >= views, `${views} caseload reads`);
});

// A case's JSON is kept while the database is unchanged, for people who see
// the whole area (web/fragment_cache.h): a repeated read gives the same
// body, every change shows on the next read, and every read is audited.
test('a case read shows every change at once, cached or not', async () => {
  const child = await newChild({ forename: 'Jsoncache', surname: 'Before' });
  const c = await newCase(child.id);
  const first = await srv.get(`/api/v1/cases/${c.id}`);
  assert.equal(first.status, 200, first.text);
  for (let i = 0; i < 3; i++) {
    const again = await srv.get(`/api/v1/cases/${c.id}`);
    assert.equal(again.text, first.text);
  }
  const other = await srv.get(`/api/v1/cases/${c.id}?as_of=2026-02-16`);
  assert.notEqual(other.text, first.text, 'another as_of is another body');
  const r = await srv.post(`/api/v1/cases/${c.id}/events`, { type: 'decision_to_assess', date: '2026-02-10', outcome: 'assess' });
  assert.equal(r.status, 201, r.text);
  let got = await srv.get(`/api/v1/cases/${c.id}`);
  assert.equal(got.json.events.length, 2);
  assert.equal(got.json.timeline.stage, 'assessment');
  if (!process.env.SENDHUB_TEST_PG) { // another process writes straight into the file
    const { spawnSync } = await import('node:child_process');
    const w = spawnSync('sqlite3', [srv.db, `UPDATE children SET surname = 'After' WHERE id = ${child.id}`], { encoding: 'utf8' });
    assert.equal(w.status, 0, w.stderr);
    got = await srv.get(`/api/v1/cases/${c.id}`);
    assert.equal(got.json.child.surname, 'After');
  }
  const reads = process.env.SENDHUB_TEST_PG ? 6 : 7;
  const caseReads = (log) => log.filter((e) => e.object === 'case').length;
  const log = await auditUntil(srv.db, ['--child', String(child.id), '--action', 'read'],
    (entries) => caseReads(entries) >= reads, `${reads} reads of the case`);
  assert.equal(caseReads(log), reads, 'every read of the case is audited, once');
});
