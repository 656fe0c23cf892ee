// The SEN2 return page (/returns/sen2): a manager sees the figures and the
// validation report of the demo area, follows a problem to the child's
// record, downloads the XML (valid against docs/sen2.xsd, the same records
// as `sendhub export sen2`) and a module's CSV; an inspector sees the page
// but not the files; a coordinator is refused. A record broken on purpose
// blocks the return. Every page passes axe and the Nu HTML Checker.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';

import { errorSummary, finish, launchBrowser, newPage, screenshots, signIn, submit, visit } from './browser.mjs';
import { BIN, DEMO_PASSWORD, auditUntil, startDemo } from './demo.mjs';
import { startValidator, stopValidator } from './vnu.mjs';

const XSD = new URL('../../docs/sen2.xsd', import.meta.url).pathname;
let server, browser, work;
before(async () => {
  [server, browser] = await Promise.all([startDemo(), launchBrowser(), startValidator()]);
  work = mkdtempSync(join(tmpdir(), 'sendhub-sen2-'));
});
after(async () => {
  await Promise.allSettled([browser?.close(), server?.stop(), stopValidator()]);
  server?.cleanup();
  if (work) rmSync(work, { recursive: true, force: true });
});

// The figures the command line computes from the same database.
function cliFigures(year) {
  const out = join(work, `csv-${year}`);
  const r = spawnSync(BIN, ['export', 'sen2', '--db', server.db, '--la', '990', '--year', String(year),
    '--format', 'csv', '--out', out, '--force-with-errors'], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const lines = readFileSync(join(out, 'figures.csv'), 'utf8').trim().split('\r\n').slice(1);
  return Object.fromEntries(lines.map((l) => { const c = l.split(','); return [c[2], c[c.length - 1]]; }));
}

async function figureCell(page, label) {
  const row = page.locator('table.govuk-table').first().locator('tr', { has: page.locator('th', { hasText: label }) });
  return (await row.locator('td').innerText()).trim();
}

test('a manager sees the figures, the report and downloads the return', async () => {
  const page = await newPage(browser, server.base);
  await signIn(page, server.accounts.manager[0], DEMO_PASSWORD);
  await visit(page, '/returns/sen2');
  assert.equal((await page.locator('h1').innerText()).trim(), 'SEN2 return 2026');
  assert.match(await page.locator('main').innerText(), /census date, 15 January 2026/);
  assert.equal(await page.locator('.govuk-service-navigation__item--active').innerText(), 'SEN2 return');

  const cli = cliFigures(2026);
  assert.equal(await figureCell(page, 'Plans issued within 20 weeks, including exceptions (%)'), `${cli.inc_exc_20week_rate}%`);
  assert.equal(await figureCell(page, 'Plans issued within 20 weeks, excluding exceptions (%)'), `${cli.no_exc_20week_rate}%`);
  assert.equal(await figureCell(page, 'New EHC plans issued'), cli.new_all_ehc);
  assert.equal(await figureCell(page, 'EHC plans in force at the census date'), cli.caseload);
  assert.ok(Number(cli.caseload) > 1000, `caseload ${cli.caseload}`);

  // The report: problems grouped, each child linking to the case to fix.
  const problems = page.locator('.sendhub-sen2-problem');
  assert.ok(await problems.count() > 0, 'the demo area has something to check');
  await screenshots(page, 'sen2');
  // Warnings fold their records away; errors list them open.
  const first = problems.first();
  if (await first.locator('details').count()) await first.locator('summary').click();
  const link = first.locator('a').first();
  const href = await link.getAttribute('href');
  assert.match(href, /^\/cases\/\d+$/);
  await submit(page, link, { name: 'a child from the SEN2 report' });
  assert.equal(new URL(page.url()).pathname, href);

  // The XML: valid against the schema, the same people as the command line.
  await visit(page, '/returns/sen2');
  const xmlHref = await page.getByRole('link', { name: /The return as XML/ }).getAttribute('href');
  const xml = await page.context().request.get(xmlHref);
  assert.equal(xml.status(), 200);
  assert.match(xml.headers()['content-disposition'], /sen2-990-2026\.xml/);
  const file = join(work, 'page.xml');
  writeFileSync(file, await xml.body());
  execFileSync('xmllint', ['--noout', '--schema', XSD, file], { stdio: 'pipe' });
  const cliPeople = readFileSync(join(work, 'csv-2026', 'person.csv'), 'utf8').trim().split('\r\n').length - 1;
  assert.equal((readFileSync(file, 'utf8').match(/<person>/g) || []).length, cliPeople);

  // A module's CSV is the command line's file, byte for byte.
  const csvHref = await page.getByRole('link', { name: /^senneed\.csv/ }).getAttribute('href');
  const csv = await page.context().request.get(csvHref);
  assert.equal(csv.status(), 200);
  assert.equal(await csv.text(), readFileSync(join(work, 'csv-2026', 'senneed.csv'), 'utf8'));

  await auditUntil(server.db, ['--action', 'export'], (exports) =>
    exports.some((e) => e.object === 'sen2' && /SEN2 2026 xml/.test(e.detail) && e.username === server.accounts.manager[0]),
  "the manager's download of the SEN2 XML");
  await finish(page);
});

test('another year, and a year that is not offered', async () => {
  const page = await newPage(browser, server.base);
  await signIn(page, server.accounts.manager[0], DEMO_PASSWORD);
  await visit(page, '/returns/sen2');
  await page.locator('#year').selectOption('2025');
  await submit(page, page.getByRole('button', { name: 'Show' }), { name: 'SEN2 2025' });
  assert.equal((await page.locator('h1').innerText()).trim(), 'SEN2 return 2025');
  assert.equal(await figureCell(page, 'New EHC plans issued'), cliFigures(2025).new_all_ehc);
  await visit(page, '/returns/sen2?year=1990', { status: 422 });
  const errors = await errorSummary(page);
  assert.deepEqual(errors.items, [{ text: 'Select a collection year from the list', href: '#year' }]);
  await finish(page);
});

test('an inspector sees the report but not the files; a coordinator nothing', async () => {
  const page = await newPage(browser, server.base);
  await signIn(page, server.accounts.inspector[0], DEMO_PASSWORD);
  await visit(page, '/returns/sen2');
  assert.equal(await page.getByRole('link', { name: /The return as XML/ }).count(), 0);
  assert.equal(await page.getByRole('link', { name: /validation report/ }).count(), 1);
  const xml = await page.context().request.get('/returns/sen2.xml?force=1');
  assert.equal(xml.status(), 403);
  await finish(page);

  const other = await newPage(browser, server.base);
  await signIn(other, server.accounts.coordinator[0], DEMO_PASSWORD);
  assert.equal(await other.locator('.govuk-service-navigation').getByText('SEN2 return').count(), 0);
  await visit(other, '/returns/sen2', { status: 403 });
  await finish(other);
});

test('an error blocks the return until it is fixed', async () => {
  // A child with a plan in force loses their primary need.
  const r = spawnSync('sqlite3', [server.db,
    "UPDATE children SET sen_need1 = NULL WHERE id = (SELECT min(child_id) FROM cases WHERE stage = 'plan');"],
  { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const page = await newPage(browser, server.base);
  await signIn(page, server.accounts.manager[0], DEMO_PASSWORD);
  await visit(page, '/returns/sen2');
  assert.match(await page.locator('.govuk-warning-text').innerText(), /1 error blocks the return/);
  const problem = page.locator('.sendhub-sen2-problem').first();
  assert.match(await problem.innerText(), /Error senneed\.sentype is missing/);
  assert.match(await problem.innerText(), /Fix it on the child's record/);
  await screenshots(page, 'sen2-blocked');
  const blocked = await page.context().request.get('/returns/sen2.xml?year=2026');
  assert.equal(blocked.status(), 400);
  const forced = await page.getByRole('link', { name: 'The return as XML, with errors' }).getAttribute('href');
  assert.equal((await page.context().request.get(forced)).status(), 200);
  await finish(page);
});
