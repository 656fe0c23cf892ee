// The inspection deep dive (issue 9): a manager draws a reproducible sample
// of children from the evidence pack and opens a case file from it; the
// demo's full case file (a child with a plan, advice, a review, open and
// closed health referrals and messages with the family) shows every part,
// opened by the child's coordinator from the record, on screen and in print
// emulation, and as a PDF; the audit log then holds each case-file read with
// its purpose; roles without case files are refused and the refusal
// audited. Every page is checked with axe and the HTML validator.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { finish, launchBrowser, newPage, screenshot, screenshots, signIn, submit, visit } from './browser.mjs';
import { ACCOUNTS, DEMO_PASSWORD, auditUntil, startDemo } from './demo.mjs';
import { pdfInfo } from './pdftext.mjs';
import { startValidator, stopValidator } from './vnu.mjs';

let server, browser, caseId;
before(async () => {
  [server, browser] = await Promise.all([startDemo(), launchBrowser(), startValidator()]);
  const m = /a full case file for an inspection deep dive: \/cases\/(\d+)\/casefile/.exec(server.demoOutput);
  assert.ok(m, `the demo names its full case file:\n${server.demoOutput}`);
  caseId = Number(m[1]);
});
after(async () => {
  await Promise.allSettled([browser?.close(), server?.stop(), stopValidator()]);
  server?.cleanup();
});

const PURPOSE = 'case file for inspection deep dive';

// Chromium places some runs of text glyph by glyph, which the PDF reader
// gives back with spaces between letters: compare without white space.
const inPdf = (info, text) => info.texts.some((t) => t.replace(/\s+/g, '').includes(text.replace(/\s+/g, '')));

// The rows of the sample's table: "name|case file link".
async function sampleRows(page) {
  return page.locator('#sample tbody tr').evaluateAll((rows) => rows.map((r) =>
    `${r.cells[0].innerText.trim()}|${r.querySelector('a').getAttribute('href')}`));
}

test('a manager samples children from the evidence pack, reproducibly, and opens a case file', async () => {
  const page = await newPage(browser, server.base);
  await signIn(page, ACCOUNTS.manager, DEMO_PASSWORD, { checks: false });
  await visit(page, '/inspections', { checks: false });
  await submit(page, page.getByRole('link', { name: 'Sample children for a deep dive' }), { name: 'sample form' });
  assert.match(await page.locator('#seed').inputValue(), /^\d{6}$/, 'a fresh seed is suggested');
  await page.locator('#n').fill('6');
  await page.locator('#seed').fill('20261102');
  await page.getByLabel('By plan status (the journey\'s stage)').check();
  await submit(page, page.getByRole('button', { name: 'Draw the sample' }), { name: 'sample drawn' });
  assert.match(page.url(), /n=6&seed=20261102&by=stage/, 'the address reproduces the sample');
  const first = await sampleRows(page);
  assert.equal(first.length, 6);
  assert.equal(new Set(first).size, 6, 'no child twice');
  assert.match(await page.locator('#sample caption').innerText(), /^6 of \d+ children with an open case, seed 20261102, spread by plan status$/);
  await screenshots(page, 'casefile-sample');
  // The same seed draws the same children; another seed others.
  await visit(page, '/inspections/sample?n=6&seed=20261102&by=stage', { checks: false });
  assert.deepEqual(await sampleRows(page), first);
  await visit(page, '/inspections/sample?n=6&seed=7&by=stage', { checks: false });
  assert.notDeepEqual(await sampleRows(page), first);
  // Bounds: 21 children and a seed that is not a number are refused on the form.
  await visit(page, '/inspections/sample?n=21&seed=x1&by=stage', { status: 400, name: 'sample errors' });
  const errors = await page.locator('.govuk-error-summary').innerText();
  assert.match(errors, /Enter a number of children from 1 to 20/);
  assert.match(errors, /Enter the seed as a whole number of up to 12 digits/);
  // No seed given: one is drawn and put in the address.
  await visit(page, '/inspections/sample?n=2&by=none', { checks: false });
  assert.match(page.url(), /n=2&seed=\d+&by=none$/);
  assert.equal((await sampleRows(page)).length, 2);
  // A sampled child's case file.
  await visit(page, '/inspections/sample?n=6&seed=20261102&by=stage', { checks: false });
  const href = await page.locator('#sample tbody tr a').first().getAttribute('href');
  await submit(page, page.locator('#sample tbody tr a').first(), { name: 'sampled case file' });
  assert.match(await page.locator('h1').innerText(), /^Case file: /);
  await finish(page);

  const caseRead = href.match(/\/cases\/(\d+)\/casefile/)[1];
  await auditUntil(server.db, [], (entries) =>
    entries.some((e) => e.object === 'evidence_sample' && e.action === 'read' &&
      /^seed 20261102, 6 of \d+ open cases, spread by plan status: [\d ]+$/.test(e.detail)) &&
    entries.some((e) => e.action === 'read' && e.object === 'case' && String(e.object_id) === caseRead &&
      e.detail === PURPOSE && e.username === ACCOUNTS.manager),
  'the sample with its seed and cases, and the case file read');
});

