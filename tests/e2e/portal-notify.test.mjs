// The family portal's e-mails (issue 7): a family member turns e-mails
// about upcoming dates off and on again (/portal/emails), and staff see
// every portal e-mail with whether it was sent (/family-emails), reached
// from the advice reminders. Pages are checked with axe and the HTML
// validator and saved as screenshots at 375 px and 1280 px.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { finish, launchBrowser, newPage, screenshots, signIn, submit, visit } from './browser.mjs';
import { DEMO_PASSWORD, auditEntries, startDemo } from './demo.mjs';
import { startValidator, stopValidator } from './vnu.mjs';

let server, browser;
before(async () => {
  [server, browser] = await Promise.all([startDemo(), launchBrowser(), startValidator()]);
});
after(async () => {
  await Promise.allSettled([browser?.close(), server?.stop(), stopValidator()]);
  server?.cleanup();
});

test('a family member turns e-mails about upcoming dates off, and on again', async () => {
  const page = await newPage(browser, server.base);
  await signIn(page, 'p.family', DEMO_PASSWORD, { checks: false });
  await submit(page, page.getByRole('link', { name: 'Emails about upcoming dates' }), { name: 'date e-mails' });
  assert.match(await page.locator('#address').innerText(), /p\.family@family\.example/);
  // On until they choose otherwise.
  assert.equal(await page.getByLabel('Yes, email me about upcoming dates').isChecked(), true);
  await screenshots(page, 'portal-emails');

  await page.getByLabel('No, do not email me about dates').check();
  await submit(page, page.getByRole('button', { name: 'Save' }), { name: 'date e-mails off' });
  assert.equal(new URL(page.url()).pathname, '/portal/emails');
  assert.match(await page.locator('.govuk-notification-banner').innerText(), /Your choice has been saved/);
  assert.equal(await page.getByLabel('No, do not email me about dates').isChecked(), true);
  await screenshots(page, 'portal-emails-saved');

  await page.getByLabel('Yes, email me about upcoming dates').check();
  await submit(page, page.getByRole('button', { name: 'Save' }), { checks: false });
  assert.equal(await page.getByLabel('Yes, email me about upcoming dates').isChecked(), true);
  await finish(page);

  const entries = (await auditEntries(server.db, ['--user', 'p.family', '--action', 'write']))
    .filter((e) => e.object === 'preference');
  assert.equal(entries.length, 2, `the choices are audited: ${JSON.stringify(entries)}`);
});

test("staff see the portal's e-mails and whether they were sent", async () => {
  const page = await newPage(browser, server.base);
  await signIn(page, server.accounts.coordinator[0], DEMO_PASSWORD, { checks: false });
  await visit(page, '/advice/outbox', { checks: false });
  await submit(page, page.getByRole('link', { name: 'E-mails to families' }), { name: 'family e-mails' });
  const rows = page.locator('#family-emails tbody tr');
  assert.ok(await rows.count() >= 1);
  // The demo's message from the coordinator and its request for the
  // family's views, not sent: no relay in tests.
  const family = (await rows.filter({ hasText: 'p.family@family.example' }).allInnerTexts()).join('\n');
  assert.match(family, /You have a new message in sendhub\tWaiting to be sent/);
  assert.match(family, /The council has asked for your views\tWaiting to be sent/);
  await screenshots(page, 'family-emails');
  await finish(page);
});
