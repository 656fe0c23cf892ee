// The health waiting-list API (issue 5) on the demo area: a referral made,
// stepped through and read back; errors that name the field; the pathway
// statistics with the what-if; the CSV import refusing a bad file whole;
// and every read of a referral in the audit log.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { apiToken, auditEntries, auditUntil, startDemo, TODAY } from '../e2e/demo.mjs';
import { Session } from '../e2e/session.mjs';

let srv, health, manager, pathways, child;
before(async () => {
  srv = await startDemo();
  health = new Session(srv.base);
  health.bearer = await apiToken(srv.db, srv.accounts.health[0], 'http health');
  manager = new Session(srv.base);
  manager.bearer = await apiToken(srv.db, srv.accounts.manager[0], 'http health');
  const list = await health.get('/api/v1/pathways');
  assert.equal(list.status, 200, list.text);
  pathways = Object.fromEntries(list.json.items.map((p) => [p.code, p]));
  child = (await manager.get('/api/v1/children?per_page=1&name=e')).json.items[0];
});
after(async () => {
  await srv?.stop();
  srv?.cleanup();
});

const post = (path, body) => health.post(path, body, { json: true });

function expectField(r, status, field) {
  assert.equal(r.status, status, r.text);
  assert.equal(r.json.error.field, field, r.text);
  assert.ok(r.json.error.message.length > 0);
}

test('a referral: made, triaged, paused, restarted, seen', async () => {
  const base = { child_id: child.id, pathway_id: pathways.ot.id, referrer: 'GP', referral_date: '2026-10-01' };
  expectField(await post('/api/v1/referrals', { ...base, referral_date: '2026-11-03' }), 422, 'referral_date');
  expectField(await post('/api/v1/referrals', { ...base, colour: 'red' }), 422, 'colour');
  expectField(await post('/api/v1/referrals', { ...base, priority: 'soon' }), 422, 'priority');
  expectField(await post('/api/v1/referrals', { ...base, referrer: '' }), 422, 'referrer');
  assert.equal((await post('/api/v1/referrals', { ...base, child_id: 99999999 })).status, 404);

  const made = await post('/api/v1/referrals', base);
  assert.equal(made.status, 201, made.text);
  assert.equal(made.headers.get('location'), `/api/v1/referrals/${made.json.id}`);
  const r = made.json;
  assert.deepEqual([r.triage, r.waiting, r.paused, r.wait_days, r.pathway], ['pending', true, false, 32, 'ot']);
  assert.ok(r.position >= 1 && r.position < r.queue_length, 'referred a month ago: inside its queue, not last');
  assert.match(r.estimated_seen, /^\d{4}-\d{2}-\d{2}$/);

  const step = (body) => post(`/api/v1/referrals/${r.id}/steps`, body);
  expectField(await step({ step: 'diagnosis' }), 422, 'step');
  expectField(await step({ step: 'first_contact', date: '2026-10-20' }), 422, 'step');
  expectField(await step({ step: 'triage', triage: 'rejected', date: '2026-10-02' }), 422, 'reason');
  assert.equal((await step({ step: 'triage', triage: 'accepted', date: '2026-10-02' })).status, 200);
  expectField(await step({ step: 'clock_stop', stop_reason: 'staff_sick', date: '2026-10-05' }), 422, 'stop_reason');
  const paused = await step({ step: 'clock_stop', stop_reason: 'declined', date: '2026-10-05', reason: 'family on holiday' });
  assert.equal(paused.status, 200, paused.text);
  assert.equal(paused.json.paused, true);
  assert.equal(paused.json.clock_stops[0].reason, 'The family declined appointments offered: family on holiday');
  assert.equal((await step({ step: 'clock_restart', date: '2026-10-15' })).status, 200);
  const seen = await step({ step: 'first_contact', date: '2026-10-20' });
  assert.equal(seen.status, 200, seen.text);
  // 1 Oct to 20 Oct is 19 days; 10 of them paused.
  assert.deepEqual([seen.json.waiting, seen.json.seen, seen.json.wait_days, seen.json.position],
    [false, '2026-10-20', 9, null]);

  // A coordinator may not read the referral directly (they see it on the child's record).
  assert.equal((await manager.get(`/api/v1/referrals/${r.id}`)).status, 403);
  const reads = (await auditUntil(srv.db, ['--action', 'read'],
    (entries) => entries.some((e) => e.object === 'referral' && e.object_id === r.id), 'the read of the referral'))
    .filter((e) => e.object === 'referral' && e.object_id === r.id);
  assert.equal(reads[0].child_id, child.id);
  const writes = (await auditEntries(srv.db, ['--action', 'write']))
    .filter((e) => e.object === 'referral' && e.object_id === r.id).map((e) => e.detail);
  assert.deepEqual(writes, ['referred to ot', 'recorded triage', 'recorded clock_stop',
    'recorded clock_restart', 'recorded first_contact']);
});

test('pathway statistics: bands add up; more capacity, sooner', async () => {
  const id = pathways.autism.id;
  expectField(await manager.get(`/api/v1/pathways/${id}/stats?extra=lots`), 422, 'extra');
  const s = (await manager.get(`/api/v1/pathways/${id}/stats?extra=10`)).json;
  const bands = Object.values(s.waiting.bands).reduce((a, b) => a + b, 0);
  assert.equal(bands, s.waiting.count);
  assert.ok(s.waiting.over_104 <= s.waiting.over_78 && s.waiting.over_78 <= s.waiting.bands.over_52);
  assert.ok(s.waiting.median_days <= s.waiting.p92_days && s.waiting.p92_days <= s.waiting.longest_days);
  assert.equal(s.trend.length, 12);
  assert.equal(s.trend.at(-1).month, TODAY.slice(0, 7));
  assert.equal(s.trend.at(-1).waiting_end, s.waiting.count);
  assert.ok(s.forecast.extra_new_routine_seen < s.forecast.new_routine_seen);
  assert.ok(s.forecast.backtest.compared > 0);
  assert.equal((await manager.get('/api/v1/pathways/999999/stats')).status, 404);
});

test('the import refuses a bad file whole, and a body that is not CSV', async () => {
  const header = 'nhs_number,pathway,referrer,referral_date,priority,triage,triage_date,triage_reason,' +
    'first_contact,assessment_started,assessment_completed,outcome,outcome_code,discharged\n';
  const good = `${child.nhs_number},physio,GP,2026-10-07,,,,,,,,,,\n`;
  const wrongType = await health.post('/api/v1/referrals/import', header + good);
  assert.equal(wrongType.status, 415);
  const bad = await health.post('/api/v1/referrals/import', header + good + `${child.nhs_number},physio,GP,yesterday,,,,,,,,,,\n`,
    { headers: { 'content-type': 'text/csv' } });
  assert.equal(bad.status, 422, bad.text);
  assert.deepEqual([bad.json.lines, bad.json.imported, bad.json.error_count], [2, 0, 1]);
  assert.deepEqual(bad.json.errors.map((e) => [e.line, e.field]), [[3, 'referral_date']]);
  const ok = await health.post('/api/v1/referrals/import', header + good, { headers: { 'content-type': 'text/csv' } });
  assert.equal(ok.status, 200, ok.text);
  assert.equal(ok.json.imported, 1, 'the good line was not stored by the failed import, so it imports now');
});
