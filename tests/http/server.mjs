// Starts the real sendhub binary on a free loopback port with a temporary
// database, for black-box HTTP tests. Every test file gets its own server.
import { spawn, spawnSync } from 'node:child_process';
import { connect } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, basename } from 'node:path';

export const BIN = process.env.SENDHUB_BIN ?? new URL('../../build/sendhub', import.meta.url).pathname;

// Runs a sendhub command to completion; throws with its stderr on failure.
export function sendhub(args, input = '') {
  const r = spawnSync(BIN, args, { input, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`sendhub ${args.join(' ')} failed (${r.status}): ${r.stderr}`);
  return r.stdout;
}

export const PASSWORD = 'correct-horse-battery-staple';

// Adds a person to the database and returns an API token for them.
export function addUser(db, username, role, { la = '990', setting = null } = {}) {
  const args = ['user', 'add', '--db', db, '--username', username, '--name', `Test ${role}`,
    '--role', role, '--la', la];
  if (setting) args.push('--setting-urn', setting);
  sendhub(args, `${PASSWORD}\n`);
  const out = sendhub(['user', 'token', '--db', db, '--username', username, '--label', 'tests', '--days', '1']);
  return out.trim().split(/\s+/).pop();
}

// The database a test server uses: a file in `dir`, or, when SENDHUB_TEST_PG
// names a PostgreSQL server, a fresh database on it (the same suites then run
// against both backends).
export function databaseFor(dir) {
  const server = process.env.SENDHUB_TEST_PG;
  if (!server) return join(dir, 'test.db');
  const name = 'sh_' + basename(dir).replace(/[^a-zA-Z0-9]/g, '_').toLowerCase();
  spawnSync('psql', ['-X', '-q', '-d', server, '-c', `CREATE DATABASE ${name}`]);
  const u = new URL(server);
  u.pathname = '/' + name;
  return u.toString();
}

export async function startServer({ dir, today = '2026-03-01', extra = [], role = 'coordinator' } = {}) {
  const own = !dir;
  dir = dir ?? mkdtempSync(join(tmpdir(), 'sendhub-http-'));
  const db = databaseFor(dir);
  sendhub(['migrate', '--db', db]);
  let token = null;
  try {
    token = addUser(db, `tester.${role}`, role);
  } catch (e) {
    if (!/already/.test(e.message)) throw e; // a restart of the same database keeps its people
    token = sendhub(['user', 'token', '--db', db, '--username', `tester.${role}`, '--label', 'tests', '--days', '1']).trim().split(/\s+/).pop();
  }
  const proc = spawn(BIN, ['serve', '--db', db, '--port', '0', '--today', today, ...extra], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  const port = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start: ${stderr}`)), 15000);
    proc.stderr.on('data', (chunk) => {
      stderr += chunk;
      const m = /listening on http:\/\/[\d.]+:(\d+)\//.exec(stderr);
      if (m) { clearTimeout(timer); resolve(Number(m[1])); }
    });
    proc.on('exit', (code) => { clearTimeout(timer); reject(new Error(`server exited ${code}: ${stderr}`)); });
  });
  const base = `http://127.0.0.1:${port}`;
  const server = {
    dir, db, port, base, proc, token,
    stderr: () => stderr,
    async request(method, path, body, headers = {}) {
      const init = { method, headers: { authorization: `Bearer ${token}`, ...headers } };
      if (body !== undefined) {
        init.body = typeof body === 'string' ? body : JSON.stringify(body);
        if (!('content-type' in init.headers)) init.headers['content-type'] = 'application/json';
      }
      const res = await fetch(base + path, init);
      const text = await res.text();
      let json = null;
      try { json = JSON.parse(text); } catch { /* not JSON */ }
      return { status: res.status, headers: res.headers, json, text };
    },
    get(path) { return this.request('GET', path); },
    post(path, body, headers) { return this.request('POST', path, body, headers); },
    async stop(signal = 'SIGTERM') {
      if (proc.exitCode !== null || proc.signalCode !== null) return proc.exitCode;
      const done = new Promise((resolve) => proc.on('exit', (code, sig) => resolve(code ?? sig)));
      proc.kill(signal);
      return done;
    },
    cleanup() { if (own) rmSync(dir, { recursive: true, force: true }); },
  };
  return server;
}

// A synthetic child: names and identifiers are made up; the UPN and NHS
// number carry valid check characters (NHS numbers from the 999 test range).
export const CHILD = {
  forename: 'Ada', surname: 'Testperson', date_of_birth: '2016-04-12',
  upn: 'B801200005001', nhs_number: '943 476 5919', postcode: 'sw1a1aa',
  sen_needs: ['ASD', 'SLCN'], setting_urn: '100000',
};

// Sends raw pieces on one connection, one after another, and stops sending as
// soon as the server answers; resolves with what the server sent before it
// closed. For requests fetch() cannot make: a declared body larger than what
// is sent, or a chunked body that crosses the server's ceiling.
export function rawRequest(port, pieces) {
  if (typeof pieces === 'string') pieces = [pieces];
  return new Promise((resolve, reject) => {
    const sock = connect(port, '127.0.0.1');
    let out = '';
    sock.setTimeout(10000, () => { sock.destroy(); reject(new Error('raw request timed out')); });
    sock.on('data', (d) => { out += d; });
    sock.on('error', () => resolve(out));
    sock.on('close', () => resolve(out));
    sock.on('connect', async () => {
      for (const p of pieces) {
        if (out || sock.destroyed) return;
        if (!sock.write(p)) await new Promise((r) => sock.once('drain', r));
        await new Promise((r) => setTimeout(r, 5));
      }
    });
  });
}
