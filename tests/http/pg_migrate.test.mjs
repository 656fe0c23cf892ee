// `sendhub migrate --from sqlite:FILE --to postgresql://...` end to end
// (src/cli/cmd_migrate.c): two demo councils whose ids collide (both start
// at 1) are copied one after the other into one PostgreSQL database. The
// first keeps its ids, the second is shifted past them; every table must
// arrive whole, and every reference must still reach the same row.
//
// References are checked by content, not by id: for each council, lines
// such as "referral date | pathway code | child's surname and birth date"
// are read through the references (joined on id alone, so a wrong shift
// lands on another council's row or none) from the SQLite source and from
// PostgreSQL, and must be equal. Anti-joins over the whole target then
// check that no reference crosses councils.
//
// The demo leaves some tables empty (tokens, attachments, chases, most of
// the portal, corrections, audit entries naming objects); supplement.sql
// below fills them with synthetic rows, so every copied table has rows.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PG_SKIP, createDb, dropDb, query } from './pg_env.mjs';
import { BIN } from './server.mjs';

const AS_OF = '2026-11-02';
const A = { la: '990', seed: '1' };
const B = { la: '991', seed: '2' };
let dir, db;

function run(cmd, args, input) {
  const r = spawnSync(cmd, args, { input, encoding: 'utf8', timeout: 120000, maxBuffer: 64 << 20 });
  if (r.error) throw r.error;
  return r;
}

function lite(file, sql) {
  const r = run('sqlite3', ['-bail', file], sql);
  assert.equal(r.status, 0, r.stderr);
  return r.stdout.trim();
}

const lines = (text) => (text ? text.split('\n') : []).sort();

