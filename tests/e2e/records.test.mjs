// Changing a child's record: recording what happened (a validation error,
// then success with its banner and the new line in the history), and
// starting a request where the child may already have a record.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { errorSummary, launchBrowser, longDate, newPage, screenshots, shortDate, signIn, submit, visit, finish } from './browser.mjs';
import { DEMO_PASSWORD, TODAY, apiToken, startDemo } from './demo.mjs';
import { Session } from './session.mjs';
import { startValidator, stopValidator } from './vnu.mjs';

let server, browser, api;
before(async () => {
  [server, browser] = await Promise.all([startDemo(), launchBrowser(), startValidator()]);
  api = new Session(server.base);
  api.bearer = await apiToken(server.db, server.accounts.manager[0], 'e2e records');
});
after(async () => {
  await Promise.allSettled([browser?.close(), server?.stop(), stopValidator()]);
  server?.cleanup();
});

const me = () => server.accounts.coordinator[0];

async function getJson(path) {
  const r = await api.get(path);
  assert.equal(r.status, 200, `${path}: ${r.text}`);
  return r.json;
}

async function fillDate(page, name, iso) {
  const [y, m, d] = iso.split('-').map(Number);
  await page.locator(`#${name}-day`).fill(String(d));
  await page.locator(`#${name}-month`).fill(String(m));
  await page.locator(`#${name}-year`).fill(String(y));
}

function dayBefore(iso) {
  const t = new Date(`${iso}T00:00:00Z`);
  t.setUTCDate(t.getUTCDate() - 1);
  return t.toISOString().slice(0, 10);
}


test('recording an event: errors first, then the banner and the history line', async () => {
  // One of my cases being assessed: advice can be requested.
  const list = await getJson(`/api/v1/cases?per_page=5&stage=assessment&coordinator=${encodeURIComponent(me())}`);
  assert.ok(list.items.length, 'the coordinator has a case in assessment');
  const c = list.items[0];
  const before = (await getJson(`/api/v1/cases/${c.id}`)).events.length;

  const page = await newPage(browser, server.base);
  await signIn(page, me(), DEMO_PASSWORD);
  await visit(page, `/cases/${c.id}`);
  assert.equal(await page.locator('h1').innerText(), `${c.child.forename} ${c.child.surname}`);
  await screenshots(page, 'case');

  // Advice requested, with a date but no service.
  const record = page.getByRole('button', { name: 'Record it' });
  await page.locator('#type').selectOption('advice_requested');
  await fillDate(page, 'date', TODAY);
  await submit(page, record, { status: 422, name: 'record without agency' });
  let summary = await errorSummary(page);
  assert.deepEqual(summary.items, [{ text: 'Select which service was asked for advice', href: '#agency' }]);
  assert.match(await page.title(), /^Error: /);
  assert.equal(await page.locator('#type').inputValue(), 'advice_requested', 'the choice is kept');
  assert.equal(await page.locator('#date-day').inputValue(), String(Number(TODAY.slice(8))), 'the date is kept');
  await assert.doesNotReject(page.locator('#agency-error').waitFor());
  await screenshots(page, 'case-record-error');

  // The service chosen, but a date before the request was received.
  await page.locator('input[name="agency"][value="health"]').check();
  await fillDate(page, 'date', dayBefore(c.request_date));
  await submit(page, record, { status: 422, name: 'record before the request' });
  summary = await errorSummary(page);
  assert.equal(summary.items.length, 1);
  assert.equal(summary.items[0].href, '#date-day');
  assert.equal(summary.items[0].text,
    `The date must be the same as or after the date the request was received (${longDate(c.request_date)})`);
  assert.equal((await getJson(`/api/v1/cases/${c.id}`)).events.length, before, 'nothing was recorded');

  // Put right: recorded.
  await fillDate(page, 'date', TODAY);
  await submit(page, record, { name: 'record advice requested' });
  const url = new URL(page.url());
  assert.equal(url.pathname, `/cases/${c.id}`);
  assert.match(url.search, /recorded=\d+/);
  const banner = page.locator('.govuk-notification-banner--success');
  assert.equal((await banner.locator('.govuk-notification-banner__heading').innerText()).trim(), 'Advice requested recorded');
  assert.equal(await banner.getAttribute('role'), 'alert');
  const row = page.locator('#history tbody tr', { hasText: 'Advice requested' }).filter({ hasText: longDate(TODAY) });
  assert.equal(await row.count(), 1, 'the history shows the new entry once');
  assert.match(await row.innerText(), /Health/);
  await screenshots(page, 'case-recorded');

  const after = await getJson(`/api/v1/cases/${c.id}`);
  assert.equal(after.events.length, before + 1);
  const last = after.events.at(-1);
  assert.deepEqual([last.type, last.date, last.agency], ['advice_requested', TODAY, 'health']);
  assert.equal(url.searchParams.get('recorded'), String(last.id));
  await finish(page);
});

