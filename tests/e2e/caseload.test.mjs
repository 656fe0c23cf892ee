// The caseload: filters by stage, primary need and overdue, search by name
// and by date of birth, and pagination. Counts are checked against the JSON
// API (read as the manager), so a filter that silently shows the wrong cases
// fails here.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { launchBrowser, newPage, screenshots, shortDate, signIn, submit, visit, finish } from './browser.mjs';
import { DEMO_PASSWORD, apiToken, startDemo } from './demo.mjs';
import { Session } from './session.mjs';
import { startValidator, stopValidator } from './vnu.mjs';

let server, browser, api;
before(async () => {
  [server, browser] = await Promise.all([startDemo(), launchBrowser(), startValidator()]);
  api = new Session(server.base);
  api.bearer = await apiToken(server.db, server.accounts.manager[0], 'e2e caseload');
});
after(async () => {
  await Promise.allSettled([browser?.close(), server?.stop(), stopValidator()]);
  server?.cleanup();
});

// The page lists open cases unless a stage is chosen; so does this query.
async function apiTotal(query) {
  const open = /(^|&)stage=/.test(query) ? '' : '&open=true';
  const r = await api.get(`/api/v1/cases?per_page=1&${query}${open}`);
  assert.equal(r.status, 200, r.text);
  return r.json.total;
}

// The table as data: one object per row, by column heading.
async function rows(page) {
  return page.locator('table.govuk-table').evaluate((t) => {
    const heads = [...t.querySelectorAll('thead th')].map((h) => h.textContent.trim());
    return [...t.querySelectorAll('tbody tr')].map((tr) => {
      const cells = [...tr.querySelectorAll('th, td')];
      const o = {};
      heads.forEach((h, i) => { o[h] = cells[i]?.textContent.replace(/\s+/g, ' ').trim(); });
      o.href = tr.querySelector('a')?.getAttribute('href');
      return o;
    });
  });
}

// "123 cases" in the table caption.
async function captionCount(page) {
  const t = await page.locator('table.govuk-table caption').innerText();
  const m = /^([\d,]+) cases?/.exec(t.trim());
  assert.ok(m, `caption: ${t}`);
  return Number(m[1].replace(/,/g, ''));
}

async function applyFilters(page) {
  return submit(page, page.getByRole('button', { name: 'Apply filters' }), { name: `caseload ${page.url()}` });
}

test('a coordinator\'s caseload is their own cases, 50 to a page', async () => {
  const me = server.accounts.coordinator[0];
  const page = await newPage(browser, server.base);
  await signIn(page, me, DEMO_PASSWORD);
  assert.equal(await page.locator('h1').innerText(), 'My caseload');
  const total = await captionCount(page);
  assert.equal(total, await apiTotal(`coordinator=${encodeURIComponent(me)}`), 'the count matches the API');
  const first = await rows(page);
  assert.equal(first.length, Math.min(50, total));
  assert.ok(total > 50, 'the demo coordinator has more than one page of cases');
  // Ordered by what is due next: the first row is due no later than the last.
  // Next page.
  const next = page.locator('.govuk-pagination__next a');
  await submit(page, next, { name: 'caseload page 2' });
  assert.match(page.url(), /[?&]page=2\b/);
  const second = await rows(page);
  assert.equal(second.length, Math.min(50, total - 50));
  const seen = new Set(first.map((r) => r.href));
  assert.ok(second.every((r) => !seen.has(r.href)), 'page 2 shows other cases than page 1');
  assert.equal(await page.locator('.govuk-pagination__item--current').innerText(), '2');
  await screenshots(page, 'caseload-page-2');
  await submit(page, page.locator('.govuk-pagination__prev a'), { name: 'caseload page 1 again' });
  assert.deepEqual((await rows(page)).map((r) => r.href), first.map((r) => r.href));
  await finish(page);
});