// Synthetic rows for the tables the demo leaves empty, made from its own
// rows (hashes and attachment bytes random, so the two councils differ;
// the attachment holds NUL and 0xFF bytes, which only survive as binary).
const SUPPLEMENT = `
INSERT INTO advice_attachments (la_code, request_id, filename, size, content, created_at)
  SELECT la_code, id, 'advice-' || id || '.pdf', 12,
    CAST(X'255044462D00FF0A' || randomblob(4) AS BLOB), 1762000000
  FROM advice_requests ORDER BY id LIMIT 3;
INSERT INTO advice_chases (la_code, request_id, chase_on, kind, recipients, status, error, sent_at)
  SELECT la_code, id, '${AS_OF}', 'overdue', '', 'recorded', '', NULL
  FROM advice_requests ORDER BY id LIMIT 2;
INSERT INTO tokens (hash, user_id, kind, csrf, label, created_at, last_used, expires_at)
  SELECT randomblob(32), id, 'api', NULL, 'copy test', 1762000000, 1762000000, 1862000000
  FROM users ORDER BY id LIMIT 2;
INSERT INTO portal_invitations (la_code, child_id, hash, relationship, invitee_name, created_by,
    created_at, expires_at, used_at, used_by)
  SELECT l.la_code, l.child_id, randomblob(32), 'parent', 'Sam Family', 'a.patel', 1762000000,
    1762600000, 1762100000, l.user_id FROM portal_links l;
INSERT INTO portal_submissions (la_code, case_id, user_id, kind, body, school, meeting, created_at)
  SELECT c.la_code, c.id, l.user_id, 'views', 'All about me', '', 0, 1762000000
  FROM portal_links l JOIN cases c ON c.child_id = l.child_id;
INSERT INTO portal_messages (la_code, case_id, user_id, from_family, body, created_at)
  SELECT c.la_code, c.id, l.user_id, 1, 'When is the meeting?', 1762000000
  FROM portal_links l JOIN cases c ON c.child_id = l.child_id;
INSERT INTO portal_outbox (la_code, to_user_id, to_email, subject, body, created_at, sent_at)
  SELECT l.la_code, l.user_id, 'family@example.invalid', 'A new message', 'Sign in to read it.',
    1762000000, NULL FROM portal_links l;
INSERT INTO portal_join_failures (remote, at) VALUES ('192.0.2.1', 1762000000);
INSERT OR IGNORE INTO portal_date_notices (user_id, la_code, case_id, kind, due, queued_at)
  SELECT l.user_id, c.la_code, c.id, 'final_plan', '${AS_OF}', 1762000000
  FROM portal_links l JOIN cases c ON c.child_id = l.child_id;
INSERT INTO portal_preferences (user_id, date_emails, updated_at)
  SELECT DISTINCT user_id, 0, 1762000000 FROM portal_links;
INSERT INTO portal_attachments (la_code, submission_id, filename, kind, size, content, created_at)
  SELECT la_code, id, 'drawing-' || id || '.png', 'png', 12,
    CAST(X'89504E470D0A1A0A00FF' || randomblob(2) AS BLOB), 1762000000
  FROM portal_submissions ORDER BY id LIMIT 2;
INSERT INTO portal_link_history (user_id, la_code, child_id, relationship, since, removed_at,
    removed_by, reason)
  SELECT l.user_id, l.la_code, c.id, 'parent', 1761000000, 1762000000, 'a.patel', 'moved away'
  FROM portal_links l JOIN children c ON c.la_code = l.la_code AND c.id <> l.child_id
  ORDER BY c.id LIMIT 1;
INSERT INTO views_requests (la_code, case_id, purpose, message, reply_by, asked_by, asked_at,
    submission_id, answered_at)
  SELECT la_code, case_id, 'review', 'Before the review meeting', '${AS_OF}', 'a.patel',
    1761900000, id, 1762000000 FROM portal_submissions ORDER BY id LIMIT 1;
INSERT INTO inspection_action_documents (la_code, action_id, title, evidence_on, filename, kind,
    size, content, uploaded_by, created_at, withdrawn_at, withdrawn_by, withdrawn_reason)
  SELECT la_code, id, 'Draft minutes ' || id, '${AS_OF}', 'minutes-' || id || '.pdf', 'pdf', 12,
    CAST(X'255044462D00FF0A' || randomblob(4) AS BLOB), 'a.patel', 1762000000, 1762100000,
    'a.patel', 'replaced by the approved minutes'
  FROM inspection_actions ORDER BY id LIMIT 2;
INSERT INTO audit (at, la_code, username, role, action, object, object_id, child_id, detail, remote)
  SELECT 1762000000, la_code, 'a.patel', 'manager', 'read', 'insp_document', id, NULL, '', ''
  FROM inspection_action_documents ORDER BY id LIMIT 2;
UPDATE online_requests SET status = 'started', handled_by = 'a.patel', handled_at = 1762000000,
    case_id = (SELECT id FROM cases ORDER BY id LIMIT 1)
  WHERE id = (SELECT min(id) FROM online_requests);
INSERT INTO events (la_code, case_id, type, date, supersedes, reason, recorded_by, recorded_at)
  SELECT la_code, case_id, 'correction', date, id, 'entered twice', 'a.patel', 1762000000
  FROM events WHERE type = 'advice_requested' ORDER BY id LIMIT 2;
INSERT INTO audit (at, la_code, username, role, action, object, object_id, child_id, detail, remote)
  SELECT 1762000000, la_code, 'a.patel', 'coordinator', 'read', 'referral', id, child_id, '', ''
  FROM referrals ORDER BY id LIMIT 3;
INSERT INTO audit (at, la_code, username, role, action, object, object_id, child_id, detail, remote)
  SELECT 1762000000, la_code, 'a.patel', 'coordinator', 'read', 'plan', id, child_id, '', ''
  FROM cases ORDER BY id LIMIT 3;
INSERT INTO audit (at, la_code, username, role, action, object, object_id, child_id, detail, remote)
  SELECT 1762000000, la_code, 'a.patel', 'coordinator', 'write', 'inspection_action', id, NULL,
    '', '' FROM inspection_actions ORDER BY id LIMIT 2;
`;

// One demo council in its own SQLite file, supplemented; usernames get the
// area's number so the second council's do not clash with the first's
// (the copy requires new usernames).
function council({ la, seed }) {
  const file = join(dir, `${la}.db`);
  const r = run(BIN, ['demo', '--db', file, '--force', '--no-serve', '--seed', seed,
    '--scale', '5', '--la', la, '--as-of', AS_OF]);
  assert.equal(r.status, 0, r.stderr);
  lite(file, `${SUPPLEMENT}\nUPDATE users SET username = username || '.${la}';`);
  return file;
}

function copy(file, url) {
  const started = Date.now();
  const r = run(BIN, ['migrate', '--from', `sqlite:${file}`, '--to', url]);
  console.log(`# copied ${file} in ${((Date.now() - started) / 1000).toFixed(2)} s`);
  return r;
}

