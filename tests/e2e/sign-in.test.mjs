// Signing in: the right password, a wrong one, and an account locked after
// five wrong ones (then even the right password is refused). Every page is
// checked by axe and vnu (browser.mjs).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { errorSummary, launchBrowser, newPage, screenshots, signIn, signOut, submit, visit, finish } from './browser.mjs';
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

const coordinator = () => server.accounts.coordinator[0];

test('a coordinator signs in, lands on their caseload, and signs out', async () => {
  const page = await newPage(browser, server.base);
  await signIn(page, coordinator(), DEMO_PASSWORD);
  assert.equal(new URL(page.url()).pathname, '/caseload');
  assert.equal(await page.locator('h1').innerText(), 'My caseload');
  // The header says who is signed in and offers to sign out.
  await assert.doesNotReject(page.getByRole('button', { name: 'Sign out' }).waitFor());
  await screenshots(page, 'caseload-coordinator');
  await signOut(page);
  assert.equal(new URL(page.url()).pathname, '/sign-in');
  await assert.doesNotReject(page.getByText('You have signed out').waitFor());
  // Signed out: the caseload sends you back to sign in.
  await visit(page, '/caseload');
  assert.equal(new URL(page.url()).pathname, '/sign-in');
  await finish(page);
});

test('a wrong password shows the GOV.UK error summary and keeps the username', async () => {
  const page = await newPage(browser, server.base);
  await signIn(page, coordinator(), 'not-the-password-at-all', { status: 422 });
  assert.equal(new URL(page.url()).pathname, '/sign-in');
  assert.match(await page.title(), /^Error: Sign in - sendhub$/);
  const summary = await errorSummary(page);
  assert.ok(summary, 'an error summary is shown');
  assert.deepEqual(summary.items, [{ text: 'Enter a correct username and password', href: '#username' }]);
  // The summary takes focus (GOV.UK Frontend), and its link reaches the field.
  assert.equal(await page.evaluate(() => document.activeElement?.classList.contains('govuk-error-summary')), true,
    'the error summary has focus');
  await page.locator('.govuk-error-summary a').click();
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'username');
  assert.equal(await page.locator('#username').inputValue(), coordinator());
  assert.equal(await page.locator('#password').inputValue(), '', 'the password is never sent back');
  await assert.doesNotReject(page.locator('#username-error').waitFor());
  await screenshots(page, 'sign-in-error');
  // The same message for a username that does not exist (no account probing).
  await page.locator('#username').fill('no.such.person');
  await page.locator('#password').fill('not-the-password-at-all');
  await submit(page, page.getByRole('button', { name: 'Sign in' }), { status: 422 });
  assert.deepEqual((await errorSummary(page)).items, [{ text: 'Enter a correct username and password', href: '#username' }]);
  await finish(page);
});

test('empty fields are each named in the error summary', async () => {
  const page = await newPage(browser, server.base);
  await visit(page, '/sign-in');
  await submit(page, page.getByRole('button', { name: 'Sign in' }), { status: 422 });
  assert.deepEqual((await errorSummary(page)).items, [
    { text: 'Enter your username', href: '#username' },
    { text: 'Enter your password', href: '#password' },
  ]);
  await finish(page);
});

test('after five wrong passwords the account is locked, even to the right one', async () => {
  // A coordinator no other test in this file uses.
  const victim = server.accounts.coordinator.at(-1);
  assert.notEqual(victim, coordinator());
  const page = await newPage(browser, server.base);
  for (let i = 1; i <= 5; i++) {
    // The same error page each time: checked once, by the test above.
    await signIn(page, victim, `wrong-password-number-${i}`, { status: 422, checks: false });
  }
  await signIn(page, victim, DEMO_PASSWORD, { status: 422 });
  assert.equal(new URL(page.url()).pathname, '/sign-in', 'not signed in');
  const summary = await errorSummary(page);
  assert.ok(summary, 'an error summary is shown');
  // The wording is auth.c's ("...locked after too many failed sign-ins. Try
  // again in 15 minutes."); the page's own fallback says "too many times".
  assert.match(summary.text, /too many (times|failed sign-ins)/);
  assert.match(summary.text, /Try again in 15 minutes/);
  assert.equal(summary.items[0].href, '#username');
  await screenshots(page, 'sign-in-locked');
  // Another person is not affected.
  await signIn(page, coordinator(), DEMO_PASSWORD);
  assert.equal(new URL(page.url()).pathname, '/caseload');
  await finish(page);
});

test('signing in from a link returns to that page, but never to another site', async () => {
  const page = await newPage(browser, server.base);
  const r = await page.goto('/team');
  assert.equal(new URL(page.url()).pathname, '/sign-in');
  assert.ok(r);
  await page.locator('#username').fill(server.accounts.manager[0]);
  await page.locator('#password').fill(DEMO_PASSWORD);
  await submit(page, page.getByRole('button', { name: 'Sign in' }));
  assert.equal(new URL(page.url()).pathname, '/team');
  await finish(page);

  const other = await newPage(browser, server.base);
  await visit(other, '/sign-in?next=//evil.example/');
  await other.locator('#username').fill(server.accounts.manager[0]);
  await other.locator('#password').fill(DEMO_PASSWORD);
  await submit(other, other.getByRole('button', { name: 'Sign in' }));
  assert.equal(new URL(other.url()).origin, server.base);
  await finish(other);
});
