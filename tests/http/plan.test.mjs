// The EHC plan editor (GET /cases/{id}/plan) keeps its rendered content
// while the database is unchanged (web/fragment_cache.h, page_plan.c):
// a saved item shows on the very next view; people who may edit and people
// who may only read never get each other's page; the CSRF field in the
// page's forms is always the requester's own; and every view is audited,
// from the cache or not. Views follow each other within a few milliseconds,
// well inside the audit writer's 200 ms batches, so most of them are served
// from the cache (each view's own audit entry is what ends an entry's life).
// The server runs one worker thread: the cache is per thread, and with more
// two people's requests may land on different threads, which would hide a
// mix-up between them.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { startServer, addUser, CHILD, PASSWORD } from './server.mjs';
import { auditUntil } from '../e2e/demo.mjs';
import { hiddenFields, signedIn } from '../e2e/session.mjs';

let srv, caseId, childId;
before(async () => {
  srv = await startServer({ extra: ['--threads', '1'] });
  addUser(srv.db, 'other.coordinator', 'coordinator');
  addUser(srv.db, 'tester.inspector', 'inspector');
  addUser(srv.db, 'tester.health', 'health');
  addUser(srv.db, 'far.coordinator', 'coordinator', { la: '991' });
  const child = await srv.post('/api/v1/children', { ...CHILD, forename: 'Plancache', upn: null, nhs_number: null });
  assert.equal(child.status, 201, child.text);
  childId = child.json.id;
  const c = await srv.post('/api/v1/cases', {
    child_id: childId, coordinator: 'tester.coordinator',
    start: { type: 'request_received', date: '2026-01-05' },
  });
  assert.equal(c.status, 201, c.text);
  caseId = c.json.id;
  // in assessment, so the editor carries the form that issues the draft
  const e = await srv.post(`/api/v1/cases/${caseId}/events`, { type: 'decision_to_assess', date: '2026-01-20', outcome: 'assess' });
  assert.equal(e.status, 201, e.text);
});
after(async () => { await srv.stop(); srv.cleanup(); });

const planPath = () => `/cases/${caseId}/plan`;

// Every CSRF value in a page (the sign-out form in the header, the issue form).
const csrfValues = (html) => [...html.matchAll(/name="csrf" value="([^"]*)"/g)].map((m) => m[1]);

// Saves a new item in a text section through the editor's form.
async function saveItem(s, section, text) {
  const r = await s.postForm(`${planPath()}/item`, { section, text });
  assert.equal(r.status, 303, r.text.slice(0, 2000));
  return r;
}

async function view(s) {
  const r = await s.get(planPath());
  assert.equal(r.status, 200, r.text.slice(0, 2000));
  return r.text;
}

// The plan reads audited for one person on this case's child.
const planReads = async (username, atLeast) => {
  const log = await auditUntil(srv.db, ['--user', username, '--child', String(childId), '--action', 'read'],
    (entries) => entries.filter((e) => e.object === 'plan').length >= atLeast, `${atLeast} plan reads by ${username}`);
  return log.filter((e) => e.object === 'plan').length;
};

test('a change to the draft shows on the very next view, cached or not', async () => {
  const me = await signedIn(srv.base, 'tester.coordinator', PASSWORD);
  let views = 0;
  let page = await view(me); views++;
  assert.match(page, /No draft saved yet/);
  for (let i = 0; i < 3; i++) { // the first view fills the cache, the others may hit it
    assert.equal(await view(me), page); views++;
  }
  await saveItem(me, 'B', 'Cachetest need one: finds spoken instructions hard.');
  page = await view(me); views++;
  assert.match(page, /Working draft\./);
  assert.match(page, /id="item-B1"/);
  assert.match(page, /Cachetest need one/);
  for (let i = 0; i < 3; i++) { assert.equal(await view(me), page); views++; }
  await saveItem(me, 'B', 'Cachetest need two: tires quickly when writing.');
  page = await view(me); views++;
  assert.match(page, /id="item-B2"/);
  assert.match(page, /Cachetest need two/);
  assert.match(page, /This plan has \d+ warnings?/, 'needs without outcome or provision are warned');
  // a write by another process, straight into the SQLite file
  if (!process.env.SENDHUB_TEST_PG) {
    for (let i = 0; i < 3; i++) { await view(me); views++; }
    const w = spawnSync('sqlite3', [srv.db, `UPDATE plan_drafts SET document = replace(document, 'need two', 'need deux') WHERE case_id = ${caseId}`], { encoding: 'utf8' });
    assert.equal(w.status, 0, w.stderr);
    page = await view(me); views++;
    assert.match(page, /Cachetest need deux/);
    assert.doesNotMatch(page, /Cachetest need two/);
  }
  // every view was audited once, from the cache or not (the writer batches: up to 200 ms late)
  assert.equal(await planReads('tester.coordinator', views), views, 'every view of the plan is audited, once');
});

