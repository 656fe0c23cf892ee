// Headless Chromium for the end-to-end tests: Debian's /usr/bin/chromium
// driven by playwright-core (never Playwright's own browser download), one
// browser per test file and a fresh context (cookies, storage) per test.
//
// Every page a test reaches through visit() or submit() is checked:
//   - axe-core, WCAG 2.0/2.1 A and AA and WCAG 2.2 AA rules: no violations;
//   - the Nu HTML Checker on the HTML the server sent: no errors;
//   - no script error, no Content-Security-Policy violation and no failed
//     asset (stylesheet, script, image, font) while it loaded.
// The page's own Content-Security-Policy stays in force (bypassCSP is not
// used): axe is evaluated through the DevTools protocol, which CSP does not
// govern, so the checks see the page exactly as a person's browser does.
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

import { chromium } from 'playwright-core';

import { BIN } from './demo.mjs';
import { validateHtml } from './vnu.mjs';

export { validateHtml };

const ROOT = new URL('../..', import.meta.url).pathname;
const AXE_SOURCE = readFileSync(join(ROOT, 'node_modules/axe-core/axe.min.js'), 'utf8');
export const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

// Screenshots go beside the binary under test (build-asan/screenshots when
// run by scripts/test.sh, build/screenshots for `make check`), or wherever
// SENDHUB_SCREENSHOTS points. build*/ is ignored by git.
export const SCREENSHOT_DIR = process.env.SENDHUB_SCREENSHOTS ?? join(dirname(BIN), 'screenshots');

export const WIDE = { width: 1280, height: 900 };
export const NARROW = { width: 375, height: 812 };

// The flags this machine needs (/work/.library/env/machines/c.md): no
// sandbox as root, no GPU, and no background connections to the outside
// world. Playwright gives every launch a new, empty user-data-dir itself.
export const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

export function launchBrowser() {
  return chromium.launch({
    executablePath: process.env.SENDHUB_CHROMIUM ?? '/usr/bin/chromium',
    args: CHROMIUM_ARGS,
    timeout: 60000,
  });
}

// A new context and page on the server `base`. The page records what goes
// wrong while pages load (see problems()).
export async function newPage(browser, base, { viewport = WIDE } = {}) {
  const context = await browser.newContext({ baseURL: base, viewport, locale: 'en-GB' });
  context.setDefaultTimeout(15000);
  const page = await context.newPage();
  const problems = [];
  page.on('pageerror', (e) => problems.push(`script error: ${e.message}`));
  page.on('console', (m) => {
    const t = m.text();
    if (/Content Security Policy|Refused to/i.test(t)) problems.push(`CSP: ${t}`);
    else if (m.type() === 'error' && !/Failed to load resource: the server responded with a status of [45]\d\d/.test(t)) {
      problems.push(`console error: ${t}`);
    }
  });
  page.on('requestfailed', (r) => {
    // A navigation replaced by the next one is not a failure of the page.
    if (r.failure()?.errorText === 'net::ERR_ABORTED' && r.isNavigationRequest()) return;
    problems.push(`request failed: ${r.method()} ${r.url()} (${r.failure()?.errorText})`);
  });
  page.on('response', (r) => {
    if (!r.request().isNavigationRequest() && r.status() >= 400) {
      problems.push(`asset ${r.url()} answered ${r.status()}`);
    }
  });
  page.problems = problems;
  page.layout = [];
  return page;
}

// Runs axe-core on the page as it is now; throws listing every violation
// (rule id, impact, the elements) unless there are none.
export async function axeCheck(page, name = page.url()) {
  const hasAxe = await page.evaluate(() => typeof window.axe === 'object');
  if (!hasAxe) await page.evaluate(AXE_SOURCE);
  const violations = await page.evaluate(async (tags) => {
    const r = await window.axe.run(document, { runOnly: { type: 'tag', values: tags } });
    return r.violations.map((v) => ({
      id: v.id, impact: v.impact, help: v.help,
      targets: v.nodes.map((n) => n.target.join(' ')),
    }));
  }, AXE_TAGS);
  if (violations.length) {
    const list = violations.map((v) => `${v.id} (${v.impact}): ${v.help}\n      ${v.targets.join('\n      ')}`);
    throw new Error(`${name}: ${violations.length} accessibility violation(s) (axe):\n  ${list.join('\n  ')}`);
  }
}

// SENDHUB_E2E_TIMING=1 prints how long each check takes (to stderr).
const TIMING = !!process.env.SENDHUB_E2E_TIMING;
async function timed(what, fn) {
  if (!TIMING) return fn();
  const t = performance.now();
  try { return await fn(); } finally {
    process.stderr.write(`# ${(performance.now() - t).toFixed(0).padStart(6)} ms  ${what}\n`);
  }
}

// All the checks on the page just loaded by the navigation `response`.
export async function checkPage(page, response, name) {
  name ??= new URL(page.url()).pathname;
  assert.ok(response, `${name}: no response for the navigation`);
  assert.deepEqual(page.problems.splice(0), [], `${name}: problems while loading`);
  await timed(`axe ${name}`, () => axeCheck(page, name));
  const html = await response.text();
  await timed(`vnu ${name}`, () => validateHtml(html, name));
}

