// A synthetic local area for the end-to-end and authorisation tests: runs
// `sendhub demo --no-serve` into a temporary database, then starts
// `sendhub serve` on it (tests/http/server.mjs's startServer) on a free
// loopback port. Every test file gets its own area and server, so a test that
// locks an account or records an event cannot disturb another file.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

import { BIN, startServer, databaseFor } from '../http/server.mjs';

export { BIN };
const run = promisify(execFile);

export const TODAY = '2026-11-02';
export const SEED = '3';
export const DEMO_PASSWORD = 'demo-password-2026';

// The demo's named accounts (issue 3). Coordinators' usernames come from the
// demo's own output (see demoAccounts); these are the fixed ones.
export const ACCOUNTS = {
  manager: 'm.manager',
  admin: 'a.admin',
  inspector: 'i.inspector',
  health: 'h.health',
  social_care: 's.socialcare',
  forum: 'f.forum',
};

// Runs the sendhub binary; resolves with stdout, rejects with stderr.
export async function sendhub(args, { input } = {}) {
  const p = run(BIN, args, { maxBuffer: 64 << 20 });
  if (input !== undefined) { p.child.stdin.end(input); }
  try {
    const { stdout } = await p;
    return stdout;
  } catch (e) {
    throw new Error(`sendhub ${args.join(' ')} failed (${e.code}): ${e.stderr || e.message}`);
  }
}

// Creates the demo area and serves it. Resolves with tests/http/server.mjs's
// server object plus `demoOutput` (what the demo printed) and `accounts`.
export async function startDemo({ today = TODAY, seed = SEED, extra = [] } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'sendhub-e2e-'));
  const db = databaseFor(dir);
  let demoOutput;
  try {
    demoOutput = await sendhub(['demo', '--db', db, '--no-serve', '--as-of', today, '--seed', seed]);
  } catch (e) {
    rmSync(dir, { recursive: true, force: true });
    throw e;
  }
  const server = await startServer({ dir, today, extra });
  const cleanup = server.cleanup.bind(server);
  server.cleanup = () => { cleanup(); rmSync(dir, { recursive: true, force: true }); };
  server.demoOutput = demoOutput;
  server.accounts = demoAccounts(demoOutput);
  // Roles the demo's output did not list, from the database (sendhub user
  // list), leaving out the account tests/http/server.mjs adds for itself.
  const byRole = {};
  for (const u of await listUsers(db)) {
    if (u.disabled || u.username.startsWith('tester.')) continue;
    (byRole[u.role] ??= []).push(u.username);
  }
  for (const [role, names] of Object.entries(byRole)) server.accounts[role] ??= names;
  return server;
}

// Usernames by role, in the order the demo lists them after "sign in with
// password ... as:" (lines "    coordinator  a.patel, j.okoro, ..."), with
// the fixed names of issue 3 as the fallback. Values are arrays: there are
// many coordinators.
export function demoAccounts(text) {
  const byRole = {};
  const lines = text.split('\n');
  const from = lines.findIndex((l) => /sign in with password/i.test(l));
  for (const line of from < 0 ? [] : lines.slice(from + 1)) {
    const m = /^\s+([a-z_]+)\s{2,}([a-z0-9._-]+(?:,\s*[a-z0-9._-]+)*)\s*$/.exec(line);
    if (!m) break;
    byRole[m[1]] = m[2].split(/,\s*/);
  }
  for (const [role, user] of Object.entries(ACCOUNTS)) byRole[role] ??= [user];
  return byRole;
}

// The accounts of the database, from `sendhub user list` (a table whose
// columns are placed by its header line; widths are in bytes).
export async function listUsers(db) {
  const out = await sendhub(['user', 'list', '--db', db]);
  const [head, ...lines] = out.split('\n').filter((l) => l.trim());
  const h = Buffer.from(head);
  const cols = ['username', 'name', 'role', 'area', 'organisation', 'disabled', 'last sign-in'];
  const at = [];
  for (const c of cols) at.push(h.indexOf(c, at.length ? at.at(-1) + cols[at.length - 1].length : 0));
  if (at.some((i) => i < 0)) throw new Error(`unexpected header from sendhub user list: ${head}`);
  return lines.map((l) => {
    const b = Buffer.from(l);
    const field = (k) => b.subarray(at[k], k + 1 < at.length ? at[k + 1] : b.length).toString().trim();
    return { username: field(0), name: field(1), role: field(2), area: field(3), disabled: field(5) === 'yes' };
  });
}

// Adds an account with `sendhub user add` (the password on standard input).
export async function addUser(db, { username, name, role, password = DEMO_PASSWORD, settingUrn, la }) {
  const args = ['user', 'add', '--db', db, '--username', username, '--name', name ?? username, '--role', role];
  if (settingUrn) args.push('--setting-urn', settingUrn);
  if (la) args.push('--la', la);
  return sendhub(args, { input: `${password}\n` });
}

// An API token for a person, from `sendhub user token`.
export async function apiToken(db, username, label = 'test') {
  const out = await sendhub(['user', 'token', '--db', db, '--username', username, '--label', label]);
  const m = /([A-Za-z0-9_-]{43})/.exec(out);
  if (!m) throw new Error(`no token in the output of sendhub user token: ${out}`);
  return m[1];
}

// The audit log as JSON entries, from `sendhub audit --format json` (one
// array, or one object per line).
export async function auditEntries(db, args = [], la = '990') {
  const out = await sendhub(['audit', '--db', db, '--la', la, '--format', 'json', ...args]);
  const t = out.trim();
  if (!t) return [];
  if (t.startsWith('[')) return JSON.parse(t);
  const j = t.startsWith('{') && !t.includes('\n') ? JSON.parse(t) : null;
  if (j && Array.isArray(j.entries)) return j.entries;
  return t.split('\n').filter(Boolean).map((l) => JSON.parse(l));
}

// The audit log once pred(entries) holds. Reads, denials, exports and
// sign-ins reach the log through a background writer in batches (app/audit.h:
// within 200 ms, later on a loaded machine), so a test that looks straight
// after a request must wait for them: up to 15 s, then it fails naming what.
export async function auditUntil(db, args, pred, what, la = '990') {
  let entries = [];
  for (let i = 0; i < 75; i++) {
    entries = await auditEntries(db, args, la);
    if (pred(entries)) return entries;
    await new Promise((r) => setTimeout(r, 200));
  }
  assert.fail(`not in the audit log after 15 s: ${what}; the newest: ${JSON.stringify(entries.slice(-5))}`);
}
