// Two `sendhub serve` processes on one PostgreSQL database: many concurrent
// appends to the same cases through both lose nothing, keep each writer's
// order, and leave every cached summary equal to its log (the per-case row
// lock serialises read-validate-append across processes).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { PG_SKIP, createDb, dropDb, provision, serve, newCase, query, ADVICE } from './pg_env.mjs';

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
