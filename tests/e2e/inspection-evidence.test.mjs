// Evidence documents on an improvement plan's actions (issue 9: "updates
// over time, and evidence (documents, notes)"). A manager finds the demo's
// document on an action, uploads a PDF board paper after a renamed program
// is refused (GOV.UK error summary naming the file and why, the title typed
// kept), downloads it (an attachment, nosniff, the same bytes) and sees the
// count on the progress page. The parent carer forum's member sees and
// downloads it and cannot add or withdraw; an inspector sees and downloads
// the demo's document. The manager withdraws one with a reason: it stays,
// marked. Uploads and downloads are in the audit log. Every page is checked
// with axe and the HTML validator; screenshots at 1280 and 375 px.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { errorSummary, finish, launchBrowser, newPage, screenshots, signIn, submit, visit } from './browser.mjs';
import { DEMO_PASSWORD, startDemo } from './demo.mjs';
import { startValidator, stopValidator } from './vnu.mjs';

let server, browser;
before(async () => {
  [server, browser] = await Promise.all([startDemo(), launchBrowser(), startValidator()]);
});
after(async () => {
  await Promise.allSettled([browser?.close(), server?.stop(), stopValidator()]);
  server?.cleanup();
});

// The demo's plan: its second action carries the demo's document.
const ACTION = '/inspections/1/actions/2';
const DEMO_DOC = 'Terms of reference of the weekly multi-agency panel';
const TITLE = 'Board paper: the panel\'s first quarter';

// A small valid PDF (header, one empty page, trailer).
function tinyPdf() {
  return Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n' +
    '2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');
}

// A Windows program, whatever it is called.
const EXE = Buffer.from([0x4d, 0x5a, 0x90, 0, 3, 0, 0, 0, 4, 0, 0, 0, 0xff, 0xff, 0, 0]);

async function download(page, name) {
  const href = await page.getByRole('link', { name }).getAttribute('href');
  assert.match(href, /^\/inspections\/1\/actions\/2\/documents\/\d+$/);
  return page.request.get(href);
}

let uploaded;

test('a manager uploads a PDF to an action; a renamed program is refused with the title kept', async () => {
  const page = await newPage(browser, server.base);
  await signIn(page, server.accounts.manager[0], DEMO_PASSWORD);
  await visit(page, ACTION);
  const main = page.locator('main');
  assert.match(await main.innerText(), new RegExp(`Evidence documents\\s+${DEMO_DOC}`));
  assert.match(await main.innerText(), /panel-terms-of-reference\.pdf \(PDF, 1 KB\)/);
  await screenshots(page, 'insp-evidence-action');

  await submit(page, page.getByRole('button', { name: 'Add a document' }));
  assert.equal(await page.locator('h1').innerText(), 'Add an evidence document');
  await screenshots(page, 'insp-evidence-new');
  await page.locator('#title').fill(TITLE);
  await page.locator('#evidence_on-day').fill('28');
  await page.locator('#evidence_on-month').fill('10');
  await page.locator('#evidence_on-year').fill('2026');
  await page.locator('#file').setInputFiles({ name: 'board-paper.pdf', mimeType: 'application/pdf', buffer: EXE });
  const upload = page.getByRole('button', { name: 'Upload the document' });
  await submit(page, upload, { status: 422, name: 'a renamed program' });
  const errs = await errorSummary(page);
  assert.deepEqual(errs.items, [{
    text: 'board-paper.pdf: The file must be a PDF, Word (DOCX), Excel (XLSX), PNG, JPEG or CSV file',
    href: '#file',
  }]);
  assert.equal(await page.locator('#title').inputValue(), TITLE, 'the title typed is kept');
  assert.equal(await page.locator('#evidence_on-day').inputValue(), '28');
  await screenshots(page, 'insp-evidence-error');

  await page.locator('#file').setInputFiles({ name: 'Board paper (Q1).pdf', mimeType: 'application/pdf', buffer: tinyPdf() });
  await submit(page, upload, { name: 'the board paper' });
  assert.equal(new URL(page.url()).pathname, ACTION);
  assert.match(await page.locator('.govuk-notification-banner').innerText(), /Document added/);
  assert.match(await main.innerText(), new RegExp(`${TITLE}[\\s\\S]*Board paper _Q1_\\.pdf \\(PDF, 1 KB\\)[\\s\\S]*Evidence dated\\s+28 October 2026`));

  const res = await download(page, 'Board paper _Q1_.pdf');
  assert.equal(res.status(), 200);
  assert.equal(res.headers()['content-type'], 'application/pdf');
  assert.equal(res.headers()['content-disposition'], 'attachment; filename="Board paper _Q1_.pdf"');
  assert.equal(res.headers()['x-content-type-options'], 'nosniff');
  assert.deepEqual(Buffer.from(await res.body()), tinyPdf());
  uploaded = await page.getByRole('link', { name: 'Board paper _Q1_.pdf' }).getAttribute('href');

  // the count on the progress page
  await visit(page, '/inspections/1/progress');
  const row = page.locator('#evidence-counts tbody tr', { has: page.locator(`a[href="${ACTION}#documents"]`) });
  assert.deepEqual((await row.locator('td').allInnerTexts()).slice(1), ['2', '0']);
  await screenshots(page, 'insp-evidence-progress');
  await finish(page);
});

