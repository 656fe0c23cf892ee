// Two `sendhub serve` processes on one PostgreSQL database: many concurrent
// appends to the same cases through both lose nothing, keep each writer's
// order, and leave every cached summary equal to its log (the per-case row
// lock serialises read-validate-append across processes).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { PG_SKIP, createDb, dropDb, provision, serve, newCase, query, ADVICE } from './pg_env.mjs';
import { BIN } from './server.mjs';

const CASES = 3;
const WRITERS = 8;     // concurrent clients per process
const PER_WRITER = 12; // sequential appends each, spread over the cases

let db, a, b, token;
before(async () => {
  if (PG_SKIP) return;
  db = createDb();
  token = provision(db.url);
  a = await serve(db.url, { token, extra: ['--threads', '4'] });
  b = await serve(db.url, { token, extra: ['--threads', '4'] });
});
after(async () => {
  if (PG_SKIP) return;
  await a?.stop();
  await b?.stop();
  dropDb(db);
});

// One client: appends in sequence, each acknowledged before the next, and
// remembers the ids it was given per case.
async function writer(srv, w, caseIds, acked) {
  for (let i = 0; i < PER_WRITER; i++) {
    const id = caseIds[(w + i) % caseIds.length];
    const r = await srv.post(`/api/v1/cases/${id}/events`, ADVICE);
    assert.equal(r.status, 201, r.text);
    acked.get(id).push({ writer: `${srv.port}/${w}`, id: r.json.event.id });
  }
}

test('concurrent appends through two processes lose nothing and keep order', { skip: PG_SKIP }, async () => {
  const caseIds = [];
  for (let i = 0; i < CASES; i++) caseIds.push(await newCase(i % 2 ? b : a, i));
  const acked = new Map(caseIds.map((id) => [id, []]));
  const started = Date.now();
  const clients = [];
  for (let w = 0; w < WRITERS; w++) {
    clients.push(writer(a, w, caseIds, acked));
    clients.push(writer(b, w, caseIds, acked));
  }
  await Promise.all(clients);
  const seconds = (Date.now() - started) / 1000;
  const total = 2 * WRITERS * PER_WRITER;
  console.log(`# ${total} appends to ${CASES} cases through 2 processes in ${seconds.toFixed(2)} s`
    + ` (${(total / seconds).toFixed(0)}/s)`);

  for (const id of caseIds) {
    // Read back through the other process than the one that opened it.
    const got = await (id % 2 ? a : b).get(`/api/v1/cases/${id}`);
    assert.equal(got.status, 200, got.text);
    const logIds = got.json.events.map((e) => e.id);
    const mine = acked.get(id);
    // Nothing lost: every acknowledged id is in the log, once.
    assert.equal(logIds.length, 1 + mine.length, 'one request_received plus every append');
    assert.equal(new Set(logIds).size, logIds.length, 'no id twice');
    for (const { id: e } of mine) assert.ok(logIds.includes(e), `event ${e} acknowledged but missing`);
    // Log order is id order, and each writer's appends appear in the order
    // it made them.
    assert.deepEqual(logIds, [...logIds].sort((x, y) => x - y));
    const byWriter = new Map();
    for (const { writer: w, id: e } of mine) byWriter.set(w, [...(byWriter.get(w) ?? []), e]);
    for (const ids of byWriter.values()) {
      const pos = ids.map((e) => logIds.indexOf(e));
      assert.deepEqual(pos, [...pos].sort((x, y) => x - y));
    }
    // The cached summary was computed from the whole log, not a stale read.
    assert.equal(Number(query(db.url, `SELECT event_count FROM cases WHERE id = ${Number(id)}`)),
      logIds.length);
  }
});

test('both processes answer for the same data and sessions', { skip: PG_SKIP }, async () => {
  const id = await newCase(a, 99);
  const viaB = await b.get(`/api/v1/cases/${id}`);
  assert.equal(viaB.status, 200, viaB.text);
  const health = await b.get('/api/v1/health');
  assert.equal(health.json.backend, 'postgresql');
});

// Sessions live in the shared database: signing in through one process and
// carrying on through the other works, and signing out through either ends it.
test('a session works whichever process answers', { skip: PG_SKIP }, async () => {
  execFileSync(BIN, ['user', 'add', '--db', db.url, '--la', '990', '--username', 'both.ways',
    '--name', 'Either Process', '--role', 'coordinator'], { input: 'violet kettle sandpaper orbit 7\n' });
  const signIn = await fetch(`${a.base}/sign-in`, {
    method: 'POST', redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: 'username=both.ways&password=violet+kettle+sandpaper+orbit+7',
  });
  assert.equal(signIn.status, 303);
  const cookie = signIn.headers.get('set-cookie').split(';')[0];
  const onB = await fetch(`${b.base}/caseload`, { headers: { cookie }, redirect: 'manual' });
  assert.equal(onB.status, 200, 'the session made on one process is honoured by the other');
  const page = await onB.text();
  const csrf = /name="csrf" value="([^"]+)"/.exec(page)[1];
  const out = await fetch(`${b.base}/sign-out`, {
    method: 'POST', redirect: 'manual',
    headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
    body: `csrf=${encodeURIComponent(csrf)}`,
  });
  assert.equal(out.status, 303);
  const again = await fetch(`${a.base}/caseload`, { headers: { cookie }, redirect: 'manual' });
  assert.equal(again.status, 303, 'signed out on one process is signed out on both');
  assert.match(again.headers.get('location'), /\/sign-in/);
});

test('sendhub backup writes a pg_dump archive of the live database', { skip: PG_SKIP }, async () => {
  const out = `/tmp/sendhub-pg-backup-${process.pid}.dump`;
  execFileSync(BIN, ['backup', '--db', db.url, '--out', out]);
  const { readFileSync, rmSync } = await import('node:fs');
  const head = readFileSync(out).subarray(0, 5).toString('latin1');
  rmSync(out, { force: true });
  assert.equal(head, 'PGDMP', 'a custom-format pg_dump archive');
});