test('an inspector sees the record but no form to change it', async () => {
  const c = (await getJson('/api/v1/cases?per_page=1&page=5')).items[0];
  const page = await newPage(browser, server.base);
  await signIn(page, server.accounts.inspector[0], DEMO_PASSWORD);
  await visit(page, `/cases/${c.id}`);
  assert.equal(await page.getByRole('button', { name: 'Record it' }).count(), 0);
  assert.equal(await page.locator(`form[action="/cases/${c.id}/events"]`).count(), 0);
  assert.equal(await page.getByRole('link', { name: /^Correct/ }).count(), 0);
  await screenshots(page, 'case-read-only');
  await finish(page);
});

// A child whose every case is closed (plan ceased), so a new request for
// them is a real situation; their name and date of birth are what a
// coordinator would type.
async function childWithClosedCase() {
  const list = await getJson('/api/v1/cases?per_page=20&stage=ceased');
  for (const c of list.items) {
    const cases = await getJson(`/api/v1/cases?per_page=10&child_id=${c.child_id}`);
    if (cases.items.every((x) => x.stage === 'ceased' || x.stage === 'refused' || x.stage === 'no_plan')) {
      return { ...c.child, id: c.child_id, cases: cases.total };
    }
  }
  throw new Error('no child with only closed cases in the demo');
}

async function requestForm(page, child) {
  await visit(page, '/requests/new');
  await page.locator('#forename').fill(child.forename);
  await page.locator('#surname').fill(child.surname);
  await fillDate(page, 'date_of_birth', child.date_of_birth);
  await fillDate(page, 'request_date', TODAY);
  await page.locator('#coordinator').selectOption(me());
}

async function theDuplicateWarning(page, child) {
  await submit(page, page.getByRole('button', { name: 'Start the request' }), { name: 'request: duplicate warning' });
  await assert.doesNotReject(page.locator('.govuk-warning-text', { hasText: 'This child may already have a record' }).waitFor());
  const matches = page.locator('table', { has: page.locator('caption', { hasText: 'Possible matches' }) }).locator('tbody tr');
  const texts = await matches.allInnerTexts();
  assert.ok(texts.some((t) => t.includes(`${child.forename} ${child.surname}`) && t.includes(shortDate(child.date_of_birth))),
    `the match is listed: ${texts.join(' | ')}`);
}

test('starting a request: a possible duplicate must be answered, then "a different child" adds one', async () => {
  const child = await childWithClosedCase();
  const page = await newPage(browser, server.base);
  await signIn(page, me(), DEMO_PASSWORD);
  await requestForm(page, child);
  await screenshots(page, 'request-new');
  await theDuplicateWarning(page, child);
  await screenshots(page, 'request-duplicate');

  // Going on without an answer is an error.
  await submit(page, page.getByRole('button', { name: 'Start the request' }), { status: 422, name: 'request: no answer' });
  assert.deepEqual((await errorSummary(page)).items,
    [{ text: 'Select one of these children, or that this is a different child', href: '#existing_child' }]);

  await page.locator('input[name="existing_child"][value="new"]').check();
  await submit(page, page.getByRole('button', { name: 'Start the request' }), { name: 'request: a different child' });
  const m = /^\/cases\/(\d+)$/.exec(new URL(page.url()).pathname);
  assert.ok(m, `lands on the new case: ${page.url()}`);
  assert.equal(await page.locator('h1').innerText(), `${child.forename} ${child.surname}`);
  assert.match(await page.locator('.govuk-notification-banner--success').innerText(), /Request for assessment received recorded/);
  const opened = await getJson(`/api/v1/cases/${m[1]}`);
  assert.notEqual(opened.case.child_id, child.id, 'a new child was added');
  assert.equal(opened.case.coordinator, me());
  assert.deepEqual(opened.events.map((e) => [e.type, e.date]), [['request_received', TODAY]]);
  await screenshots(page, 'request-started');
  await finish(page);
});

test('starting a request: "use this child" opens the new case on the existing record', async () => {
  const child = await childWithClosedCase();
  const page = await newPage(browser, server.base);
  await signIn(page, me(), DEMO_PASSWORD);
  await requestForm(page, child);
  await theDuplicateWarning(page, child);
  await page.locator(`input[name="existing_child"][value="${child.id}"]`).check();
  await submit(page, page.getByRole('button', { name: 'Start the request' }), { name: 'request: use this child' });
  const m = /^\/cases\/(\d+)$/.exec(new URL(page.url()).pathname);
  assert.ok(m, `lands on the new case: ${page.url()}`);
  const opened = await getJson(`/api/v1/cases/${m[1]}`);
  assert.equal(opened.case.child_id, child.id, 'the existing child record is used');
  const all = await getJson(`/api/v1/cases?per_page=10&child_id=${child.id}`);
  assert.equal(all.total, child.cases + 1, 'the child has one more case');
  await finish(page);
});
