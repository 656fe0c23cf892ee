// Black-box tests of `sendhub export sen2` on a small known area: the XML is
// validated against docs/sen2.xsd with xmllint and checked field by field,
// the CSV files likewise, and the exit codes of src/cli/cmd_export.c.
//
// The area (LA 990, collection year 2026: census 2026-01-15, activity 2025):
//  child 1 Ann: request 2025-01-06, assess 2025-02-10, exception 2025-03-01,
//               final plan 2025-05-19 (133 days: within 20 weeks), ASD + SLCN
//  child 2 Ben: transferred in 2025-06-02, born 2008 (no UPN: a warning), SEMH
//  child 3 Cara: request 2025-04-07, refused 2025-05-12
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, existsSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const BIN = process.env.SENDHUB_BIN;
const XSD = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'docs', 'sen2.xsd');

function run(cmd, args, input) {
  const r = spawnSync(cmd, args, { input, encoding: 'utf8', timeout: 30000 });
  if (r.error) throw r.error;
  return r;
}

const AREA = `
INSERT INTO areas VALUES ('990', 'Testshire');
INSERT INTO children (id, la_code, forename, surname, date_of_birth, upn, postcode, sen_need1,
  sen_need2, setting_urn, created_at) VALUES
  (1, '990', 'Ann', 'O''Neil, Jr', '2015-03-01', 'B801200005001', 'SW1A 1AA', 'ASD', 'SLCN', '100000', 0),
  (2, '990', 'Ben', 'Smith', '2008-07-01', NULL, 'M1 1AA', 'SEMH', NULL, NULL, 0),
  (3, '990', 'Cara', 'Jones', '2012-05-05', 'Q801200005002', 'CR2 6XH', NULL, NULL, '100001', 0);
INSERT INTO cases (id, la_code, child_id, coordinator, opened_at, stage, event_count) VALUES
  (1, '990', 1, '', 0, 'plan', 4), (2, '990', 2, '', 0, 'plan', 1),
  (3, '990', 3, '', 0, 'refused', 2);
INSERT INTO events (la_code, case_id, type, date, outcome, exception_reason, recorded_by,
  recorded_at) VALUES
  ('990', 1, 'request_received', '2025-01-06', NULL, NULL, 't', 0),
  ('990', 1, 'decision_to_assess', '2025-02-10', 'assess', NULL, 't', 0),
  ('990', 1, 'exception', '2025-03-01', NULL, 'personal_circumstances', 't', 0),
  ('990', 1, 'final_plan_issued', '2025-05-19', NULL, NULL, 't', 0),
  ('990', 2, 'transfer_in', '2025-06-02', NULL, NULL, 't', 0),
  ('990', 3, 'request_received', '2025-04-07', NULL, NULL, 't', 0),
  ('990', 3, 'decision_to_assess', '2025-05-12', 'refuse', NULL, 't', 0);
`;

function area() {
  const dir = mkdtempSync(join(tmpdir(), 'sen2-'));
  const db = join(dir, 'a.db');
  let r = run(BIN, ['migrate', '--db', db]);
  assert.equal(r.status, 0, r.stderr);
  r = run('sqlite3', [db], AREA);
  assert.equal(r.status, 0, r.stderr);
  return { dir, db };
}

const field = (xml, name) => [...xml.matchAll(new RegExp(`<${name}>([^<]*)</${name}>`, 'g'))].map((m) => m[1]);

// CSV (RFC 4180) into rows of objects keyed by the header.
function csv(text) {
  const rows = [];
  let row = [], cell = '', q = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (q) {
      if (c === '"' && text[i + 1] === '"') { cell += '"'; i++; } else if (c === '"') q = false; else cell += c;
    } else if (c === '"') q = true;
    else if (c === ',') { row.push(cell); cell = ''; }
    else if (c === '\r' && text[i + 1] === '\n') { row.push(cell); rows.push(row); row = []; cell = ''; i++; }
    else cell += c;
  }
  const [head, ...body] = rows;
  return body.map((r) => Object.fromEntries(head.map((h, i) => [h, r[i]])));
}

test('xml: validates against docs/sen2.xsd, fields as recorded', () => {
  const { dir, db } = area();
  const out = join(dir, 'sen2.xml');
  const r = run(BIN, ['export', 'sen2', '--db', db, '--la', '990', '--year', '2026', '--out', out]);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stderr, /3 people, 3 requests/);
  assert.match(r.stderr, /0 errors/);
  assert.match(r.stderr, /inc_exc_20week_rate=100\.0 no_exc_20week_rate=z caseload=2/);
  const v = run('xmllint', ['--noout', '--schema', XSD, out]);
  assert.equal(v.status, 0, v.stderr);
  const xml = readFileSync(out, 'utf8');
  assert.deepEqual(field(xml, 'referencedate'), ['2026-01-15']);
  assert.deepEqual(field(xml, 'lea'), ['990']);
  assert.deepEqual(field(xml, 'surname'), ['O&#39;Neil, Jr', 'Smith', 'Jones']);
  assert.deepEqual(field(xml, 'upn'), ['B801200005001', 'Q801200005002']);
  assert.deepEqual(field(xml, 'receiveddate'), ['2025-01-06', '2025-06-02', '2025-04-07']);
  assert.deepEqual(field(xml, 'requestoutcome'), ['A', 'R']);
  assert.deepEqual(field(xml, 'requestoutcomedate'), ['2025-02-10', '2025-05-12']);
  assert.deepEqual(field(xml, 'assessmentoutcome'), ['Y']);
  assert.deepEqual(field(xml, 'assessmentoutcomedate'), ['2025-05-19']);
  assert.deepEqual(field(xml, 'week20'), ['1']);
  assert.deepEqual(field(xml, 'startdate'), ['2025-05-19']);
  assert.deepEqual(field(xml, 'transferla'), ['0', '1']);
  assert.deepEqual(field(xml, 'sentype'), ['ASD', 'SLCN', 'SEMH']);
  assert.deepEqual(field(xml, 'sentyperank'), ['1', '2', '1']);
  assert.deepEqual(field(xml, 'urn'), ['100000', '100000']); // plan and placement; Ben has none
  assert.equal((xml.match(/<note code=/g) || []).length >= 5, true);
  rmSync(dir, { recursive: true });
});

