// Black-box tests of `sendhub remind` (src/cli/cmd_remind.c): the daily job
// that records which advice requests must be chased and e-mails the
// services through an SMTP relay. The relay is a tiny SMTP server
// (relay.mjs) on a loopback port (no network): it records every message, or
// refuses recipients to test failures. The database is a small demo area.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { fakeRelay, sendhubAsync } from './relay.mjs';

const BIN = process.env.SENDHUB_BIN;
const AS_OF = '2026-11-02';
let dir, db;

function sendhub(args, input) {
  const r = spawnSync(BIN, args, { input, encoding: 'utf8', timeout: 60000 });
  if (r.error) throw r.error;
  return r;
}

function sql(query) {
  const r = spawnSync('sqlite3', [db, query], { encoding: 'utf8' });
  if (r.error) throw r.error;
  return r.stdout.trim();
}

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'sendhub-remind-'));
  db = join(dir, 'remind.db');
  const r = sendhub(['demo', '--db', db, '--no-serve', '--as-of', AS_OF, '--seed', '5', '--scale', '20']);
  assert.equal(r.status, 0, r.stderr);
  // Two health practitioners with addresses; the demo's own has none.
  for (const [u, e] of [['h.one', 'h.one@nhs.test'], ['h.two', 'h.two@nhs.test']]) {
    const a = sendhub(['user', 'add', '--db', db, '--username', u, '--name', u, '--role', 'health',
      '--email', e], 'a-long-enough-test-pass-phrase\n');
    assert.equal(a.status, 0, a.stderr);
  }
});
after(() => rmSync(dir, { recursive: true, force: true }));

const summary = (out) => {
  const m = /^chased (\d+) \(due (\d+)\): sent (\d+), failed (\d+), not e-mailed (\d+)$/m.exec(out);
  assert.ok(m, `summary line in: ${out}`);
  const [added, due, sent, failed, unsent] = m.slice(1).map(Number);
  return { added, due, sent, failed, unsent };
};

test('chases each request once a day and e-mails the service through the relay', async () => {
  const relay = await fakeRelay();
  try {
    const args = ['remind', '--db', db, '--as-of', AS_OF, '--smtp', `smtp://127.0.0.1:${relay.port}`,
      '--mail-from', 'send@council.test', '--base-url', 'https://sendhub.council.test'];
    const r = await sendhubAsync(args);
    assert.equal(r.status, 0, r.stderr);
    const s = summary(r.stdout);
    const openHealth = Number(sql(`SELECT count(*) FROM advice_requests WHERE agency = 'health' AND received_on IS NULL AND due <= '2026-11-09'`));
    assert.ok(openHealth > 0, 'the demo has health advice to chase');
    assert.equal(s.added, s.due);
    assert.equal(s.sent, openHealth, 'one e-mail per health request');
    assert.equal(s.failed, 0);
    assert.equal(s.sent + s.unsent, s.added);
    // The relay also gets the family portal's e-mails (tests/cli/notify.test.mjs).
    const chases = () => relay.messages.filter((x) => /^Subject: Advice request/m.test(x.data));
    assert.equal(chases().length, openHealth);

    const m = chases()[0];
    assert.deepEqual(m.to.sort(), ['<h.one@nhs.test>', '<h.two@nhs.test>']);
    assert.match(m.from, /<send@council\.test>/);
    assert.match(m.data, /^Subject: Advice request \d+ (is|was) due on \d+ \w+ 2026\r$/m);
    assert.match(m.data, /^Date: \w{3}, \d{2} \w{3} \d{4} /m);
    assert.match(m.data, /https:\/\/sendhub\.council\.test\/advice\/\d+/);
    // No child is named: no forename or surname of any child appears.
    const names = sql("SELECT forename || ' ' || surname FROM children LIMIT 2000").split('\n');
    for (const n of names) assert.ok(!m.data.includes(n), `the e-mail names ${n}`);
    assert.equal(sql(`SELECT count(*) FROM advice_chases WHERE chase_on = '${AS_OF}' AND status = 'sent'`), String(openHealth));

    // The same day again: nothing new recorded, nothing sent twice.
    const again = await sendhubAsync(args);
    assert.equal(again.status, 0, again.stderr);
    assert.equal(summary(again.stdout).added, 0);
    assert.equal(chases().length, openHealth);
  } finally {
    await relay.close();
  }
});

test('a refusing relay: each failure is kept with its error, and the job still succeeds', async () => {
  const relay = await fakeRelay({ refuse: true });
  try {
    const day = '2026-11-03';
    const r = await sendhubAsync(['remind', '--db', db, '--as-of', day, '--smtp',
      `smtp://127.0.0.1:${relay.port}`, '--mail-from', 'send@council.test']);
    assert.equal(r.status, 0, r.stderr);
    const s = summary(r.stdout);
    assert.ok(s.failed > 0);
    assert.equal(s.sent, 0);
    assert.equal(relay.messages.length, 0);
    const err = sql(`SELECT error FROM advice_chases WHERE chase_on = '${day}' AND status = 'failed' LIMIT 1`);
    assert.match(err, /550|RCPT|recipient/i);
  } finally {
    await relay.close();
  }
});

test('without a relay the chases are recorded, not e-mailed; bad options are refused', () => {
  const r = sendhub(['remind', '--db', db, '--as-of', '2026-11-04']);
  assert.equal(r.status, 0, r.stderr);
  const s = summary(r.stdout);
  assert.equal(s.sent, 0);
  assert.equal(s.unsent, s.added);

  const nofrom = sendhub(['remind', '--db', db, '--smtp', 'smtp://127.0.0.1:1']);
  assert.equal(nofrom.status, 2);
  assert.match(nofrom.stderr, /--mail-from/);
  const http = sendhub(['remind', '--db', db, '--smtp', 'http://127.0.0.1:1', '--mail-from', 'a@b.test']);
  assert.equal(http.status, 2);
  const days = sendhub(['remind', '--db', db, '--remind-days', '99']);
  assert.equal(days.status, 2);
});
