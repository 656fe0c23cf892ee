// A primary and a streaming replica (pg_basebackup -R): writes through a
// server on the primary appear through a second, read-only server on the
// replica; a write sent to the replica's server is refused cleanly (503).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { execFileSync } from 'node:child_process';
import { PG_SKIP, startCluster, createDb, dbUrl, provision, serve, newCase, query, ADVICE } from './pg_env.mjs';
import { BIN } from './server.mjs';

let cluster, primary, replica, db, onReplica;
before(async () => {
  if (PG_SKIP) return;
  cluster = startCluster({ replica: true });
  db = createDb(cluster.url);
  const token = provision(db.url);
  primary = await serve(db.url, { token });
  // The replica has the database once replay passes its CREATE and schema.
  onReplica = dbUrl(cluster.replicaUrl, db.name);
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

// One server, writes to the primary (--db) and reports from the replica
// (--db-read): the team view reads the replica and says how fresh it is.
test('reporting pages read the replica and say how fresh it is', { skip: PG_SKIP, timeout: 60000 }, async () => {
  execFileSync(BIN, ['user', 'add', '--db', db.url, '--la', '990', '--username', 'pg.manager',
    '--name', 'Test Manager', '--role', 'manager'], { input: 'violet kettle sandpaper orbit 7\n' });
  const both = await serve(db.url, { extra: ['--db-read', onReplica] });
  try {
    assert.match(both.stderr(), /reports from postgresql:/);
    const signIn = await fetch(`${both.base}/sign-in`, {
      method: 'POST', redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'username=pg.manager&password=violet+kettle+sandpaper+orbit+7',
    });
    assert.equal(signIn.status, 303);
    const cookie = signIn.headers.get('set-cookie').split(';')[0];
    await newCase(primary, 2);
    let html = '';
    for (let i = 0; i < 100; i++) {
      const team = await fetch(`${both.base}/team`, { headers: { cookie } });
      assert.equal(team.status, 200);
      html = await team.text();
      if (/Open cases by coordinator/.test(html)) break; // the new case has reached the replica
      await sleep(50);
    }
    assert.match(html, /reporting copy of the record/);
    assert.match(html, /Open cases by coordinator/);
  } finally {
    await both.stop();
  }
});
