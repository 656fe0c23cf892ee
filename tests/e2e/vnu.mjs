// The Nu HTML Checker (vnu-jar) as a service: one JVM per test file, started
// on a free loopback port on first use, then each page is checked in tens of
// milliseconds by posting its source. Stopped with stopValidator().
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';

const JAR = new URL('../../node_modules/vnu-jar/build/dist/vnu.jar', import.meta.url).pathname;

let service = null; // { proc, base, ready }

function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.unref();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => resolve(port)); });
  });
}

async function start() {
  const port = await freePort();
  // C1-only JIT and the serial collector: the checker starts in about two
  // thirds of the time, which matters more here than peak speed.
  const proc = spawn('java', ['-Xss1m', '-XX:TieredStopAtLevel=1', '-XX:+UseSerialGC',
    '-Dnu.validator.servlet.bind-address=127.0.0.1',
    '-cp', JAR, 'nu.validator.servlet.Main', String(port)], { stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  proc.stdout.on('data', (d) => { log += d; });
  proc.stderr.on('data', (d) => { log += d; });
  const base = `http://127.0.0.1:${port}/`;
  const exited = new Promise((_, reject) => proc.on('exit', (code) =>
    reject(new Error(`vnu exited (${code}) before it was ready: ${log.slice(-2000)}`))));
  const ready = (async () => {
    const deadline = Date.now() + 60000;
    for (;;) {
      try {
        const r = await fetch(base, { method: 'HEAD' });
        if (r.status < 500) return;
      } catch { /* not listening yet */ }
      if (Date.now() > deadline) throw new Error(`vnu did not start within 60 s: ${log.slice(-2000)}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  })();
  await Promise.race([ready, exited]);
  return { proc, base };
}

// Starts the checker (if it is not running) and warms it up with one small
// document: call it in a test file's before() beside the server and browser.
export async function startValidator() {
  await htmlErrors('<!DOCTYPE html><html lang="en"><head><title>warm up</title></head><body><p>x</p></body></html>');
}

// Checks one HTML document. Resolves with the list of errors (each
// "line:column message"), empty when the document is valid. Warnings and
// info messages are not errors.
export async function htmlErrors(html) {
  service ??= start();
  const { base } = await service;
  const res = await fetch(`${base}?out=json&parser=html`, {
    method: 'POST',
    headers: { 'content-type': 'text/html; charset=utf-8' },
    body: html,
  });
  if (!res.ok) throw new Error(`vnu answered ${res.status}`);
  const { messages } = await res.json();
  return messages
    .filter((m) => m.type === 'error' || (m.type === 'non-document-error'))
    .map((m) => `${m.lastLine ?? '?'}:${m.firstColumn ?? m.lastColumn ?? '?'} ${m.message}` +
      (m.extract ? ` [${m.extract.replace(/\s+/g, ' ').trim()}]` : ''));
}

// Throws, listing every error, unless the document is valid HTML.
export async function validateHtml(html, name = 'page') {
  const errors = await htmlErrors(html);
  if (errors.length) {
    throw new Error(`${name}: ${errors.length} HTML error(s) (vnu):\n  ${errors.join('\n  ')}`);
  }
}

export async function stopValidator() {
  if (!service) return;
  const s = service;
  service = null;
  let proc;
  try { ({ proc } = await s); } catch { return; }
  if (proc.exitCode !== null || proc.signalCode !== null) return;
  const done = new Promise((r) => proc.on('exit', r));
  proc.kill('SIGTERM');
  await done;
}