// Opens a path; checks its status (200 unless said) and the page.
// checks: false skips axe and vnu (for a page a test passes through again
// and again, already checked elsewhere); the status is always checked.
export async function visit(page, path, { status = 200, name, checks = true } = {}) {
  const response = await timed(`goto ${path}`, () => page.goto(path));
  assert.ok(response, `GET ${path}: no response`);
  assert.equal(response.status(), status, `GET ${path}: status ${response.status()}, wanted ${status}`);
  if (checks) await checkPage(page, response, name ?? `GET ${path}`);
  else assert.deepEqual(page.problems.splice(0), [], `GET ${path}: problems while loading`);
  return response;
}

// Clicks something that submits a form (or follows a link) and waits for the
// page that comes back (after any redirect); checks its status and the page.
export async function submit(page, locator, { status = 200, name, checks = true } = {}) {
  const [response] = await timed(`submit ${name ?? ''}`, () => Promise.all([
    page.waitForNavigation({ waitUntil: 'load' }),
    locator.click(),
  ]));
  name ??= `after submit on ${new URL(page.url()).pathname}`;
  assert.ok(response, `${name}: no response`);
  assert.equal(response.status(), status, `${name}: status ${response.status()}, wanted ${status}`);
  if (checks) await checkPage(page, response, name);
  else assert.deepEqual(page.problems.splice(0), [], `${name}: problems while loading`);
  return response;
}

// Signs in through the sign-in page. Resolves with the response to the form
// post (after its redirect); `status` is what it must answer.
export async function signIn(page, username, password, { status = 200, checks = true } = {}) {
  await visit(page, '/sign-in', { checks });
  await page.locator('#username').fill(username);
  await page.locator('#password').fill(password);
  return submit(page, page.getByRole('button', { name: 'Sign in' }), { status, checks, name: `sign in as ${username}` });
}

export async function signOut(page) {
  return submit(page, page.getByRole('button', { name: 'Sign out' }), { name: 'sign out' });
}

// A full-page screenshot in SCREENSHOT_DIR/<name>-<width>.png.
export async function screenshot(page, name) {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const { width } = page.viewportSize();
  const path = join(SCREENSHOT_DIR, `${name}-${width}.png`);
  await timed(`screenshot ${name}-${width}`, () => page.screenshot({ path, fullPage: true }));
  return path;
}

// What sticks out past the right edge of the viewport, outside any element
// that scrolls sideways on its own: the page itself scrolls sideways then,
// which WCAG 2.1 1.4.10 (Reflow) does not allow at 320 CSS px. Returns the
// outermost such elements, described as "tag.class (width px)".
export async function overflow(page) {
  return page.evaluate(() => {
    const vw = document.documentElement.clientWidth;
    if (document.documentElement.scrollWidth <= vw) return [];
    const scrolls = (el) => {
      for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
        const o = getComputedStyle(p).overflowX;
        if (o === 'auto' || o === 'scroll' || o === 'hidden') return true;
      }
      return false;
    };
    const out = [];
    for (const el of document.body.querySelectorAll('*')) {
      const r = el.getBoundingClientRect();
      if (r.right <= vw + 0.5 || r.width === 0 || scrolls(el)) continue;
      if (out.some((o) => o.el.contains(el))) continue;
      out.push({ el, text: `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}` +
        `${[...el.classList].slice(0, 2).map((c) => `.${c}`).join('')} (${Math.round(r.width)}px wide, ` +
        `right edge at ${Math.round(r.right)}px)` });
    }
    return out.map((o) => o.text).slice(0, 8);
  });
}

// Screenshots at 1280 px and 375 px wide. At 375 px the page is checked
// again by axe, and must not scroll sideways (WCAG 1.4.10 Reflow: a wide
// table belongs in its own scrolling region); a page that does is noted and
// fails the test at finish(), so the rest of the journey is still tested.
// The viewport is restored.
export async function screenshots(page, name) {
  const before = page.viewportSize();
  await page.setViewportSize(WIDE);
  const paths = [await screenshot(page, name)];
  await page.setViewportSize(NARROW);
  paths.push(await screenshot(page, name));
  const wide = await overflow(page);
  if (wide.length) page.layout.push(`${name} at 375px scrolls sideways (WCAG 1.4.10 Reflow); too wide: ${wide.join('; ')}`);
  await axeCheck(page, `${name} at 375px`);
  await page.setViewportSize(before);
  return paths;
}

// Ends a test's page: fails if any screenshot found a layout problem, then
// closes the context.
export async function finish(page) {
  const layout = page.layout.splice(0);
  await page.context().close();
  assert.deepEqual(layout, [], 'layout problems');
}

// GOV.UK error summary: its messages, and the fields they link to.
export async function errorSummary(page) {
  const summary = page.locator('.govuk-error-summary');
  if (await summary.count() === 0) return null;
  const links = summary.locator('a');
  const items = [];
  for (let i = 0; i < await links.count(); i++) {
    items.push({ text: (await links.nth(i).innerText()).trim(), href: await links.nth(i).getAttribute('href') });
  }
  return { text: (await summary.innerText()).trim(), items };
}

// A date as the pages write it: long ("27 March 2015") in text, short
// ("27 Mar 2015") in tables.
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August',
  'September', 'October', 'November', 'December'];
export function longDate(iso) {
  const [y, m, d] = iso.split('-').map(Number);
  return `${d} ${MONTHS[m - 1]} ${y}`;
}
export function shortDate(iso) {
  const [y, m, d] = iso.split('-').map(Number);
  return `${d} ${MONTHS[m - 1].slice(0, 3)} ${y}`;
}
