// The database stops mid-load (pg_ctl stop -m fast) and comes back: requests
// fail cleanly (503 JSON, well within the timeouts, the server stays up), the
// server reconnects by itself, and no acknowledged write is missing.
// Uses a cluster of its own, so stopping it disturbs no other test.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { PG_SKIP, startCluster, createDb, provision, serve, newCase, ADVICE } from './pg_env.mjs';

const CLIENTS = 6;
const MAX_FAILURE_MS = 10000; // connect_timeout 5 s + margin: no request hangs

let cluster, srv;

function tally(failed) {
  const out = {};
  for (const f of failed) {
    const key = f.error ? 'http-error' : `${f.status} ${f.code}`;
    out[key] = (out[key] ?? 0) + 1;
  }
  return out;
}
before(async () => {
  if (PG_SKIP) return;
  cluster = startCluster();
  const db = createDb(cluster.url);
  const token = provision(db.url);
  srv = await serve(db.url, { token, extra: ['--threads', '4'] });
});
after(async () => {
  if (PG_SKIP) return;
  await srv?.stop();
  cluster?.stop();
});

test('requests fail cleanly while the database is down and recover after', { skip: PG_SKIP, timeout: 120000 }, async () => {
  const ids = [];
  for (let i = 0; i < 4; i++) ids.push(await newCase(srv, i));
  const state = { phase: 'before', stop: false };
  const acked = [];
  const failed = [];
  async function client(w) {
    for (let i = 0; !state.stop; i++) {
      const id = ids[(w + i) % ids.length];
      const phase = state.phase;
      const t0 = Date.now();
      let r;
      try {
        r = await srv.post(`/api/v1/cases/${id}/events`, ADVICE);
      } catch (err) {
        failed.push({ phase, error: String(err), ms: Date.now() - t0 });
        continue;
      }
      if (r.status === 201) acked.push({ id, event: r.json.event.id, phase });
      else failed.push({ phase, status: r.status, code: r.json?.error?.code, ms: Date.now() - t0 });
      await sleep(5);
    }
  }
  const clients = Array.from({ length: CLIENTS }, (_, w) => client(w));
  await sleep(800);
  state.phase = 'down';
  cluster.halt();
  await sleep(3000);
  const downFailures = failed.filter((f) => f.phase === 'down').length;
  const health = await srv.get('/api/v1/health');
  state.phase = 'up';
  const resumedAt = Date.now();
  cluster.resume();
  while (!acked.some((a) => a.phase === 'up') && Date.now() - resumedAt < 20000) await sleep(100);
  const recoveredMs = Date.now() - resumedAt;
  await sleep(500);
  state.stop = true;
  await Promise.all(clients);

  console.log(`# acknowledged ${acked.length} (before ${acked.filter((a) => a.phase === 'before').length},`
    + ` up ${acked.filter((a) => a.phase === 'up').length}); failed ${failed.length};`
    + ` slowest failure ${Math.max(0, ...failed.map((f) => f.ms))} ms; recovered ${recoveredMs} ms after restart;`
    + ` health while down ${health.status}; failures by status ${JSON.stringify(tally(failed))}`);
  assert.ok(srv.alive(), 'the server is still running');
  assert.ok(acked.some((a) => a.phase === 'before'), 'writes succeeded before the outage');
  assert.ok(downFailures > 0, 'requests failed while the database was down');
  assert.ok(acked.some((a) => a.phase === 'up'), 'writes succeed again without restarting the server');
  for (const f of failed) {
    assert.equal(f.error, undefined, `no request may fail at the HTTP level: ${f.error}`);
    assert.equal(f.status, 503, JSON.stringify(f));
    assert.equal(f.code, 'unavailable');
    assert.ok(f.ms < MAX_FAILURE_MS, `a failure took ${f.ms} ms`);
  }
  // Nothing acknowledged is missing.
  // Each worker thread's connection reconnects on its own next use (at most
  // once a second), so a thread the load did not reach may answer 503 once.
  for (const id of ids) {
    let got = await srv.get(`/api/v1/cases/${id}`);
    for (let i = 0; got.status === 503 && i < 50; i++) {
      await sleep(100);
      got = await srv.get(`/api/v1/cases/${id}`);
    }
    assert.equal(got.status, 200, got.text);
    const stored = new Set(got.json.events.map((e) => e.id));
    for (const a of acked.filter((x) => x.id === id))
      assert.ok(stored.has(a.event), `acknowledged event ${a.event} of case ${id} is missing`);
  }
});
