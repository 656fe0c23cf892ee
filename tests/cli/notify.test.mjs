// Black-box tests of the family portal's e-mails (src/app/notify.c), sent by
// `sendhub remind` after the advice reminders: e-mails about upcoming dates
// queued once per date, every queued e-mail sent through the relay at most
// once, failures tried again after a wait, a row left mid-send by a crash
// never sent again. The relay is a tiny SMTP server on a loopback port
// (relay.mjs); the database a small demo area whose family account
// (p.family) has an e-mail address and one message from the coordinator.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { fakeRelay, sendhubAsync } from './relay.mjs';

const BIN = process.env.SENDHUB_BIN;
const FAMILY = 'p.family@family.example';
let dir, db, finalDue, asOf;

function sendhub(args) {
  const r = spawnSync(BIN, args, { encoding: 'utf8', timeout: 60000 });
  if (r.error) throw r.error;
  return r;
}

function sql(query) {
  const r = spawnSync('sqlite3', [db, query], { encoding: 'utf8' });
  if (r.error) throw r.error;
  assert.equal(r.status, 0, r.stderr);
  return r.stdout.trim();
}

const portal = (out) => {
  const m = /^portal: queued (\d+) date e-mails \((\d+) links, (\d+) without e-mail, (\d+) turned off\): sent (\d+), retry later (\d+), failed (\d+), waiting (\d+)$/m.exec(out);
  assert.ok(m, `portal line in: ${out}`);
  const [queued, linked, noEmail, off, sent, retrying, failed, waiting] = m.slice(1).map(Number);
  return { queued, linked, noEmail, off, sent, retrying, failed, waiting };
};

const isoPlus = (iso, days) => new Date(Date.parse(`${iso}T00:00:00Z`) + days * 86400000)
  .toISOString().slice(0, 10);

const run = (relay, day = asOf) => sendhubAsync(['remind', '--db', db, '--as-of', day,
  '--smtp', `smtp://127.0.0.1:${relay.port}`, '--mail-from', 'send@council.test',
  '--base-url', 'https://sendhub.council.test']);

const queue = (subject) => sql(`INSERT INTO portal_outbox (la_code, to_user_id, to_email, subject, body, created_at)
  SELECT la_code, id, email, '${subject}', 'You have a new message in sendhub. Sign in to read it.', 1 FROM users WHERE username = 'p.family';
  SELECT max(id) FROM portal_outbox;`);

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'sendhub-notify-'));
  db = join(dir, 'notify.db');
  const r = sendhub(['demo', '--db', db, '--no-serve', '--as-of', '2026-11-02', '--seed', '5', '--scale', '20']);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(sql(`SELECT email FROM users WHERE username = 'p.family'`), FAMILY);
  // The latest case of the family's child still being assessed (the
  // other children linked have plans): the 20-week deadline (reg 13(2)) is
  // 140 days after the request.
  const request = sql(`SELECT e.date FROM events e JOIN cases c ON c.id = e.case_id
    JOIN portal_links l ON l.child_id = c.child_id
    WHERE e.type = 'request_received' AND c.stage IN ('request', 'assessment')
    ORDER BY c.id DESC LIMIT 1`);
  assert.match(request, /^\d{4}-\d{2}-\d{2}$/);
  finalDue = isoPlus(request, 140);
  asOf = isoPlus(finalDue, -3);
});
after(() => rmSync(dir, { recursive: true, force: true }));

