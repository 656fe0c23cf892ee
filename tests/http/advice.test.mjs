// Advice uploads over HTTP (page_advice.c, web/multipart.c, server.c): the
// ceilings on files and bodies, type checks by content, the CSRF token in a
// multipart form, and that the server's reminder thread stops cleanly. And a
// family's views with files (page_portal.c): five files of 5 MB fit in one
// form (--max-upload), a sixth does not.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { DEMO_PASSWORD, apiToken, startDemo } from '../e2e/demo.mjs';
import { Session, signedIn } from '../e2e/session.mjs';
import { rawRequest } from './server.mjs';

let srv, api, health, family;
before(async () => {
  srv = await startDemo();
  api = new Session(srv.base);
  api.bearer = await apiToken(srv.db, srv.accounts.manager[0], 'advice http');
  health = await signedIn(srv.base, srv.accounts.health[0], DEMO_PASSWORD);
  family = new Session(srv.base);
  assert.ok((await family.signIn('p.family', DEMO_PASSWORD, { csrfPages: ['/portal'] })).signedIn);
});
after(async () => {
  await srv?.stop();
  srv?.cleanup();
});

async function newHealthRequest() {
  const cases = await api.get('/api/v1/cases?per_page=1&stage=assessment');
  const r = await api.post(`/api/v1/cases/${cases.json.items[0].id}/advice-requests`,
    { date: '2026-11-02', requests: [{ agency: 'health', service: 'Upload tests' }] }, { json: true });
  assert.equal(r.status, 201, r.text);
  return r.json.items[0].id;
}

// A multipart body: fields, then files given as { name, bytes }.
function multipart(fields, files = []) {
  const boundary = '----advicetest0123456789';
  const chunks = [];
  for (const [k, v] of Object.entries(fields)) {
    chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`));
  }
  for (const f of files) {
    chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="files"; filename="${f.name}"\r\n` +
      `Content-Type: ${f.type ?? 'application/pdf'}\r\n\r\n`), f.bytes, Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { body: Buffer.concat(chunks), type: `multipart/form-data; boundary=${boundary}` };
}

function pdf(size) {
  const head = Buffer.from('%PDF-1.4\n'), tail = Buffer.from('\n%%EOF\n');
  return Buffer.concat([head, Buffer.alloc(Math.max(0, size - head.length - tail.length), 0x20), tail]);
}

async function post(session, path, fields, files) {
  const { body, type } = multipart(fields, files);
  const res = await fetch(srv.base + path, {
    method: 'POST', body, redirect: 'manual',
    headers: { 'content-type': type, cookie: session.cookieHeader() },
  });
  return { status: res.status, text: await res.text(), headers: res.headers };
}

const answer = { needs: 'N', outcomes: 'O', provision: 'P' };
const csrf = () => ({ [health.csrf.name]: health.csrf.value });

test('a multipart form without the CSRF token is refused and stores nothing', async () => {
  const id = await newHealthRequest();
  const r = await post(health, `/advice/${id}`, answer, [{ name: 'a.pdf', bytes: pdf(1000) }]);
  assert.equal(r.status, 403);
  const got = await api.get(`/api/v1/advice-requests/${id}`);
  assert.equal(got.json.request.status, 'requested');
});

test('a PDF over 5 MB is refused with a message, and nothing is stored', async () => {
  const id = await newHealthRequest();
  const r = await post(health, `/advice/${id}`, { ...csrf(), ...answer },
    [{ name: 'big.pdf', bytes: pdf(5 * 1024 * 1024 + 1) }]);
  assert.equal(r.status, 422);
  assert.match(r.text, /big\.pdf: The file must be smaller than 5 MB/);
  assert.equal((await api.get(`/api/v1/advice-requests/${id}`)).json.request.status, 'requested');
});

test('a file that is not a PDF is refused, whatever its name and type', async () => {
  const id = await newHealthRequest();
  const r = await post(health, `/advice/${id}`, { ...csrf(), ...answer },
    [{ name: 'report.pdf', bytes: Buffer.from('<script>alert(1)</script>') }]);
  assert.equal(r.status, 422);
  assert.match(r.text, /report\.pdf: The file must be a PDF/);
});

// The declared length decides, before any of the body is read.
function declared(path, length, session) {
  return rawRequest(srv.port,
    `POST ${path} HTTP/1.1\r\nHost: x\r\nCookie: ${session.cookieHeader()}\r\n` +
    `Content-Type: multipart/form-data; boundary=x\r\nContent-Length: ${length}\r\n\r\n--x\r\n`);
}