test('people who may edit and people who may only read never get each other\'s page, nor its CSRF token', async () => {
  const a = await signedIn(srv.base, 'tester.coordinator', PASSWORD);
  const b = await signedIn(srv.base, 'other.coordinator', PASSWORD);
  const insp = await signedIn(srv.base, 'tester.inspector', PASSWORD);
  const health = await signedIn(srv.base, 'tester.health', PASSWORD);
  const far = await signedIn(srv.base, 'far.coordinator', PASSWORD);
  const start = { a: await planReads('tester.coordinator', 0), b: await planReads('other.coordinator', 0), i: await planReads('tester.inspector', 0) };
  assert.notEqual(a.csrf.value, b.csrf.value);
  const editor = (s, html) => {
    assert.match(html, /Cachetest need one/);
    assert.match(html, new RegExp(`href="/cases/${caseId}/plan/item\\?section=B&amp;item=1"`), 'an editor gets the Change links');
    assert.match(html, /id="issue"/, 'and the issue form');
    const form = hiddenFields(html, `/cases/${caseId}/plan/issue`);
    assert.equal(form.csrf, s.csrf.value, 'the issue form carries the requester\'s own token');
    assert.deepEqual([...new Set(csrfValues(html))], [s.csrf.value], 'no one else\'s token anywhere');
  };
  const reader = (html) => {
    assert.match(html, /Cachetest need one/);
    assert.doesNotMatch(html, /\/plan\/item\?/, 'a reader gets no Change or Add links');
    assert.doesNotMatch(html, /id="issue"/, 'nor the issue form');
    assert.doesNotMatch(html, /\/plan\/setting"/);
    assert.deepEqual([...new Set(csrfValues(html))], [insp.csrf.value], 'no one else\'s token anywhere');
  };
  const n = { a: 0, b: 0, i: 0 };
  let pageA = null, pageB = null;
  for (let round = 0; round < 4; round++) { // interleaved, one after another, in quick succession
    const ha = await view(a); n.a++;
    editor(a, ha);
    reader(await view(insp)); n.i++;
    const hb = await view(b); n.b++;
    editor(b, hb);
    reader(await view(insp)); n.i++;
    // the main content, the requester's token blanked (the header names who is signed in)
    const hidden = (html, s) => /<main[\s\S]*<\/main>/.exec(html)[0].replaceAll(s.csrf.value, 'TOKEN');
    pageA ??= hidden(ha, a); pageB ??= hidden(hb, b);
    assert.equal(hidden(ha, a), pageA, 'the same page every time');
    assert.equal(hidden(hb, b), pageB);
    // someone who does not see the case is refused every time, however warm the cache
    assert.equal((await health.get(planPath())).status, 404, 'not shared with health');
    assert.equal((await far.get(planPath())).status, 404, 'another area\'s coordinator');
  }
  assert.equal(pageA, pageB, 'two coordinators see the same plan but for their own tokens');
  assert.equal(await planReads('tester.coordinator', start.a + n.a), start.a + n.a);
  assert.equal(await planReads('other.coordinator', start.b + n.b), start.b + n.b);
  assert.equal(await planReads('tester.inspector', start.i + n.i), start.i + n.i);
});
