// The performance dashboard (issue 6): charts with data tables, every count
// opening to the children behind it, periods compared, a CSV per table and
// the whole dashboard as an XLSX workbook. Figures are checked against the
// drill-down lists (a list is the figure's own cases, so its length must be
// the figure) and against the CSV.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { inflateRawSync } from 'node:zlib';

import { finish, launchBrowser, newPage, screenshots, signIn, submit, visit } from './browser.mjs';
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

// The files of a zip archive by name (central directory; stored or deflated).
function unzip(buf) {
  const eocd = buf.lastIndexOf(Buffer.from('PK\x05\x06', 'binary'));
  assert.ok(eocd >= 0, 'a zip end of central directory');
  const count = buf.readUInt16LE(eocd + 10);
  let at = buf.readUInt32LE(eocd + 16);
  const files = {};
  for (let i = 0; i < count; i++) {
    assert.equal(buf.readUInt32LE(at), 0x02014b50, 'a central directory entry');
    const method = buf.readUInt16LE(at + 10), size = buf.readUInt32LE(at + 20);
    const n = buf.readUInt16LE(at + 28), extra = buf.readUInt16LE(at + 30), comment = buf.readUInt16LE(at + 32);
    const local = buf.readUInt32LE(at + 42);
    const name = buf.toString('utf8', at + 46, at + 46 + n);
    const start = local + 30 + buf.readUInt16LE(local + 26) + buf.readUInt16LE(local + 28);
    const data = buf.subarray(start, start + size);
    files[name] = method === 8 ? inflateRawSync(data) : data;
    at += 46 + n + extra + comment;
  }
  return files;
}

// A panel's data table as rows of cell texts (row header first).
async function table(page, key) {
  return page.locator(`#table-${key}`).evaluate((t) =>
    [...t.querySelectorAll('tbody tr')].map((tr) =>
      [...tr.querySelectorAll('th, td')].map((c) => c.textContent.trim())));
}

test('the manager sees every panel as an accessible chart with its data table', async () => {
  const page = await newPage(browser, server.base);
  await signIn(page, server.accounts.manager[0], DEMO_PASSWORD);
  await visit(page, '/dashboard');
  assert.equal(await page.locator('h1').innerText(), 'Performance');
  const charts = page.locator('svg.sendhub-chart[role="img"]');
  assert.ok(await charts.count() >= 10, 'a chart per panel');
  for (let i = 0; i < await charts.count(); i++) {
    const svg = charts.nth(i);
    const ids = (await svg.getAttribute('aria-labelledby')).split(' ');
    assert.equal(ids.length, 2);
    assert.ok((await svg.locator('title').first().textContent()).length > 0, 'a title');
    assert.ok((await svg.locator('desc').textContent()).includes('data table'), 'a desc');
  }
  const rows = await table(page, 'timeliness');
  assert.equal(rows.length, 5, 'five calendar years');
  // The demo issues plans every year; the last full year's rate is a percentage.
  assert.match(rows[3][3], /^\d+\.\d%$/);
  await screenshots(page, 'dashboard');
  await finish(page);
});

test('a figure opens to the children behind it, as many as it counts', async () => {
  const page = await newPage(browser, server.base);
  await signIn(page, server.accounts.manager[0], DEMO_PASSWORD);
  await visit(page, '/dashboard');
  const rows = await table(page, 'now');
  const overdue = Number(rows.find((r) => r[0] === 'Annual review overdue')[1]);
  assert.ok(overdue > 0, 'the demo has overdue reviews');
  const link = page.locator('#table-now a').nth(1);
  await submit(page, link, { name: 'the children behind a figure' });
  assert.match(await page.locator('h1').innerText(), /Annual review overdue/);
  assert.match(await page.locator('main').innerText(), new RegExp(`${overdue} cases?`));
  const listed = await page.locator('table.govuk-table tbody tr').count();
  assert.equal(listed, Math.min(50, overdue));
  await screenshots(page, 'dashboard-cases');
  // Each child opens to their record.
  await submit(page, page.locator('table.govuk-table tbody a').first(), { name: 'a child from the list' });
  assert.match(page.url(), /\/cases\/\d+$/);
  await finish(page);
});

test('periods compare: by month, and before and after a date', async () => {
  const page = await newPage(browser, server.base);
  await signIn(page, server.accounts.manager[0], DEMO_PASSWORD);
  await visit(page, '/dashboard?view=months');
  assert.equal((await table(page, 'decisions')).length, 24);
  assert.ok(await page.locator('polyline.sendhub-chart__line').count() > 0, 'line charts by month');
  await visit(page, '/dashboard');
  await page.locator('#date-day').fill('1');
  await page.locator('#date-month').fill('9');
  await page.locator('#date-year').fill('2025');
  await submit(page, page.getByRole('button', { name: 'Compare' }), { name: 'compare around a date' });
  const rows = await table(page, 'timeliness');
  assert.equal(rows.length, 2);
  assert.match(rows[0][0], /1 September 2024 to 31 August 2025/);
  assert.match(rows[1][0], /1 September 2025 to/);
  // A date that is not real is a GOV.UK error, and the years are shown.
  await page.locator('#date-day').fill('31');
  await page.locator('#date-month').fill('2');
  await page.locator('#date-year').fill('2025');
  await submit(page, page.getByRole('button', { name: 'Compare' }), { status: 422, name: 'a bad date' });
  assert.match(await page.locator('.govuk-error-summary').innerText(), /must be a real date/);
  await finish(page);
});

