// A restart (clean or kill -9) loses nothing that was acknowledged.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, CHILD } from './server.mjs';

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