test('filtering by stage, primary need and overdue', async () => {
  const page = await newPage(browser, server.base);
  await signIn(page, server.accounts.manager[0], DEMO_PASSWORD);
  assert.equal(new URL(page.url()).pathname, '/caseload');
  const all = await captionCount(page);
  assert.equal(all, await apiTotal(''), 'the manager sees the whole area');

  // Stage.
  await page.locator('#stage').selectOption('assessment');
  await applyFilters(page);
  const stageLabel = 'Needs assessment';
  const inAssessment = await captionCount(page);
  assert.equal(inAssessment, await apiTotal('stage=assessment'));
  assert.ok(inAssessment > 0 && inAssessment < all);
  for (const r of await rows(page)) assert.equal(r.Stage, stageLabel, `row ${r.Child}`);
  assert.equal(await page.locator('#stage').inputValue(), 'assessment', 'the filter stays chosen');

  // Overdue only, on top of the stage.
  await page.locator('#overdue').check();
  await applyFilters(page);
  const overdue = await captionCount(page);
  assert.equal(overdue, await apiTotal('stage=assessment&overdue=true'));
  for (const r of await rows(page)) {
    assert.equal(r.Stage, stageLabel);
    assert.match(r.Due, /Overdue/, `row ${r.Child} is overdue`);
  }
  await screenshots(page, 'caseload-filtered');

  // Primary need, stage and overdue cleared.
  await page.locator('#stage').selectOption('');
  await page.locator('#overdue').uncheck();
  const needs = await page.locator('#need option').evaluateAll((os) => os.map((o) => [o.value, o.textContent.trim()]));
  const [code, label] = needs.find(([v]) => v === 'ASD') ?? needs.find(([v]) => v);
  await page.locator('#need').selectOption(code);
  await applyFilters(page);
  const withNeed = await captionCount(page);
  assert.ok(withNeed > 0 && withNeed < all, `${label}: ${withNeed} of ${all}`);
  for (const r of await rows(page)) assert.equal(r['Primary need'], label);

  // Clear filters.
  await submit(page, page.getByRole('link', { name: 'Clear filters' }));
  assert.equal(await captionCount(page), all);
  await finish(page);
});

test('searching by name and by date of birth', async () => {
  const page = await newPage(browser, server.base);
  await signIn(page, server.accounts.manager[0], DEMO_PASSWORD);
  // A child from the API: search for their surname.
  const sample = (await api.get('/api/v1/cases?per_page=1&page=37')).json.items[0];
  const { forename, surname, date_of_birth: dob } = sample.child;

  await page.locator('#q').fill(surname);
  await applyFilters(page);
  let found = await rows(page);
  assert.ok(found.length > 0);
  for (const r of found) assert.match(r.Child, new RegExp(surname, 'i'));
  assert.ok(found.some((r) => r.href === `/cases/${sample.id}`), `${forename} ${surname} is found by surname`);
  assert.equal(await page.locator('#q').inputValue(), surname, 'the search stays in the box');

  // Date of birth typed the way people do: 27/3/2015.
  const [y, m, d] = dob.split('-').map(Number);
  await page.locator('#q').fill(`${d}/${m}/${y}`);
  await applyFilters(page);
  found = await rows(page);
  assert.ok(found.length > 0);
  for (const r of found) assert.equal(r['Date of birth'], shortDate(dob));
  assert.ok(found.some((r) => r.href === `/cases/${sample.id}`), 'the child is found by date of birth');

  // A date that is not real is an error on the search box.
  await page.locator('#q').fill('31/2/2015');
  await submit(page, page.getByRole('button', { name: 'Apply filters' }), { status: 422, name: 'caseload bad date' });
  const summary = page.locator('.govuk-error-summary a[href="#q"]');
  assert.match(await summary.innerText(), /real date of birth/);
  await screenshots(page, 'caseload-search-error');

  // Nothing found says so.
  await page.locator('#q').fill('Zzyzxnonexistent');
  await applyFilters(page);
  await assert.doesNotReject(page.getByText('No cases match').waitFor());
  await finish(page);
});

test('the team view lists coordinators with their open and overdue cases', async () => {
  const page = await newPage(browser, server.base);
  await signIn(page, server.accounts.manager[0], DEMO_PASSWORD);
  await visit(page, '/team');
  const me = server.accounts.coordinator[0];
  const link = page.getByRole('link', { name: me, exact: true });
  await assert.doesNotReject(link.waitFor());
  await screenshots(page, 'team');
  await submit(page, link, { name: 'team -> caseload' });
  assert.equal(await captionCount(page), await apiTotal(`coordinator=${encodeURIComponent(me)}`));
  await finish(page);
});
