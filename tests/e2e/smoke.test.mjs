// Smoke: the sign-in page loads in Chromium under its own security headers,
// is accessible (axe) and valid HTML (vnu); screenshots at both widths.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { launchBrowser, newPage, screenshots, visit, finish } from './browser.mjs';
import { startDemo } from './demo.mjs';
import { startValidator, stopValidator } from './vnu.mjs';

let server, browser;
before(async () => {
  [server, browser] = await Promise.all([startDemo(), launchBrowser(), startValidator()]);
});
after(async () => {
  await Promise.allSettled([browser?.close(), server?.stop(), stopValidator()]);
  server?.cleanup();
});

test('the sign-in page loads, is accessible and valid, under a strict CSP', async () => {
  const page = await newPage(browser, server.base);
  const res = await visit(page, '/sign-in');
  const csp = res.headers()['content-security-policy'] ?? '';
  assert.match(csp, /script-src 'self'/, 'the page forbids inline and foreign scripts');
  assert.doesNotMatch(csp, /unsafe-inline/, 'no unsafe-inline in the CSP');
  assert.equal(await page.locator('h1').innerText(), 'Sign in');
  assert.equal(await page.title(), 'Sign in - sendhub');
  await assert.doesNotReject(page.locator('#username').waitFor());
  await assert.doesNotReject(page.locator('#password[type=password]').waitFor());
  // GOV.UK Frontend's stylesheet applied (not a browser default page).
  const font = await page.locator('h1').evaluate((h) => getComputedStyle(h).fontFamily);
  assert.match(font, /GDS Transport|arial|sans-serif/i);
  const rules = await page.evaluate(() => [...document.styleSheets]
    .filter((s) => /govuk-frontend/.test(s.href ?? '')).reduce((n, s) => n + s.cssRules.length, 0));
  assert.ok(rules > 100, `GOV.UK Frontend's stylesheet is loaded (${rules} rules)`);
  await screenshots(page, 'sign-in');
  await finish(page);
});