function copiedTables() {
  const r = run(BIN, ['migrate', '--list-tables']);
  assert.equal(r.status, 0, r.stderr);
  return r.stdout.split('\n').filter((l) => l.startsWith('copy ')).map((l) => l.slice(5));
}

// Lines read through the references, per council: `la` is a constant of
// this file; `hex` turns a binary column into lower-case hex per dialect.
const SIGHTS = {
  cases: () => `SELECT k.opened_at || '|' || c.surname || '|' || c.date_of_birth
    FROM cases k JOIN children c ON c.id = k.child_id WHERE k.la_code = $la`,
  events: () => `SELECT e.type || '|' || e.date || '|' || c.surname || '|' || c.date_of_birth
    FROM events e JOIN cases k ON k.id = e.case_id JOIN children c ON c.id = k.child_id
    WHERE e.la_code = $la`,
  corrections: () => `SELECT e.reason || '|' || s.type || '|' || s.date || '|' || c.surname
    FROM events e JOIN events s ON s.id = e.supersedes JOIN cases k ON k.id = s.case_id
    JOIN children c ON c.id = k.child_id WHERE e.la_code = $la`,
  tokens: (hex) => `SELECT u.username || '|' || ${hex('t.hash')}
    FROM tokens t JOIN users u ON u.id = t.user_id WHERE u.la_code = $la`,
  audit: () => `SELECT a.object || '|' || coalesce(r.referral_date || '', '') || '|'
      || coalesce(c.surname, '') || '|' || coalesce(k.opened_at || '', '') || '|'
      || coalesce(x.title, '') || '|' || coalesce(u.username, '') || '|' || coalesce(d.title, '')
    FROM audit a LEFT JOIN children c ON c.id = a.child_id
    LEFT JOIN referrals r ON a.object = 'referral' AND r.id = a.object_id
    LEFT JOIN cases k ON a.object = 'plan' AND k.id = a.object_id
    LEFT JOIN inspection_actions x ON a.object = 'inspection_action' AND x.id = a.object_id
    LEFT JOIN users u ON a.object = 'user' AND u.id = a.object_id
    LEFT JOIN inspection_action_documents d ON a.object = 'insp_document' AND d.id = a.object_id
    WHERE a.la_code = $la`,
  referrals: () => `SELECT r.referral_date || '|' || p.code || '|' || c.surname || '|' || c.date_of_birth
    FROM referrals r JOIN children c ON c.id = r.child_id JOIN pathways p ON p.id = r.pathway_id
    WHERE r.la_code = $la`,
  clock_stops: () => `SELECT s.stopped || '|' || r.referral_date || '|' || c.surname
    FROM clock_stops s JOIN referrals r ON r.id = s.referral_id JOIN children c ON c.id = r.child_id
    WHERE s.la_code = $la`,
  advice_requests: () => `SELECT r.service || '|' || e.type || '|' || e.date || '|'
      || coalesce(x.type, '-') || '|' || c.surname || '|' || k.opened_at
    FROM advice_requests r JOIN events e ON e.id = r.requested_event AND e.case_id = r.case_id
    LEFT JOIN events x ON x.id = r.received_event JOIN children c ON c.id = r.child_id
    JOIN cases k ON k.id = r.case_id AND k.child_id = c.id WHERE r.la_code = $la`,
  advice_attachments: (hex) => `SELECT a.filename || '|' || r.service || '|' || r.due || '|'
      || ${hex('a.content')}
    FROM advice_attachments a JOIN advice_requests r ON r.id = a.request_id WHERE a.la_code = $la`,
  advice_chases: () => `SELECT h.chase_on || '|' || r.service || '|' || r.due
    FROM advice_chases h JOIN advice_requests r ON r.id = h.request_id WHERE h.la_code = $la`,
  plan_drafts: () => `SELECT length(d.document) || '|' || c.surname || '|' || k.opened_at
    FROM plan_drafts d JOIN cases k ON k.id = d.case_id JOIN children c ON c.id = k.child_id
    WHERE d.la_code = $la`,
  plan_versions: () => `SELECT v.version || '|' || v.kind || '|' || e.type || '|' || e.date || '|'
      || c.surname || '|' || length(v.document)
    FROM plan_versions v JOIN cases k ON k.id = v.case_id JOIN children c ON c.id = k.child_id
    JOIN events e ON e.id = v.event_id AND e.case_id = v.case_id WHERE v.la_code = $la`,
  reviews: () => `SELECT r.created_at || '|' || c.surname || '|' || k.opened_at
    FROM reviews r JOIN cases k ON k.id = r.case_id JOIN children c ON c.id = k.child_id
    WHERE r.la_code = $la`,
  transfer_consultations: () => `SELECT t.setting_name || '|' || c.surname || '|' || k.opened_at
    FROM transfer_consultations t JOIN cases k ON k.id = t.case_id JOIN children c ON c.id = k.child_id
    WHERE t.la_code = $la`,
  portal: (hex) => `SELECT u.username || '|' || c.surname || '|' || ${hex('i.hash')} || '|' || iu.username
    FROM portal_links l JOIN users u ON u.id = l.user_id JOIN children c ON c.id = l.child_id
    JOIN portal_invitations i ON i.child_id = l.child_id JOIN users iu ON iu.id = i.used_by
    WHERE l.la_code = $la`,
  portal_cases: () => `SELECT 's|' || u.username || '|' || k.opened_at FROM portal_submissions s
      JOIN users u ON u.id = s.user_id JOIN cases k ON k.id = s.case_id WHERE s.la_code = $la
    UNION ALL SELECT 'm|' || u.username || '|' || k.opened_at FROM portal_messages m
      JOIN users u ON u.id = m.user_id JOIN cases k ON k.id = m.case_id WHERE m.la_code = $la
    UNION ALL SELECT 'o|' || u.username FROM portal_outbox o
      JOIN users u ON u.id = o.to_user_id WHERE o.la_code = $la`,
  inspection: () => `SELECT u.note || '|' || a.title || '|' || f.title || '|' || i.published_on
    FROM inspection_action_updates u JOIN inspection_actions a ON a.id = u.action_id
    JOIN inspection_findings f ON f.id = a.finding_id JOIN inspections i ON i.id = f.inspection_id
    WHERE u.la_code = $la
    UNION ALL SELECT m.measure || '|' || f.title || '|' || coalesce(p.code, '-')
      FROM inspection_measures m JOIN inspection_findings f ON f.id = m.finding_id
      LEFT JOIN pathways p ON p.id = m.pathway_id WHERE m.la_code = $la
    UNION ALL SELECT j.reasons || '|' || i.published_on FROM inspection_judgements j
      JOIN inspections i ON i.id = j.inspection_id WHERE j.la_code = $la
    UNION ALL SELECT m.body || '|' || a.title FROM inspection_action_comments m
      JOIN inspection_actions a ON a.id = m.action_id WHERE m.la_code = $la`,
  insp_documents: (hex) => `SELECT d.title || '|' || a.title || '|' || d.evidence_on || '|'
      || coalesce(d.withdrawn_reason, '-') || '|' || ${hex('d.content')}
    FROM inspection_action_documents d JOIN inspection_actions a ON a.id = d.action_id
    WHERE d.la_code = $la`,
  family: (hex) => `SELECT 'a|' || a.filename || '|' || s.body || '|' || ${hex('a.content')}
      FROM portal_attachments a JOIN portal_submissions s ON s.id = a.submission_id
      WHERE a.la_code = $la
    UNION ALL SELECT 'h|' || u.username || '|' || c.surname FROM portal_link_history h
      JOIN users u ON u.id = h.user_id JOIN children c ON c.id = h.child_id WHERE h.la_code = $la
    UNION ALL SELECT 'n|' || u.username || '|' || k.opened_at || '|' || n.kind
      FROM portal_date_notices n JOIN users u ON u.id = n.user_id JOIN cases k ON k.id = n.case_id
      WHERE n.la_code = $la
    UNION ALL SELECT 'p|' || u.username || '|' || p.date_emails FROM portal_preferences p
      JOIN users u ON u.id = p.user_id WHERE u.la_code = $la`,
  online_requests: (hex) => `SELECT o.surname || '|' || coalesce(k.opened_at || '', '-') || '|'
      || ${hex('o.send_key')}
    FROM online_requests o LEFT JOIN cases k ON k.id = o.case_id WHERE o.la_code = $la`,
  // 016: the demo's acknowledgements of its online requests (no account)
  acknowledgements: () => `SELECT o.to_email || '|' || o.state || '|' || r.surname || '|'
      || r.received_at FROM portal_outbox o JOIN online_requests r ON r.id = o.online_request_id
    WHERE o.la_code = $la AND o.to_user_id IS NULL`,
  views_requests: () => `SELECT r.purpose || '|' || r.reply_by || '|' || c.surname || '|'
      || k.opened_at || '|' || coalesce(s.body, '-') || '|' || coalesce(u.username, '-')
    FROM views_requests r JOIN cases k ON k.id = r.case_id JOIN children c ON c.id = k.child_id
    LEFT JOIN portal_submissions s ON s.id = r.submission_id AND s.case_id = r.case_id
    LEFT JOIN users u ON u.id = s.user_id WHERE r.la_code = $la`,
};

