// Black-box tests of `sendhub import referrals`: a valid file is imported; a
// file with bad lines reports each one (FILE:LINE: column: message), exits 2
// and stores nothing, not even its good lines (the whole file or nothing).
// A small demo area gives the pathways; children with NHS numbers of our own
// are added through the API.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';

import { BIN, databaseFor, sendhub, startServer } from '../http/server.mjs';

const TODAY = '2026-11-02';
let dir, srv;

// A valid NHS number (modulus 11) from a 9-digit body outside the demo's range.
function nhs(body) {
  const d = String(body).split('').map(Number);
  const sum = d.reduce((s, x, i) => s + x * (10 - i), 0);
  const check = (11 - (sum % 11)) % 11;
  if (check === 10) return null;
  return String(body) + check;
}

const kids = [];
before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'sendhub-import-'));
  sendhub(['demo', '--db', databaseFor(dir), '--no-serve', '--as-of', TODAY, '--seed', '5', '--scale', '2']);
  srv = await startServer({ dir, today: TODAY });
  for (let body = 943470001; kids.length < 3; body++) {
    const n = nhs(body);
    if (!n) continue;
    const r = await srv.post('/api/v1/children', {
      forename: 'Importchild', surname: `Csvtest${'abc'[kids.length]}`, date_of_birth: '2017-03-14', nhs_number: n,
    });
    assert.equal(r.status, 201, r.text);
    kids.push(n);
  }
});
after(async () => {
  await srv?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const HEADER = 'nhs_number,pathway,referrer,referral_date,priority,triage,triage_date,triage_reason,' +
  'first_contact,assessment_started,assessment_completed,outcome,outcome_code,discharged';

function importFile(name, lines) {
  const file = join(dir, name);
  writeFileSync(file, [HEADER, ...lines].join('\r\n') + '\r\n');
  const r = spawnSync(BIN, ['import', 'referrals', '--db', srv.db, '--la', '990', '--today', TODAY, file],
    { encoding: 'utf8', timeout: 30000 });
  if (r.error) throw r.error;
  return { ...r, file };
}

const good = () => `${kids[0]},autism,GP,2026-06-01,routine,accepted,2026-06-10,,,2026-09-01,2026-10-01,"Autism spectrum condition, diagnosed",F84.0,`;

test('a file with bad lines: every bad line reported, exit 2, nothing stored', () => {
  const r = importFile('bad.csv', [
    good(),
    `${kids[1]},autism,GP,2026-13-01,routine,,,,,,,,,`,
    `1234567890,slt,GP,2026-06-01,routine,,,,,,,,,`,
    `${kids[1]},nosuch,GP,2026-06-01,routine,,,,,,,,,`,
    `${kids[1]},slt,GP,2026-06-01,routine,rejected,2026-06-03,,,,,,,`,
    `${kids[2]},slt,GP,2026-06-01,routine,accepted,2026-06-03,,2026-05-01,,,,,`,
    `${kids[2]},slt,GP,2026-06-01`,
  ]);
  assert.equal(r.status, 2, r.stderr);
  assert.equal(r.stdout, '');
  const lines = r.stderr.trim().split('\n');
  const at = (n) => lines.find((l) => l.startsWith(`${r.file}:${n}: `)) ?? '';
  assert.match(at(3), /referral_date: referral_date must be a real date/);
  assert.match(at(4), /nhs_number: The NHS number is not valid/);
  assert.match(at(5), /pathway: There is no pathway with the code "nosuch"/);
  assert.match(at(6), /triage_reason: Enter why the referral was rejected/);
  assert.match(at(7), /first_contact: The date must be the same as or after the triage decision/);
  assert.match(at(8), /The line has 4 columns, not 14/);
  assert.equal(at(2), '', 'the good line is not reported');
  assert.match(lines.at(-1), /6 lines of the file are wrong, so nothing was imported/);
});

test('a valid file is imported whole; the same referral twice is refused', () => {
  // The good line of the bad file was not stored: importing it now works.
  const ok = importFile('good.csv', [good(), `${kids[1]},slt,"School SENCo",2026-10-20,urgent,,,,,,,,,`]);
  assert.equal(ok.status, 0, ok.stderr);
  assert.match(ok.stdout, /2 referrals imported into LA 990/);
  const again = importFile('again.csv', [good()]);
  assert.equal(again.status, 2);
  assert.match(again.stderr, /:2: referral_date: This child's referral to Autism assessment \(under 18\) on this date is already recorded/);
});

test('a wrong header is refused before any line is read', () => {
  const file = join(dir, 'header.csv');
  writeFileSync(file, 'nhs,pathway\n');
  const r = spawnSync(BIN, ['import', 'referrals', '--db', srv.db, '--la', '990', file], { encoding: 'utf8' });
  assert.equal(r.status, 2);
  assert.match(r.stderr, /header\.csv:1: The first line must name the 14 columns/);
});