test('CSV of a table and the XLSX workbook of the dashboard', async () => {
  const page = await newPage(browser, server.base);
  await signIn(page, server.accounts.manager[0], DEMO_PASSWORD);
  await visit(page, '/dashboard');
  const rows = await table(page, 'decisions');
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.locator('section[aria-labelledby="panel-decisions"] a[download]').click(),
  ]);
  assert.equal(download.suggestedFilename(), 'sendhub-decisions.csv');
  const csv = (await (await download.createReadStream()).toArray()).join('');
  const lines = csv.trim().split('\r\n');
  assert.equal(lines[0], '"Period","Requests","Decisions","Within 6 weeks","% within 6 weeks","Agreed to assess","Refused"');
  assert.equal(lines.length, 6);
  // The CSV holds the numbers the table shows.
  const fourth = lines[4].split(',');
  assert.equal(fourth[1], rows[3][1]);
  // Rates to one decimal, without the % sign the page shows.
  assert.equal(`${fourth[4]}%`, rows[3][4]);
  const res = await page.request.get('/dashboard.xlsx');
  assert.equal(res.status(), 200);
  assert.match(res.headers()['content-type'], /spreadsheetml/);
  const body = await res.body();
  assert.equal(body.subarray(0, 4).toString('binary'), 'PK\x03\x04', 'a zip file');
  const files = unzip(body);
  const workbook = files['xl/workbook.xml'].toString('utf8');
  const sheets = [...workbook.matchAll(/<sheet name="([^"]+)"/g)].map((m) => m[1]);
  assert.deepEqual(sheets, ['timeliness', 'decisions', 'advice', 'reviews', 'flow', 'caseload',
    'now', 'need', 'age', 'setting', 'waiting']);
  // The decisions sheet holds the table's numbers (shared strings aside).
  const sheet2 = files['xl/worksheets/sheet2.xml'].toString('utf8');
  assert.ok(sheet2.includes(`<v>${rows[3][1]}</v>`), 'the requests of the fourth year');
  await finish(page);
});

test('waiting lists by pathway: a panel of the area\'s pathways, opening to each pathway', async () => {
  const page = await newPage(browser, server.base);
  await signIn(page, server.accounts.manager[0], DEMO_PASSWORD);
  await visit(page, '/dashboard');
  const section = page.locator('section[aria-labelledby="panel-waiting"]');
  assert.equal(await section.locator('h2').innerText(), 'Health waiting lists by pathway');
  assert.equal(await section.locator('svg.sendhub-chart[role="img"]').count(), 1, 'its chart');
  const rows = await table(page, 'waiting');
  const names = rows.map((r) => r[0].replace(/: \d+-week standard$/, ''));
  for (const name of ['Autism assessment (under 18)', 'ADHD assessment', 'CAMHS',
    'Speech and language therapy', 'Occupational therapy', 'Physiotherapy', 'Community paediatrics'])
    assert.ok(names.includes(name), `a row for ${name}`);
  const waiting = rows.reduce((n, r) => n + Number(r[1]), 0);
  assert.ok(waiting > 0, 'the demo has children waiting');
  for (const r of rows.filter((x) => Number(x[1]) > 0)) {
    assert.match(r[2], /^(at least )?\d+$/, 'median in weeks');
    assert.match(r[4], /^\d+\.\d%$/, '% within the standard');
    assert.ok(Number(r[5]) >= Number(r[6]) && Number(r[5]) <= Number(r[1]), 'over 52 within over 18');
  }
  // The CSV holds the same rows.
  const csv = await (await page.request.get('/dashboard.csv?panel=waiting&view=years')).text();
  const lines = csv.trim().split('\r\n');
  assert.equal(lines[0], '"Pathway","Children waiting","Median wait (weeks)","92nd percentile wait (weeks)","% within the pathway\'s standard","Waiting over 18 weeks","Waiting over 52 weeks"');
  assert.equal(lines.length, rows.length + 1);
  assert.equal(lines[1].split('",')[1].split(',')[0], rows[0][1]);
  // A manager may not see the children on a list: the count opens to the
  // pathway's figures, which name no child.
  const link = section.locator('#table-waiting a').first();
  assert.match(await link.getAttribute('href'), /^\/pathways\/\d+$/);
  await submit(page, link, { name: 'a pathway from the dashboard' });
  assert.match(await page.locator('main').innerText(), /The waiting list today/);
  await screenshots(page, 'dashboard-pathway');
  await finish(page);
});

test('inspectors see the dashboard read-only; coordinators and health do not', async () => {
  const page = await newPage(browser, server.base);
  await signIn(page, server.accounts.inspector[0], DEMO_PASSWORD);
  await visit(page, '/dashboard');
  assert.ok(await page.locator('a', { hasText: 'Performance' }).count() > 0, 'in the navigation');
  await finish(page);
  for (const role of ['coordinator', 'health']) {
    const p = await newPage(browser, server.base);
    await signIn(p, server.accounts[role][0], DEMO_PASSWORD);
    await visit(p, '/dashboard', { status: 403 });
    await finish(p);
  }
});
