// Helpers for the PostgreSQL black-box tests (pg_*.test.mjs): a fresh
// database on the throwaway cluster of scripts/pg.sh, `sendhub serve`
// processes on it, and an API token to call them with.
//
// SENDHUB_TEST_PG is the server URL (postgresql://postgres@127.0.0.1:PORT/
// postgres); when it is unset every test here is skipped with PG_SKIP.
// Tests that stop the server or need a replica start a cluster of their own
// with scripts/pg.sh (startCluster). Databases are created with psql.
import { spawn, execFileSync } from 'node:child_process';
import { BIN } from './server.mjs';

export const PG = process.env.SENDHUB_TEST_PG || '';
export const PG_SKIP = PG ? false : 'SENDHUB_TEST_PG is not set: PostgreSQL tests skipped (see scripts/pg.sh)';
const PG_SH = new URL('../../scripts/pg.sh', import.meta.url).pathname;

let counter = 0;

// The URL of database `name` on the server of `server` (its path replaced).
export function dbUrl(server, name) {
  const u = new URL(server);
  u.pathname = `/${name}`;
  return u.toString();
}

function psql(url, sql) {
  return execFileSync('psql', ['-X', '-q', '-A', '-t', '-v', 'ON_ERROR_STOP=1', '-d', url, '-c', sql],
    { encoding: 'utf8' }).trim();
}

// A new empty database on `server`; its name is made here, never from input.
export function createDb(server = PG) {
  const name = `sendhub_http_${process.pid}_${counter++}`;
  psql(server, `CREATE DATABASE ${name}`);
  return { name, server, url: dbUrl(server, name) };
}

export function dropDb(db) {
  if (!db) return;
  try { psql(db.server, `DROP DATABASE IF EXISTS ${db.name} WITH (FORCE)`); } catch { /* server down */ }
}

export function query(url, sql) {
  return psql(url, sql);
}

// A throwaway cluster of its own (scripts/pg.sh), for tests that stop the
// server or need a replica without disturbing the shared one.
export function startCluster({ replica = false } = {}) {
  const env = { ...process.env, SENDHUB_PG_DIR: '', SENDHUB_PG_PORT: '' };
  // One retry: on a loaded machine a fresh cluster (or its base backup) can
  // fail to start in time; pg.sh cleans up after a failed start.
  const start = () => execFileSync('sh', [PG_SH, replica ? 'start-replica' : 'start'],
    { env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  let out;
  try { out = start(); } catch { out = start(); }
  const vars = Object.fromEntries(out.trim().split('\n').map((l) => l.split(/=(.*)/s).slice(0, 2)));
  const dir = vars.SENDHUB_PG_DIR;
  const run = (action) => execFileSync('sh', [PG_SH, action],
    { env: { ...process.env, SENDHUB_PG_DIR: dir }, stdio: ['ignore', 'ignore', 'inherit'] });
  return {
    dir, url: vars.SENDHUB_TEST_PG, replicaUrl: vars.SENDHUB_TEST_PG_REPLICA,
    halt: () => run('halt'),
    resume: () => run('resume'),
    stop: () => run('stop'),
  };
}

// Creates the database's schema and an account with an API token, through
// the binary itself (`sendhub migrate`, `user add`, `user token`), so the
// tests work whether or not the API requires sign-in yet.
export function provision(url, la = '990') {
  execFileSync(BIN, ['migrate', '--db', url], { stdio: ['ignore', 'ignore', 'inherit'] });
  const username = `pgtest${counter++}`;
  execFileSync(BIN, ['user', 'add', '--db', url, '--la', la, '--username', username,
    '--name', 'Test Coordinator', '--role', 'coordinator'],
  { input: 'violet kettle sandpaper orbit 7\n', stdio: ['pipe', 'ignore', 'inherit'] });
  const out = execFileSync(BIN, ['user', 'token', '--db', url, '--username', username,
    '--label', 'pg tests'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  return out.trim().split('\n')[0];
}

// Starts `sendhub serve --db url` on a free loopback port.
export async function serve(url, { token = '', today = '2026-03-01', extra = [] } = {}) {
  const proc = spawn(BIN, ['serve', '--db', url, '--port', '0', '--today', today, ...extra], {
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
  return {
    proc, port, base,
    stderr: () => stderr,
    alive: () => proc.exitCode === null && proc.signalCode === null,
    async request(method, path, body, timeoutMs = 20000) {
      const headers = { authorization: `Bearer ${token}` };
      const init = { method, headers, signal: AbortSignal.timeout(timeoutMs) };
      if (body !== undefined) {
        init.body = JSON.stringify(body);
        headers['content-type'] = 'application/json';
      }
      const res = await fetch(base + path, init);
      const text = await res.text();
      let json = null;
      try { json = JSON.parse(text); } catch { /* not JSON */ }
      return { status: res.status, headers: res.headers, json, text };
    },
    get(path) { return this.request('GET', path); },
    post(path, body) { return this.request('POST', path, body); },
    async stop() {
      if (!this.alive()) return proc.exitCode;
      const done = new Promise((resolve) => proc.on('exit', (code, sig) => resolve(code ?? sig)));
      proc.kill('SIGTERM');
      return done;
    },
  };
}

// A child and a case opened on it through the API; returns the case id.
export async function newCase(srv, i) {
  const child = await srv.post('/api/v1/children', {
    forename: 'Pat', surname: `Concurrent${i}`, date_of_birth: '2016-04-12',
  });
  if (child.status !== 201) throw new Error(`child: ${child.status} ${child.text}`);
  const c = await srv.post('/api/v1/cases', {
    child_id: child.json.id, start: { type: 'request_received', date: '2026-01-05' },
  });
  if (c.status !== 201) throw new Error(`case: ${c.status} ${c.text}`);
  return c.json.id;
}

export const ADVICE = { type: 'advice_requested', date: '2026-02-12', agency: 'health' };