const liteHex = (col) => `lower(hex(${col}))`;
const pgHex = (col) => `encode(${col}, 'hex')`;

function assertSameSights(file, url, la) {
  for (const [name, sql] of Object.entries(SIGHTS)) {
    const want = lines(lite(file, sql(liteHex).replaceAll('$la', `'${la}'`)));
    const got = lines(query(url, sql(pgHex).replaceAll('$la', `'${la}'`)));
    assert.ok(want.length > 0, `${name}: the source of ${la} has no rows to check`);
    assert.deepEqual(got, want, `${name} of ${la} reached other rows after the copy`);
  }
}

// Anti-joins over the whole target: references that miss their row or
// reach another council's. Each must find nothing.
const ORPHANS = {
  'referral without its child': `SELECT count(*) FROM referrals r WHERE NOT EXISTS
    (SELECT 1 FROM children c WHERE c.id = r.child_id AND c.la_code = r.la_code)`,
  'plan version of a case of another area or an event of another case': `SELECT count(*)
    FROM plan_versions v WHERE NOT EXISTS (SELECT 1 FROM cases k JOIN events e ON e.case_id = k.id
    WHERE k.id = v.case_id AND k.la_code = v.la_code AND e.id = v.event_id)`,
  'advice request whose child or events are not its case\'s': `SELECT count(*) FROM advice_requests r
    WHERE NOT EXISTS (SELECT 1 FROM cases k WHERE k.id = r.case_id AND k.child_id = r.child_id
      AND k.la_code = r.la_code)
    OR NOT EXISTS (SELECT 1 FROM events e WHERE e.id = r.requested_event AND e.case_id = r.case_id)
    OR (r.received_event IS NOT NULL AND NOT EXISTS
      (SELECT 1 FROM events e WHERE e.id = r.received_event AND e.case_id = r.case_id))`,
  'correction of an event of another case': `SELECT count(*) FROM events e WHERE e.supersedes
    IS NOT NULL AND NOT EXISTS (SELECT 1 FROM events s WHERE s.id = e.supersedes
    AND s.case_id = e.case_id)`,
  'audit entry naming a child or object of another area': `SELECT count(*) FROM audit a
    WHERE (a.child_id IS NOT NULL AND NOT EXISTS
      (SELECT 1 FROM children c WHERE c.id = a.child_id AND c.la_code = a.la_code))
    OR (a.object = 'referral' AND NOT EXISTS (SELECT 1 FROM referrals r
      WHERE r.id = a.object_id AND r.la_code = a.la_code AND r.child_id = a.child_id))
    OR (a.object = 'plan' AND NOT EXISTS (SELECT 1 FROM cases k
      WHERE k.id = a.object_id AND k.la_code = a.la_code AND k.child_id = a.child_id))
    OR (a.object = 'user' AND a.object_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM users u
      WHERE u.id = a.object_id AND u.la_code = a.la_code))`,
  'portal row naming a user of another area': `SELECT
    (SELECT count(*) FROM portal_links l JOIN users u ON u.id = l.user_id WHERE u.la_code <> l.la_code)
    + (SELECT count(*) FROM portal_invitations i JOIN users u ON u.id = i.used_by
       WHERE u.la_code <> i.la_code)
    + (SELECT count(*) FROM portal_outbox o JOIN users u ON u.id = o.to_user_id
       WHERE u.la_code <> o.la_code)`,
  'acknowledgement of an online request of another area': `SELECT count(*) FROM portal_outbox o
    JOIN online_requests r ON r.id = o.online_request_id WHERE r.la_code <> o.la_code`,
};