test('the forum\'s member sees and downloads it, and cannot add or withdraw', async () => {
  assert.ok(uploaded, 'the manager\'s upload ran first');
  const page = await newPage(browser, server.base);
  await signIn(page, server.accounts.forum[0], DEMO_PASSWORD);
  await visit(page, ACTION);
  const main = page.locator('main');
  assert.match(await main.innerText(), new RegExp(`${DEMO_DOC}[\\s\\S]*${TITLE}`));
  assert.equal(await page.getByRole('button', { name: 'Add a document' }).count(), 0);
  assert.equal(await page.getByRole('link', { name: /^Withdraw/ }).count(), 0);
  await screenshots(page, 'insp-evidence-forum');
  const res = await download(page, 'Board paper _Q1_.pdf');
  assert.equal(res.status(), 200);
  assert.deepEqual(Buffer.from(await res.body()), tinyPdf());

  const denied = (r) => assert.ok([403, 404].includes(r.status()), `status ${r.status()}`);
  denied(await page.request.get(`${ACTION}/documents/new`, { maxRedirects: 0 }));
  denied(await page.request.get(`${uploaded}/withdraw`, { maxRedirects: 0 }));
  const csrf = await page.locator('input[name="csrf"]').first().getAttribute('value');
  denied(await page.request.post(`${ACTION}/documents`, {
    multipart: { csrf, title: 'Forum notes', 'evidence_on-day': '1', 'evidence_on-month': '11', 'evidence_on-year': '2026',
      file: { name: 'notes.pdf', mimeType: 'application/pdf', buffer: tinyPdf() } },
    maxRedirects: 0,
  }));
  denied(await page.request.post(`${uploaded}/withdraw`, { form: { csrf, reason: 'No' }, maxRedirects: 0 }));
  await finish(page);
});

test('an inspector sees the documents and downloads the demo\'s', async () => {
  const page = await newPage(browser, server.base);
  await signIn(page, server.accounts.inspector[0], DEMO_PASSWORD);
  await visit(page, ACTION);
  assert.match(await page.locator('main').innerText(), new RegExp(`${DEMO_DOC}[\\s\\S]*${TITLE}`));
  assert.equal(await page.getByRole('button', { name: 'Add a document' }).count(), 0);
  const res = await download(page, 'panel-terms-of-reference.pdf');
  assert.equal(res.status(), 200);
  assert.equal(res.headers()['content-disposition'], 'attachment; filename="panel-terms-of-reference.pdf"');
  const body = Buffer.from(await res.body());
  assert.equal(body.subarray(0, 8).toString(), '%PDF-1.4');
  assert.match(body.subarray(-6).toString(), /%%EOF\n$/);
  await finish(page);
});

test('a manager withdraws the demo\'s document with a reason: it stays, marked; the log has every upload and download', async () => {
  const page = await newPage(browser, server.base);
  await signIn(page, server.accounts.manager[0], DEMO_PASSWORD);
  await visit(page, ACTION);
  await submit(page, page.getByRole('link', { name: `Withdraw ${DEMO_DOC}` }));
  const withdraw = page.getByRole('button', { name: 'Withdraw the document' });
  await submit(page, withdraw, { status: 422, name: 'no reason' });
  assert.deepEqual((await errorSummary(page)).items, [{ text: 'Enter why the document is withdrawn', href: '#reason' }]);
  await page.locator('#reason').fill('Replaced by the board paper');
  await screenshots(page, 'insp-evidence-withdraw');
  await submit(page, withdraw, { name: 'withdrawn' });
  assert.match(await page.locator('.govuk-notification-banner').innerText(), /Document withdrawn/);
  const main = page.locator('main');
  assert.match(await main.innerText(), new RegExp(`${DEMO_DOC}\\s+Withdrawn[\\s\\S]*Replaced by the board paper`));
  assert.equal(await page.getByRole('link', { name: `Withdraw ${DEMO_DOC}` }).count(), 0);

  await visit(page, '/audit');
  const log = await main.innerText();
  assert.match(log, /m\.manager\s+manager\s+write\s+insp_document \d+\s+evidence on action 2: pdf/);
  assert.match(log, /m\.manager\s+manager\s+write\s+insp_document \d+\s+withdrew evidence on action 2/);
  assert.match(log, /f\.forum\s+forum\s+read\s+insp_document \d+\s+evidence on action 2 \(pdf\)/);
  assert.match(log, /i\.inspector\s+inspector\s+read\s+insp_document \d+/);
  await finish(page);
});
