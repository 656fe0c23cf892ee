// Black-box tests of `sendhub remind` (src/cli/cmd_remind.c): the daily job
// that records which advice requests must be chased and e-mails the
// services through an SMTP relay. The relay is a tiny SMTP server written
// here on a loopback port (no network): it records every message, or
// refuses recipients to test failures. The database is a small demo area.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const BIN = process.env.SENDHUB_BIN;
const AS_OF = '2026-11-02';
let dir, db;

function sendhub(args, input) {
  const r = spawnSync(BIN, args, { input, encoding: 'utf8', timeout: 60000 });
  if (r.error) throw r.error;
  return r;
}

// Runs sendhub without blocking this process, so the relay below can answer.
function sendhubAsync(args) {
  return new Promise((resolve, reject) => {
    const p = spawn(BIN, args);
    let stdout = '', stderr = '';
    p.stdout.on('data', (d) => { stdout += d; });
    p.stderr.on('data', (d) => { stderr += d; });
    const timer = setTimeout(() => p.kill('SIGKILL'), 60000);
    p.on('error', reject);
    p.on('close', (status) => { clearTimeout(timer); resolve({ status, stdout, stderr }); });
  });
}

function sql(query) {
  const r = spawnSync('sqlite3', [db, query], { encoding: 'utf8' });
  if (r.error) throw r.error;
  return r.stdout.trim();
}

// A minimal SMTP server: enough of RFC 5321 for libcurl. `refuse` answers
// 550 to every RCPT. Resolves with { port, messages, close }.
function fakeRelay({ refuse = false } = {}) {
  const messages = [];
  const server = createServer((sock) => {
    let buf = '', data = false, msg = null;
    const say = (line) => sock.write(`${line}\r\n`);
    say('220 relay.test ESMTP');
    sock.on('data', (chunk) => {
      buf += chunk.toString('utf8');
      for (;;) {
        if (data) {
          const end = buf.indexOf('\r\n.\r\n');
          if (end < 0) return;
          msg.data = buf.slice(0, end);
          buf = buf.slice(end + 5);
          messages.push(msg);
          data = false;
          say('250 2.0.0 queued');
          continue;
        }
        const nl = buf.indexOf('\r\n');
        if (nl < 0) return;
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + 2);
        const verb = line.slice(0, 4).toUpperCase();
        if (verb === 'EHLO' || verb === 'HELO') { say('250-relay.test'); say('250 8BITMIME'); }
        else if (verb === 'MAIL') { msg = { from: line, to: [] }; say('250 2.1.0 ok'); }
        else if (verb === 'RCPT') {
          if (refuse) say('550 5.1.1 mailbox unavailable');
          else { msg.to.push(line.replace(/^RCPT TO:\s*/i, '')); say('250 2.1.5 ok'); }
        }
        else if (verb === 'DATA') { data = true; say('354 go ahead'); }
        else if (verb === 'QUIT') { say('221 bye'); sock.end(); return; }
        else if (verb === 'RSET' || verb === 'NOOP') say('250 ok');
        else say('502 not implemented');
      }
    });
    sock.on('error', () => {});
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({
    port: server.address().port, messages, close: () => new Promise((r) => server.close(r)),
  })));
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