test('the coordinator opens the full case file from the record: every part, print layout, PDF, audited', async () => {
  const api = await server.request('GET', `/api/v1/cases/${caseId}`);
  assert.equal(api.status, 200);
  const { coordinator } = api.json.case;
  const name = `${api.json.child.forename} ${api.json.child.surname}`;
  assert.ok(coordinator, 'the demo case has a coordinator');
  const page = await newPage(browser, server.base);
  await signIn(page, coordinator, DEMO_PASSWORD, { checks: false });
  await visit(page, `/cases/${caseId}`, { checks: false });
  await submit(page, page.getByRole('link', { name: /^Case file: the whole record/ }), { name: 'case file' });
  assert.equal(await page.locator('h1').innerText(), `Case file: ${name}`);
  const head = await page.locator('.sendhub-casefile__header').innerText();
  assert.match(head, /OFFICIAL-SENSITIVE/);
  assert.match(head, new RegExp(`by ${coordinator} \\(EHC coordinator\\)`));
  assert.match(head, /Made on 2 November 2026 at \d\d:\d\d UTC/);

  const part = (id) => page.locator(`#${id}`).innerText();
  assert.match(await part('child'), new RegExp(name));
  const journey = await part('journey');
  assert.match(journey, /Statutory time limits/);
  assert.match(journey, /Final plan issued/);
  assert.match(journey, /\bMet\b|\bLate\b/, 'completed steps say whether they were met');
  assert.match(journey, /Timeline of events/);
  const plan = await part('plan');
  assert.match(plan, /Issued versions, latest first/);
  assert.match(plan, /Version \d+ in full/);
  assert.match(plan, /Section A: /);
  assert.match(plan, /Section F: /);
  const advice = await part('advice');
  assert.match(advice, /Advice requests/);
  assert.match(advice, /On time|Late/);
  assert.match(advice, /The advice given/);
  const reviews = await part('reviews');
  assert.match(reviews, /Review time limits/);
  assert.match(reviews, /The latest review/);
  const health = await part('health');
  assert.doesNotMatch(health, /No open referrals/);
  assert.match(health, /Waited so far/);
  // Closed referrals: the demo's discharged speech and language therapy
  // referral, 120 days to first contact of which the family paused 14.
  const closed = page.locator('#health table', { has: page.locator('caption', { hasText: /^Closed referrals$/ }) });
  assert.equal(await closed.count(), 1, 'a closed referrals table with its caption');
  assert.deepEqual(await closed.locator('thead th[scope="col"]').allInnerTexts(),
    ['Pathway', 'Referred', 'Triage', 'Seen and assessed', 'Outcome', 'Closed', 'Waited to be seen',
      'Within the standard', 'Referral to assessment completed']);
  const slt = closed.locator('tbody tr', { hasText: 'Speech and language therapy' });
  assert.equal(await slt.count(), 1);
  const cells = await slt.locator('td').allInnerTexts();
  assert.match(cells[2], /^Accepted, /);
  assert.match(cells[3], /First contact .*\nAssessment started .*\nAssessment completed /);
  assert.match(cells[4], /Expressive language disorder.*\(F80\.1\)/);
  assert.match(cells[5], /^Discharged /);
  assert.match(cells[6], /^15 weeks and 1 day\s+the family paused the clock for 14 days$/);
  assert.equal(await slt.locator('td').nth(7).locator('.govuk-tag').innerText(), 'Within 18 weeks');
  assert.equal(cells[8], '19 weeks and 1 day');
  assert.doesNotMatch(health, /No closed referrals/);
  const family = await part('family');
  assert.match(family, /Views \(all about me\)/);
  assert.match(family, /speech and language therapy hours before the review/);
  assert.match(family, /\(council\)/);
  assert.match(family, /When the council asked for their views\s+The annual review\s+Asked on/);
  assert.match(family, /What is working well at home, and what is hard\?/);
  assert.match(family, /Answered on/);
  assert.match(await part('corrections'), /Corrections/);

  await screenshots(page, 'casefile');
  // Print: A4 parts, no service navigation, the marking in the page margin.
  await page.emulateMedia({ media: 'print' });
  assert.equal(await page.locator('.govuk-header').isVisible(), false, 'no header in print');
  assert.equal(await page.locator('.govuk-service-navigation').isVisible(), false);
  assert.equal(await page.locator('#journey').evaluate((e) => getComputedStyle(e).breakBefore), 'page');
  await screenshot(page, 'casefile-print');
  await page.emulateMedia({ media: 'screen' });

  const pdf = await page.request.get(`${server.base}/cases/${caseId}/casefile/pdf`);
  assert.equal(pdf.status(), 200);
  assert.equal(pdf.headers()['content-type'], 'application/pdf');
  assert.match(pdf.headers()['content-disposition'], new RegExp(`case-file-case-${caseId}\\.pdf`));
  const info = pdfInfo(await pdf.body());
  assert.equal(info.header, '%PDF-');
  assert.ok(info.tagged, 'the PDF is tagged');
  assert.ok(inPdf(info, name), 'the child\'s name is in the PDF as text');
  // Each of the eight parts starts a new A4 page, and every page carries the
  // marking at its top and its number at its foot.
  const body = await pdf.body();
  const pages = (body.toString('latin1').match(/\/Type\s*\/Page[^s]/g) ?? []).length;
  assert.ok(pages >= 9, `a page per part and the cover: ${pages} pages`);
  const text = info.texts.map((t) => t.replace(/\s+/g, '')).find((t) => t.includes('OFFICIAL-SENSITIVE')) ?? '';
  assert.ok(text.split('OFFICIAL-SENSITIVE').length - 1 >= pages, 'the marking is on every page');
  assert.ok(inPdf(info, `Page ${pages} of ${pages}`), 'the pages are numbered');
  assert.ok(inPdf(info, 'Statutory time limits') && inPdf(info, 'Section F'), 'the journey and the plan are in the PDF');
  await finish(page);

  await auditUntil(server.db, [], (entries) => {
    const reads = entries.filter((e) => e.username === coordinator && e.action === 'read' &&
      e.object === 'case' && String(e.object_id) === String(caseId));
    return reads.some((e) => e.detail === PURPOSE) && reads.some((e) => e.detail === `${PURPOSE} (PDF)`);
  }, 'the case file view and its PDF, read with their purpose');
});

