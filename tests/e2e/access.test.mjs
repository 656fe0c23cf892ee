// A health practitioner opens a case outside their scope: a plain "page not
// found" that does not name the child. The manager then finds the denial in
// the audit log. Also: what each role's navigation offers.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { launchBrowser, newPage, screenshots, signIn, signOut, submit, visit, finish } from './browser.mjs';
import { DEMO_PASSWORD, apiToken, startDemo } from './demo.mjs';
import { Session } from './session.mjs';
import { startValidator, stopValidator } from './vnu.mjs';

let server, browser, api;
before(async () => {
  [server, browser] = await Promise.all([startDemo(), launchBrowser(), startValidator()]);
  api = new Session(server.base);
  api.bearer = await apiToken(server.db, server.accounts.manager[0], 'e2e access');
});
after(async () => {
  await Promise.allSettled([browser?.close(), server?.stop(), stopValidator()]);
  server?.cleanup();
});

// A case with no advice request to health, ever: outside health's scope by
// its data.
async function caseOutsideHealth() {
  for (let page = 1; page <= 5; page++) {
    const list = (await api.get(`/api/v1/cases?per_page=30&page=${page}`)).json;
    for (const c of list.items) {
      const d = (await api.get(`/api/v1/cases/${c.id}`)).json;
      if (!d.events.some((e) => e.type === 'advice_requested' && e.agency === 'health')) return c;
    }
  }
  throw new Error('no case without health advice in the demo');
}

test('a case outside health\'s scope is "not found", and the manager sees the denial in the audit log', async () => {
  const target = await caseOutsideHealth();
  const health = server.accounts.health[0];
  const page = await newPage(browser, server.base);
  await signIn(page, health, DEMO_PASSWORD);
  assert.equal(new URL(page.url()).pathname, '/caseload');
  await screenshots(page, 'caseload-health');
  // Health's own caseload does not list it.
  assert.equal(await page.locator(`a[href="/cases/${target.id}"]`).count(), 0);

  await visit(page, `/cases/${target.id}`, { status: 404 });
  assert.equal(await page.locator('h1').innerText(), 'Page not found');
  const text = await page.locator('main').innerText();
  assert.ok(!text.includes(target.child.surname), 'the page does not name the child');
  assert.ok(!text.includes(target.child.forename), 'the page does not name the child');
  await screenshots(page, 'not-found-health');
  await signOut(page);

  await signIn(page, server.accounts.manager[0], DEMO_PASSWORD);
  await visit(page, '/audit');
  await screenshots(page, 'audit');
  // Find health's denied entry with the page's filters.
  await page.locator('#person').fill(health);
  await page.locator('#action').selectOption('denied');
  await submit(page, page.getByRole('button', { name: 'Apply filters' }), { name: 'audit filtered' });
  const rows = await page.locator('table.govuk-table tbody tr').allInnerTexts();
  assert.ok(rows.length > 0, 'the filtered audit log has entries');
  for (const r of rows) {
    assert.match(r, new RegExp(health.replace('.', '\\.')), `every row is ${health}'s: ${r}`);
    assert.match(r, /\bdenied\b/, `every row is a denial: ${r}`);
  }
  assert.ok(rows.some((r) => new RegExp(`Case ${target.id}\\b`).test(r)),
    `a denied row for case ${target.id}:\n${rows.join('\n')}`);
  await screenshots(page, 'audit-denied');
  await finish(page);
});

test('each role\'s navigation offers only what the role may use', async () => {
  const want = {
    coordinator: ['My caseload', 'Advice', 'Start a request', 'Requests from families', 'Reviews'],
    manager: ['My caseload', 'Advice', 'Start a request', 'Requests from families', 'Reviews', 'Team', 'SEN2 return', 'Health pathways', 'Performance', 'Inspections', 'Audit log'],
    inspector: ['My caseload', 'Advice', 'Reviews', 'Team', 'SEN2 return', 'Health pathways', 'Performance', 'Inspections', 'Audit log'],
    admin: ['Health pathways', 'People', 'Audit log'],
    health: ['My caseload', 'Advice', 'Health pathways'],
    forum: ['Inspections'],
  };
  for (const [role, items] of Object.entries(want)) {
    const page = await newPage(browser, server.base);
    await signIn(page, server.accounts[role][0], DEMO_PASSWORD, { checks: role !== 'coordinator' && role !== 'manager' });
    if (role === 'admin') await screenshots(page, 'people');
    const nav = await page.locator('.govuk-service-navigation__list a').allInnerTexts();
    const got = nav.map((t) => t.trim());
    for (const item of items) assert.ok(got.some((g) => g.startsWith(item)), `${role} has ${item}: ${got}`);
    const never = ['Advice', 'Team', 'SEN2 return', 'Health pathways', 'Performance', 'Inspections', 'Audit log', 'People', 'Start a request',
      'Requests from families', 'Reviews'].filter((x) => !items.includes(x));
    for (const item of never) assert.ok(!got.some((g) => g.startsWith(item)), `${role} has no ${item}: ${got}`);
    await finish(page);
  }
});