test('csv: one file per module with the published field names', () => {
  const { dir, db } = area();
  const out = join(dir, 'csv');
  const r = run(BIN, ['export', 'sen2', '--db', db, '--la', '990', '--year', '2026', '--format', 'csv', '--out', out]);
  assert.equal(r.status, 0, r.stderr);
  const person = csv(readFileSync(join(out, 'person.csv'), 'utf8'));
  assert.deepEqual(Object.keys(person[0]), ['persontableid', 'surname', 'forename', 'personbirthdate', 'sex',
    'ethnicity', 'postcode', 'upn', 'uniquelearnernumber', 'upnunknown']);
  assert.equal(person[0].surname, "O'Neil, Jr"); // quoted: it holds a comma
  assert.equal(person[1].upn, '');
  const requests = csv(readFileSync(join(out, 'requests.csv'), 'utf8'));
  assert.deepEqual(requests.map((x) => [x.requeststableid, x.persontableid, x.receiveddate, x.requestoutcome]),
    [['1', '1', '2025-01-06', 'A'], ['2', '2', '2025-06-02', ''], ['3', '3', '2025-04-07', 'R']]);
  const assessment = csv(readFileSync(join(out, 'assessment.csv'), 'utf8'));
  assert.equal(assessment.length, 1);
  assert.equal(assessment[0].week20, '1');
  const named = csv(readFileSync(join(out, 'namedplan.csv'), 'utf8'));
  assert.deepEqual([named[0].startdate, named[0].ceasedate], ['2025-05-19', '']);
  const active = csv(readFileSync(join(out, 'activeplans.csv'), 'utf8'));
  assert.deepEqual(active.map((x) => [x.activeplanstableid, x.transferla]), [['1', '0'], ['2', '1']]);
  const need = csv(readFileSync(join(out, 'senneed.csv'), 'utf8'));
  assert.deepEqual(need.map((x) => [x.activeplanstableid, x.sentype, x.sentyperank]),
    [['1', 'ASD', '1'], ['1', 'SLCN', '2'], ['2', 'SEMH', '1']]);
  const figures = Object.fromEntries(csv(readFileSync(join(out, 'figures.csv'), 'utf8')).map((x) => [x.name, x.value]));
  assert.equal(figures.inreq_ehc, '2');
  assert.equal(figures.ass_refused_ehc, '1');
  assert.equal(figures.new_all_ehc, '1');
  assert.equal(figures.inc_exc_20week_rate, '100.0');
  assert.equal(figures.tot_no_exc_ehc, '0');
  assert.equal(figures.caseload, '2');
  assert.equal(figures.transferred_in, '1');
  assert.equal(figures.inreq_ehc_w, 'x');
  const issues = csv(readFileSync(join(out, 'issues.csv'), 'utf8'));
  assert.deepEqual(issues.map((x) => [x.severity, x.child_id, x.field]).sort(),
    [['warning', '2', 'upnunknown'], ['warning', '2', 'urn']]);
  assert.ok(existsSync(join(out, 'notes.csv')));
  assert.ok(existsSync(join(out, 'sen2.csv')));
  rmSync(dir, { recursive: true });
});

test('blocking errors: exit 3 and nothing written, unless forced; audited', () => {
  const { dir, db } = area();
  // Ann's UPN mistyped: the check letter no longer matches.
  let r = run('sqlite3', [db], "UPDATE children SET upn = 'C801200005001' WHERE id = 1;");
  assert.equal(r.status, 0, r.stderr);
  const out = join(dir, 'sen2.xml');
  r = run(BIN, ['export', 'sen2', '--db', db, '--la', '990', '--year', '2026', '--out', out]);
  assert.equal(r.status, 3, r.stderr);
  assert.match(r.stderr, /error: child 1 person\.upn the check letter does not match/);
  assert.match(r.stderr, /fix on the child's record/);
  assert.equal(existsSync(out), false);
  r = run(BIN, ['export', 'sen2', '--db', db, '--la', '990', '--year', '2026', '--out', out, '--force-with-errors']);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stderr, /WITH 1 blocking errors/);
  assert.ok(existsSync(out));
  r = run(BIN, ['audit', '--db', db, '--la', '990', '--action', 'export']);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /export,sen2,.*SEN2 2026 xml to .*; 3 people; 1 errors; forced/);
  rmSync(dir, { recursive: true });
});

test('usage errors exit 2', () => {
  for (const args of [
    ['export', 'sen2', '--la', '990', '--out', 'x'],             // no year
    ['export', 'sen2', '--la', '99', '--year', '2026', '--out', 'x'],
    ['export', 'sen2', '--la', '990', '--year', '2026', '--format', 'pdf', '--out', 'x'],
    ['export', 'sen2', '--la', '990', '--year', '2026', '--format', 'csv', '--out', '-'],
    ['export', 'sen2', '--la', '990', '--year', '1999', '--out', 'x'],
    ['export', 'nope'],
  ]) {
    const r = run(BIN, args);
    assert.equal(r.status, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.notEqual(r.stderr, '');
  }
});
