// A restart (clean or kill -9) loses nothing that was acknowledged.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { startServer, CHILD, BIN } from './server.mjs';

async function seed(srv, n) {
  const ids = [];
  for (let i = 0; i < n; i++) {
    const child = await srv.post('/api/v1/children', { ...CHILD, upn: null, nhs_number: null, surname: `Durable${i}` });
    assert.equal(child.status, 201, child.text);
    const c = await srv.post('/api/v1/cases', { child_id: child.json.id, start: { type: 'request_received', date: '2026-01-05' } });
    assert.equal(c.status, 201, c.text);
    const e = await srv.post(`/api/v1/cases/${c.json.id}/events`, { type: 'decision_to_assess', date: '2026-02-01', outcome: 'assess' });
    assert.equal(e.status, 201, e.text);
    ids.push(c.json.id);
  }
  return ids;
}

async function verify(srv, ids) {
  for (const id of ids) {
    const r = await srv.get(`/api/v1/cases/${id}`);
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.events.length, 2);
    assert.equal(r.json.case.stage, 'assessment');
  }
}

for (const signal of ['SIGTERM', 'SIGKILL']) {
  test(`acknowledged writes survive ${signal} and a restart`, async () => {
    const first = await startServer();
    const ids = await seed(first, 10);
    const code = await first.stop(signal);
    if (signal === 'SIGTERM') assert.equal(code, 0, 'clean shutdown exits 0');
    const second = await startServer({ dir: first.dir });
    try {
      await verify(second, ids);
    } finally {
      await second.stop();
      first.cleanup();
    }
  });
}

// A consistent copy of the live SQLite database, taken while the server runs,
// that opens with the same data (PostgreSQL backups: pg_concurrency.test.mjs).
test('sendhub backup copies a live SQLite database', { skip: process.env.SENDHUB_TEST_PG ? 'SQLite only' : false }, async () => {
  const srv = await startServer();
  try {
    const ids = await seed(srv, 3);
    const copy = join(srv.dir, 'backup.db');
    execFileSync(BIN, ['backup', '--db', srv.db, '--out', copy]);
    const count = execFileSync('sqlite3', [copy, 'SELECT count(*) FROM cases;'], { encoding: 'utf8' });
    assert.equal(Number(count.trim()), ids.length);
    const events = execFileSync('sqlite3', [copy, 'SELECT count(*) FROM events;'], { encoding: 'utf8' });
    assert.equal(Number(events.trim()), 2 * ids.length);
  } finally {
    await srv.stop();
    srv.cleanup();
  }
});