function count(target, table, where = '') {
  return Number(target === 'pg' ? query(db.url, `SELECT count(*) FROM ${table} ${where}`)
    : lite(target, `SELECT count(*) FROM ${table} ${where}`));
}

before(() => {
  if (PG_SKIP) return;
  dir = mkdtempSync(join(tmpdir(), 'sendhub-pgmigrate-'));
  A.file = council(A);
  B.file = council(B);
  db = createDb();
});

after(() => {
  if (PG_SKIP) return;
  dropDb(db);
  rmSync(dir, { recursive: true, force: true });
});

test('a council copied into an empty database arrives whole, ids kept', { skip: PG_SKIP }, () => {
  const r = copy(A.file, db.url);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /copied; counts match/);
  for (const t of copiedTables()) {
    assert.ok(count(A.file, t) > 0, `${t}: nothing in the source to copy`);
    assert.equal(count('pg', t), count(A.file, t), `${t}: row counts differ`);
  }
  assert.equal(count('pg', 'portal_join_failures'), 0, 'transient rate-limit rows are skipped');
  // Ids kept: a referral names the same child, by id, on both sides.
  const ref = 'SELECT r.id || \'|\' || c.id || \'|\' || c.surname FROM referrals r'
    + ' JOIN children c ON c.id = r.child_id ORDER BY r.id LIMIT 1';
  assert.equal(query(db.url, ref), lite(A.file, ref));
  const file = 'SELECT id || \'|\' || size FROM advice_attachments ORDER BY id LIMIT 1';
  assert.equal(query(db.url, file), lite(A.file, file));
  assertSameSights(A.file, db.url, A.la);
});