test('a case with hundreds of events still renders, saying what is left out', async () => {
  // A case being assessed, asked for advice 410 more times (as its
  // coordinator would through the API): 410 more events and statutory steps.
  const list = await server.request('GET', '/api/v1/cases?per_page=5&stage=assessment');
  const id = list.json.items[0].id;
  for (let i = 0; i < 410; i++) {
    const r = await server.request('POST', `/api/v1/cases/${id}/events`,
      { type: 'advice_requested', date: '2026-10-21', agency: 'other' });
    assert.equal(r.status, 201, r.text);
  }
  const page = await newPage(browser, server.base);
  await signIn(page, ACCOUNTS.inspector, DEMO_PASSWORD, { checks: false });
  await visit(page, `/cases/${id}/casefile`, { name: 'a long case file' });
  const journey = await page.locator('#journey').innerText();
  assert.match(journey, /The first 200 of \d+ steps are shown\./);
  assert.match(journey, /The first 400 of \d+ events are shown\./);
  assert.equal(await page.locator('#journey table').nth(1).locator('tbody tr').count(), 400);
  await finish(page);
});

test('roles without case files are refused, and the refusal audited', async () => {
  const page = await newPage(browser, server.base);
  await signIn(page, ACCOUNTS.health, DEMO_PASSWORD, { checks: false });
  await visit(page, `/cases/${caseId}/casefile`, { status: 404, checks: false });
  await visit(page, `/cases/${caseId}/casefile/pdf`, { status: 404, checks: false });
  await visit(page, '/inspections/sample?n=3&seed=1&by=none', { status: 403, name: 'sample refused' });
  await finish(page);
  const coordinator = (await server.request('GET', `/api/v1/cases/${caseId}`)).json.case.coordinator;
  const coord = await newPage(browser, server.base);
  await signIn(coord, coordinator, DEMO_PASSWORD, { checks: false });
  await visit(coord, '/inspections/sample', { status: 403, checks: false });
  await finish(coord);
  await auditUntil(server.db, [], (entries) => {
    const denied = entries.filter((e) => e.action === 'denied');
    return denied.some((e) => e.username === ACCOUNTS.health && e.object === 'case' &&
      String(e.object_id) === String(caseId)) &&
      denied.some((e) => e.username === ACCOUNTS.health && e.object === 'evidence_sample') &&
      denied.some((e) => e.username === coordinator && e.object === 'evidence_sample');
  }, 'the denials of the case file and of the sample');
});
