// A primary and a streaming replica (pg_basebackup -R): writes through a
// server on the primary appear through a second, read-only server on the
// replica; a write sent to the replica's server is refused cleanly (503).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { PG_SKIP, startCluster, createDb, dbUrl, provision, serve, newCase, query, ADVICE } from './pg_env.mjs';

let cluster, primary, replica;
before(async () => {
  if (PG_SKIP) return;
  cluster = startCluster({ replica: true });
  const db = createDb(cluster.url);
  const token = provision(db.url);
  primary = await serve(db.url, { token });
  // The replica has the database once replay passes its CREATE and schema.
  const onReplica = dbUrl(cluster.replicaUrl, db.name);
  for (let i = 0; i < 100; i++) {
    try { if (query(onReplica, 'SELECT count(*) FROM users') !== '0') break; } catch { /* not yet */ }
    await sleep(100);
  }
  replica = await serve(onReplica, { token });
});
after(async () => {
  if (PG_SKIP) return;
  await primary?.stop();
  await replica?.stop();
  cluster?.stop();
});

test('writes on the primary are read through the replica', { skip: PG_SKIP, timeout: 60000 }, async () => {
  const health = await replica.get('/api/v1/health');
  assert.equal(health.status, 200, health.text);
  assert.equal(health.json.backend, 'postgresql');
  const id = await newCase(primary, 1);
  const e = await primary.post(`/api/v1/cases/${id}/events`, ADVICE);
  assert.equal(e.status, 201, e.text);
  const t0 = Date.now();
  let got;
  do {
    got = await replica.get(`/api/v1/cases/${id}`);
    if (got.status === 200 && got.json.events.length === 2) break;
    await sleep(50);
  } while (Date.now() - t0 < 10000);
  console.log(`# visible on the replica after ${Date.now() - t0} ms`);
  assert.equal(got.status, 200, got.text);
  assert.deepEqual(got.json.events.map((x) => x.id), [got.json.events[0].id, e.json.event.id]);
});

test('a write sent to the replica is refused as unavailable', { skip: PG_SKIP }, async () => {
  const r = await replica.post('/api/v1/children', {
    forename: 'Rea', surname: 'Donly', date_of_birth: '2016-04-12',
  });
  assert.equal(r.status, 503, r.text);
  assert.equal(r.json.error.code, 'unavailable');
  assert.ok(replica.alive());
});