test('the queued message and an upcoming date are e-mailed once, with no personal detail', async () => {
  const relay = await fakeRelay();
  try {
    const r = await run(relay);
    assert.equal(r.status, 0, r.stderr);
    const p = portal(r.stdout);
    assert.equal(p.queued, 1);
    // the demo's message from the coordinator, its request for the family's
    // views, and the date
    assert.equal(p.sent, 3);
    assert.equal(p.failed + p.retrying, 0);
    const mine = relay.messages.filter((m) => m.to.includes(`<${FAMILY}>`));
    assert.equal(mine.length, 3);
    assert.match(mine[0].data, /^Subject: You have a new message in sendhub\r$/m);
    assert.match(mine[1].data, /^Subject: The council has asked for your views\r$/m);
    const m = mine[2];
    assert.match(m.data, /^Subject: An upcoming date on your child's EHC journey\r$/m);
    assert.match(m.data, /https:\/\/sendhub\.council\.test\/portal/);
    assert.match(m.data, /^Message-ID: <portal-\d+@sendhub\.invalid>\r$/mi);
    // Nothing about the child: no name, date of birth, school or the date itself.
    const child = sql(`SELECT c.forename, c.surname, c.date_of_birth, coalesce(c.setting_urn, '')
      FROM children c JOIN portal_links l ON l.child_id = c.id`).split('|');
    for (const x of mine) {
      for (const v of child.filter((y) => y.length > 2)) assert.ok(!x.data.includes(v), `the e-mail holds ${v}`);
    }
    const body = m.data.slice(m.data.indexOf('\r\n\r\n'));
    const long = new Date(`${finalDue}T00:00:00Z`).toLocaleDateString('en-GB',
      { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });
    assert.ok(!body.includes(finalDue) && !body.includes(long), `the e-mail gives the date ${long}`);
    assert.equal(sql(`SELECT DISTINCT state || ' ' || (sent_at IS NOT NULL) || ' ' || attempts FROM portal_outbox`), 'sent 1 1');
    assert.equal(sql(`SELECT kind || ' ' || due FROM portal_date_notices`), `final_plan ${finalDue}`);

    // Again, the same day and the next: nothing queued, nothing sent twice.
    for (const day of [asOf, isoPlus(asOf, 1)]) {
      const again = await run(relay, day);
      assert.equal(again.status, 0, again.stderr);
      const q = portal(again.stdout);
      assert.equal(q.queued, 0);
      assert.equal(q.sent, 0);
    }
    assert.equal(relay.messages.filter((x) => x.to.includes(`<${FAMILY}>`)).length, 3);
  } finally {
    await relay.close();
  }
});

test('a refused e-mail is kept with its error and tried again after the wait', async () => {
  const id = queue('You have a new message in sendhub');
  const refusing = await fakeRelay({ refuse: true });
  try {
    const r = await run(refusing);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(portal(r.stdout).retrying, 1);
  } finally {
    await refusing.close();
  }
  const [state, attempts, error, wait] = sql(`SELECT state, attempts, last_error,
    next_attempt_at - CAST(strftime('%s', 'now') AS INTEGER) FROM portal_outbox WHERE id = ${id}`).split('|');
  assert.equal(state, 'queued');
  assert.equal(attempts, '1');
  assert.match(error, /550|RCPT|recipient/i);
  assert.ok(Number(wait) > 800 && Number(wait) <= 900, `waits 15 minutes (${wait} s)`);

  const relay = await fakeRelay();
  try {
    // Not yet: the wait has not passed.
    const early = await run(relay);
    assert.equal(portal(early.stdout).sent, 0);
    assert.equal(relay.messages.length, 0);
    // The wait over: sent, on the second attempt.
    sql(`UPDATE portal_outbox SET next_attempt_at = 0 WHERE id = ${id}`);
    const later = await run(relay);
    assert.equal(portal(later.stdout).sent, 1);
    assert.equal(relay.messages.length, 1);
    assert.equal(sql(`SELECT state || ' ' || attempts || ' [' || last_error || ']' FROM portal_outbox WHERE id = ${id}`), 'sent 2 []');
  } finally {
    await relay.close();
  }
});

test('an e-mail left mid-send by a crash is never sent again; without a relay e-mails wait', async () => {
  const id = queue('You have a new message in sendhub');
  sql(`UPDATE portal_outbox SET state = 'sending', attempts = 1, claimed_at = 1 WHERE id = ${id}`);
  const waiting = queue('You have a new message in sendhub');
  const norelay = sendhub(['remind', '--db', db, '--as-of', asOf]);
  assert.equal(norelay.status, 0, norelay.stderr);
  assert.equal(portal(norelay.stdout).waiting, 1);
  const relay = await fakeRelay();
  try {
    const r = await run(relay);
    assert.equal(portal(r.stdout).sent, 1);
    assert.equal(relay.messages.length, 1);
    assert.equal(sql(`SELECT state FROM portal_outbox WHERE id = ${id}`), 'sending');
    assert.equal(sql(`SELECT state FROM portal_outbox WHERE id = ${waiting}`), 'sent');
  } finally {
    await relay.close();
  }
});

test('a family member who turned date e-mails off, or has no address, is not e-mailed', async () => {
  sql(`INSERT INTO portal_preferences (user_id, date_emails, updated_at)
    SELECT id, 0, 1 FROM users WHERE username = 'p.family'`);
  sql(`DELETE FROM portal_date_notices`);
  // Every link of the family member is passed over (the demo links several
  // children to p.family).
  const links = Number(sql(`SELECT count(*) FROM portal_links l JOIN users u ON u.id = l.user_id
    WHERE u.username = 'p.family'`));
  assert.ok(links >= 1);
  const relay = await fakeRelay();
  try {
    const off = await run(relay);
    const p = portal(off.stdout);
    assert.equal(p.off, links);
    assert.equal(p.queued, 0);
    sql(`UPDATE portal_preferences SET date_emails = 1`);
    sql(`UPDATE users SET email = '' WHERE username = 'p.family'`);
    const none = await run(relay);
    const q = portal(none.stdout);
    assert.equal(q.noEmail, links);
    assert.equal(q.queued, 0);
    assert.equal(relay.messages.length, 0);
  } finally {
    await relay.close();
  }
});