test('a body over --max-upload (27 MiB) is refused before it is read', async () => {
  const id = await newHealthRequest();
  assert.match(await declared(`/advice/${id}`, (27 << 20) + 1, health), /^HTTP\/1\.1 413 /);
  assert.equal((await api.get(`/api/v1/advice-requests/${id}`)).json.request.status, 'requested');
});

test('large multipart bodies are only taken by the pages that upload files', async () => {
  assert.match(await declared('/sign-out', 2 << 20, health), /^HTTP\/1\.1 413 /);
  assert.match(await declared('/cases/1/events', 2 << 20, health), /^HTTP\/1\.1 413 /);
});

test('two PDFs within the ceilings are stored and served back as downloads', async () => {
  const id = await newHealthRequest();
  const a = pdf(3 << 20), b = pdf(2000);
  const r = await post(health, `/advice/${id}`, { ...csrf(), ...answer },
    [{ name: '../../etc/passwd', bytes: a }, { name: 'Second report;v2.PDF', type: 'text/html', bytes: b }]);
  assert.equal(r.status, 303, r.text.slice(0, 300));
  const got = await api.get(`/api/v1/advice-requests/${id}`);
  assert.equal(got.json.request.status, 'on_time');
  assert.deepEqual(got.json.files.map((f) => [f.filename, f.size]),
    [['passwd.pdf', a.length], ['Second report_v2.PDF', b.length]]);
  const file = await fetch(`${srv.base}/advice/${id}/files/${got.json.files[1].id}`, {
    headers: { cookie: health.cookieHeader() },
  });
  assert.equal(file.status, 200);
  assert.equal(file.headers.get('content-type'), 'application/pdf');
  assert.equal(file.headers.get('content-disposition'), 'attachment; filename="Second report_v2.PDF"');
  assert.equal(file.headers.get('x-content-type-options'), 'nosniff');
  assert.deepEqual(Buffer.from(await file.arrayBuffer()), b);
});

// A PNG of `size` bytes: its signature and header chunk, then padding.
function png(size) {
  const head = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489', 'hex');
  return Buffer.concat([head, Buffer.alloc(size - head.length)]);
}

async function familyChild() {
  const page = await family.get('/portal');
  return Number(/href="\/portal\/children\/(\d+)"/.exec(page.text)[1]);
}

test("a family's views with five files of 5 MB are taken; a sixth file is refused with the text kept", async () => {
  const child = await familyChild();
  const fiveMb = png(5 * 1024 * 1024);
  const files = [1, 2, 3, 4, 5].map((i) => ({ name: `drawing ${i}.png`, type: 'image/png', bytes: fiveMb }));
  const six = await post(family, `/portal/children/${child}/views`,
    { [family.csrf.name]: family.csrf.value, views: 'Six drawings.' },
    [...files, { name: 'drawing 6.png', type: 'image/png', bytes: png(1000) }]);
  assert.equal(six.status, 422);
  assert.match(six.text, /Choose 5 files or fewer: you chose 6/);
  assert.match(six.text, />Six drawings\.<\/textarea>/);
  const five = await post(family, `/portal/children/${child}/views`,
    { [family.csrf.name]: family.csrf.value, views: 'Five drawings.' }, files);
  assert.equal(five.status, 303, five.text.slice(0, 300));
  const sent = await family.get(`/portal/children/${child}/views`);
  for (let i = 1; i <= 5; i++) assert.match(sent.text, new RegExp(`drawing ${i}\\.png</a> \\(PNG image, 5120 KB\\)`));
});

test('a photo too large even to keep (9 MB) is named in the message, and the text is kept', async () => {
  const child = await familyChild();
  const r = await post(family, `/portal/children/${child}/views`,
    { [family.csrf.name]: family.csrf.value, views: 'A big photo.' },
    [{ name: 'IMG_0001.png', type: 'image/png', bytes: png(9 * 1024 * 1024) },
      { name: 'small.png', type: 'image/png', bytes: png(1000) }]);
  assert.equal(r.status, 422);
  assert.match(r.text, /IMG_0001\.png: The file must be smaller than 5 MB/);
  assert.match(r.text, />A big photo\.<\/textarea>/);
});

test('a family\'s views over --max-upload are refused before they are read', async () => {
  const child = await familyChild();
  assert.match(await declared(`/portal/children/${child}/views`, (27 << 20) + 1, family), /^HTTP\/1\.1 413 /);
});

test('the server stops cleanly with its reminder thread', async () => {
  const code = await srv.stop('SIGTERM');
  assert.equal(code, 0);
  assert.match(srv.stderr(), /stopped/);
});