test('a second council whose ids collide is shifted and every reference still holds', { skip: PG_SKIP }, () => {
  const before1 = Object.fromEntries(copiedTables().map((t) => [t, count('pg', t)]));
  const r = copy(B.file, db.url);
  assert.equal(r.status, 0, r.stderr);
  for (const t of copiedTables()) {
    if (t === 'areas' || t === 'settings') continue; // shared: those present are kept
    assert.equal(count('pg', t), before1[t] + count(B.file, t), `${t}: row counts differ`);
  }
  // The same ids exist in both sources; in the target the second's moved on.
  assert.equal(lite(B.file, 'SELECT min(id) FROM children'), lite(A.file, 'SELECT min(id) FROM children'));
  assert.ok(Number(query(db.url, `SELECT min(id) FROM children WHERE la_code = '${B.la}'`))
    > Number(query(db.url, `SELECT max(id) FROM children WHERE la_code = '${A.la}'`)));
  assertSameSights(A.file, db.url, A.la);
  assertSameSights(B.file, db.url, B.la);
  for (const [what, sql] of Object.entries(ORPHANS))
    assert.equal(query(db.url, sql), '0', what);
  // Each id sequence moved past the copied ids: the next insert cannot collide.
  const identities = lines(query(db.url, `SELECT table_name FROM information_schema.columns
    WHERE table_schema = current_schema() AND column_name = 'id' AND is_identity = 'YES'`));
  assert.ok(identities.length >= 20);
  for (const t of identities) {
    const [max, last] = query(db.url, `SELECT coalesce(max(id), 0) || '|' || coalesce(
      pg_sequence_last_value(pg_get_serial_sequence('${t}', 'id')), 0) FROM ${t}`).split('|');
    assert.ok(Number(last) >= Number(max), `${t}: sequence at ${last}, ids up to ${max}`);
  }
  // Binary stays binary: the attachment bytes (with NUL and 0xFF) are identical.
  const bytes = (la, hex) => `SELECT ${hex('content')} FROM advice_attachments WHERE la_code = '${la}'`;
  assert.deepEqual(lines(query(db.url, bytes(B.la, pgHex))), lines(lite(B.file, bytes(B.la, liteHex))));
});

test('a source column the copy does not name stops the copy and rolls it back', { skip: PG_SKIP }, () => {
  const file = join(dir, 'extra-column.db');
  copyFileSync(A.file, file);
  lite(file, 'ALTER TABLE referrals ADD COLUMN nickname TEXT');
  const target = createDb();
  try {
    const r = copy(file, target.url);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /referrals has 18 columns; the copy names 17/);
    assert.equal(query(target.url, 'SELECT count(*) FROM children'), '0');
  } finally {
    dropDb(target);
  }
});
