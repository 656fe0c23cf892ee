// The server sends the family portal's queued e-mails every --mail-every
// seconds as well as at its daily run (web/server.c, app_notify_send): a
// message from the council reaches the family's inbox (the fake relay,
// relay.mjs) within seconds, not at the next day's run. All data is
// synthetic.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';

import { DEMO_PASSWORD, startDemo } from '../e2e/demo.mjs';
import { hiddenFields, signedIn } from '../e2e/session.mjs';
import { fakeRelay } from './relay.mjs';

const FAMILY = '<p.family@family.example>';
let relay, srv;

before(async () => {
  relay = await fakeRelay();
  srv = await startDemo({ extra: ['--smtp', `smtp://127.0.0.1:${relay.port}`,
    '--mail-from', 'send@council.test', '--base-url', 'https://sendhub.council.test',
    '--mail-every', '1'] });
});
after(async () => {
  await srv?.stop();
  srv?.cleanup();
  await relay?.close();
});

function sql(text) {
  const r = spawnSync('sqlite3', [srv.db, text], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout.trim();
}

// Polls until pred() holds, for up to 20 s (the server's thread wakes each
// second; a loaded machine may be slower).
async function until(pred, what) {
  for (let i = 0; i < 100; i++) {
    if (pred()) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  assert.fail(`not within 20 s: ${what}`);
}

const notices = () => relay.messages.filter((m) => m.to.includes(FAMILY) &&
  /^Subject: You have a new message in sendhub\r$/m.test(m.data));

test("a message from the council is e-mailed to the family within seconds, once", async () => {
  // The start-up run sends what the demo queued; then the queue is empty.
  await until(() => sql("SELECT count(*) FROM portal_outbox WHERE state IN ('queued', 'sending')") === '0',
    'the demo\'s queued e-mails sent at start-up');
  const before = notices().length;

  const caseId = sql(`SELECT k.id FROM portal_links l JOIN users u ON u.id = l.user_id
    JOIN cases k ON k.child_id = l.child_id WHERE u.username = 'p.family' ORDER BY k.id LIMIT 1`);
  assert.ok(caseId, 'p.family has a child with a case');
  const staff = await signedIn(srv.base, srv.accounts.manager[0], DEMO_PASSWORD);
  const page = await staff.get(`/cases/${caseId}`);
  assert.equal(page.status, 200);
  const sent = await staff.post(`/cases/${caseId}/messages`, {
    ...hiddenFields(page.text, `/cases/${caseId}/messages`),
    message: 'The educational psychologist will visit school on Tuesday.',
  });
  assert.equal(sent.status, 303, sent.text.slice(0, 300));

  await until(() => notices().length === before + 1, 'the notice of the new message at the relay');
  const m = notices().at(-1).data;
  assert.ok(!m.includes('psychologist'), 'the e-mail holds nothing of the message');
  await until(() => sql(`SELECT state FROM portal_outbox WHERE to_email = 'p.family@family.example'
    AND subject = 'You have a new message in sendhub' ORDER BY id DESC LIMIT 1`) === 'sent',
  'the row recorded as sent');
  // Later wakes send nothing again.
  await new Promise((r) => setTimeout(r, 2500));
  assert.equal(notices().length, before + 1);
});
