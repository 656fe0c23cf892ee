// Black-box tests of `sendhub migrate` that need no PostgreSQL: the guard
// that the SQLite to PostgreSQL copy (src/cli/cmd_migrate.c) moves every
// table. A freshly migrated SQLite database's tables must each be either
// copied or skipped by name in `sendhub migrate --list-tables`; a table in
// neither would be left behind on a move. A new migration's table makes the
// first test fail until it has its entry in copy_tables[] (or
// copy_skipped[]). The copy itself, on PostgreSQL: tests/http/pg_migrate.test.mjs.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const BIN = process.env.SENDHUB_BIN;
let dir, db;

function run(cmd, args) {
  const r = spawnSync(cmd, args, { encoding: 'utf8', timeout: 60000 });
  if (r.error) throw r.error;
  return r;
}

function tablesOf(file) {
  const r = run('sqlite3', [file, "SELECT name FROM sqlite_master WHERE type = 'table'"
    + " AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name"]);
  assert.equal(r.status, 0, r.stderr);
  return r.stdout.trim().split('\n').filter(Boolean);
}

// { copied: [...], skipped: { name: why } } from --list-tables.
function listed() {
  const r = run(BIN, ['migrate', '--list-tables']);
  assert.equal(r.status, 0, r.stderr);
  const copied = [], skipped = {};
  for (const line of r.stdout.trim().split('\n')) {
    const m = /^(copy|skip) ([a-z0-9_]+)(?:: (.+))?$/.exec(line);
    assert.ok(m, `unexpected line: ${line}`);
    if (m[1] === 'copy') copied.push(m[2]);
    else skipped[m[2]] = m[3];
  }
  return { copied, skipped };
}

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'sendhub-migrate-'));
  db = join(dir, 'fresh.db');
  const r = run(BIN, ['migrate', '--db', db]);
  assert.equal(r.status, 0, r.stderr);
});

after(() => rmSync(dir, { recursive: true, force: true }));

test('every table of a freshly migrated database is copied or skipped by name', () => {
  const { copied, skipped } = listed();
  const missing = tablesOf(db).filter((t) => !copied.includes(t) && !(t in skipped));
  assert.deepEqual(missing, [], `tables the SQLite to PostgreSQL copy would leave behind: ${
    missing.join(', ')} (add them to copy_tables[] in src/cli/cmd_migrate.c)`);
});

test('the lists name only tables that exist, each once, and every skip says why', () => {
  const { copied, skipped } = listed();
  const tables = tablesOf(db);
  const names = [...copied, ...Object.keys(skipped)];
  assert.deepEqual(names.filter((t) => !tables.includes(t)), []);
  assert.equal(new Set(names).size, names.length);
  for (const [t, why] of Object.entries(skipped)) assert.ok(why && why.length > 10, t);
  assert.ok(copied.includes('advice_attachments') && copied.includes('inspection_judgements'));
});

test('a source with a table the copy does not know is refused before the target is touched', () => {
  const file = join(dir, 'newer.db');
  assert.equal(run(BIN, ['migrate', '--db', file]).status, 0);
  const r0 = run('sqlite3', [file, 'CREATE TABLE forum_comments (id INTEGER PRIMARY KEY, body TEXT)']);
  assert.equal(r0.status, 0, r0.stderr);
  // Port 1 on loopback: nothing listens, so reaching the target would fail
  // with a connection error instead of the refusal checked here.
  const r = run(BIN, ['migrate', '--from', `sqlite:${file}`,
    '--to', 'postgresql://nobody@127.0.0.1:1/none?connect_timeout=2']);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /table forum_comments is neither copied nor skipped/);
  assert.doesNotMatch(r.stderr, /127\.0\.0\.1|connect/i);
});
