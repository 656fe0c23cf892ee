// Advice for an EHC needs assessment (SEND Regulations 2014 regs 6 and 8): a
// coordinator asks three services in one form; health (with a PDF), social
// care and the school each sign in, find the request in "advice requested
// from my service", read what they need to know and send their advice; the
// case, the journey, the dashboard and the reminders show it. Every new page
// is checked with axe and the HTML validator (visit/submit).
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
  api.bearer = await apiToken(server.db, server.accounts.manager[0], 'e2e advice');
});
after(async () => {
  await Promise.allSettled([browser?.close(), server?.stop(), stopValidator()]);
  server?.cleanup();
});

const me = () => server.accounts.coordinator[0];

async function getJson(session, path) {
  const r = await session.get(path);
  assert.equal(r.status, 200, `${path}: ${r.text}`);
  return r.json;
}

// A small, well-formed PDF: header, one empty page, trailer.
function tinyPdf() {
  return Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n' +
    '2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj\n' +
    '3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >> endobj\n' +
    'trailer << /Root 1 0 R >>\n%%EOF\n');
}

let caseId, child, urn;
const asked = {}; // agency label -> /advice/<id> of the requests made here

function addDays(iso, n) {
  const t = new Date(`${iso}T00:00:00Z`);
  t.setUTCDate(t.getUTCDate() + n);
  return t.toISOString().slice(0, 10);
}

test('a coordinator asks health, social care and the school in one step', async () => {
  // The school asked is the demo SENCo's own, so that account can answer.
  const senco = new Session(server.base);
  senco.bearer = await apiToken(server.db, server.accounts.setting[0], 'e2e advice senco');
  const theirs = await getJson(senco, '/api/v1/cases?per_page=1');
  urn = (await getJson(senco, `/api/v1/cases/${theirs.items[0].id}`)).child.setting_urn;
  assert.match(urn, /^\d{6,7}$/);
  const list = await getJson(api, `/api/v1/cases?per_page=5&stage=assessment&coordinator=${encodeURIComponent(me())}`);
  const c = list.items[0];
  caseId = c.id;
  child = `${c.child.forename} ${c.child.surname}`;
  const eventsBefore = (await getJson(api, `/api/v1/cases/${caseId}`)).events.length;

  const page = await newPage(browser, server.base);
  await signIn(page, me(), DEMO_PASSWORD);
  await visit(page, `/cases/${caseId}`);
  await Promise.all([page.waitForNavigation(), page.getByRole('link', { name: 'Request advice' }).first().click()]);
  assert.equal(new URL(page.url()).pathname, `/cases/${caseId}/advice/new`);
  await visit(page, `/cases/${caseId}/advice/new`, { name: 'advice request form' });
  await screenshots(page, 'advice-request');

  // Nothing ticked: an error, nothing asked.
  const send = page.getByRole('button', { name: 'Send the requests' });
  await submit(page, send, { status: 422, name: 'advice request without services' });
  let summary = await errorSummary(page);
  assert.deepEqual(summary.items, [{ text: 'Select at least one service to ask for advice', href: '#ask_psychology' }]);
  assert.match(await page.title(), /^Error: /);

  // A named health provider without its name: an error on that field, the ticks kept.
  await page.locator('#ask_health').check();
  await page.locator('#ask_social_care').check();
  await page.locator('#ask_education').check();
  await page.locator('input[name="health_route"][value="provider"]').check();
  await page.locator('#setting_urn').fill(urn);
  await page.locator('#question').fill('What does she need to take part in lessons and at break times?');
  await submit(page, send, { status: 422, name: 'advice request without the provider' });
  summary = await errorSummary(page);
  assert.deepEqual(summary.items, [{ text: 'Enter the name of the health provider', href: '#service_health' }]);
  assert.ok(await page.locator('#ask_social_care').isChecked(), 'the ticks are kept');
  assert.equal((await getJson(api, `/api/v1/cases/${caseId}`)).events.length, eventsBefore, 'nothing recorded');

  await page.locator('#service_health').fill('Northfield Community Paediatrics');
  await submit(page, send, { name: 'advice requested' });
  assert.equal(new URL(page.url()).pathname, `/cases/${caseId}`);
  assert.match(await page.locator('main').innerText(), /Advice requested from 3 services/);
  // The three new requests, due 6 weeks from today (the child may have had
  // advice requested before, in the demo's history).
  const rows = page.locator('#advice-requests tbody tr', { hasText: shortDate(addDays(TODAY, 42)) });
  assert.equal(await rows.count(), 3);
  for (let i = 0; i < 3; i++) {
    const text = await rows.nth(i).innerText();
    const label = ['Health', 'Social care', 'Education'].find((l) => text.includes(l));
    asked[label] = await rows.nth(i).locator('a').getAttribute('href');
    assert.match(text, /Requested/);
  }
  assert.deepEqual(Object.keys(asked).sort(), ['Education', 'Health', 'Social care']);
  await screenshots(page, 'advice-case');

  // The journey has the three events; each request is due 6 weeks later.
  const after = await getJson(api, `/api/v1/cases/${caseId}`);
  const requested = after.events.slice(eventsBefore);
  assert.deepEqual(requested.map((e) => `${e.type} ${e.date} ${e.agency}`).sort(),
    ['education', 'health', 'social_care'].map((a) => `advice_requested ${TODAY} ${a}`));
  await finish(page);
});

// One service's journey: the list, the request, a validation error, the advice.
async function answer(username, { agency, service, pdf = false, screenshot }) {
  const page = await newPage(browser, server.base);
  await signIn(page, username, DEMO_PASSWORD);
  await visit(page, '/advice', { name: `advice list as ${username}` });
  assert.equal(await page.locator('h1').innerText(), 'Advice requested from my service');
  // Earliest due first: the new request (due in 6 weeks) may be a few pages on.
  const href = asked[agency];
  const link = page.locator(`#requests a[href="${href}"]`);
  for (let p = 2; p <= 20 && await link.count() === 0; p++) {
    await visit(page, `/advice?page=${p}`, { checks: p === 2, name: `advice list page ${p} as ${username}` });
  }
  assert.equal(await link.innerText(), child, `${username} sees the request for ${child}`);
  if (screenshot) await screenshots(page, 'advice-list');
  await visit(page, href, { name: `advice request as ${username}` });
  const text = await page.locator('main').innerText();
  assert.match(text, new RegExp(service));
  assert.match(text, /What does she need to take part in lessons/);
  assert.doesNotMatch(text, /NHS number|UPN|Postcode/, 'only what the service needs to know');
  if (screenshot) await screenshots(page, 'advice-answer');

  const send = page.getByRole('button', { name: 'Send advice' });
  await page.locator('#needs').fill(`Needs seen by ${service}: anxiety in busy places.`);
  await submit(page, send, { status: 422, name: `advice without outcomes as ${username}` });
  const summary = await errorSummary(page);
  assert.equal(summary.items[0].href, '#outcomes');
  assert.equal(await page.locator('#needs').inputValue(), `Needs seen by ${service}: anxiety in busy places.`, 'kept');

  await page.locator('#outcomes').fill('By the end of Year 5, joins group work for 20 minutes.');
  await page.locator('#provision').fill('Weekly 30-minute session with a trained teaching assistant, for a year.');
  if (pdf) {
    // A file that claims to be a PDF but is not one is refused, whatever its name and type.
    await page.locator('#files').setInputFiles({ name: 'report.pdf', mimeType: 'application/pdf', buffer: Buffer.from('<html>not a pdf</html>') });
    await submit(page, send, { status: 422, name: 'advice with a fake PDF' });
    const s = await errorSummary(page);
    assert.deepEqual(s.items, [{ text: 'report.pdf: The file must be a PDF', href: '#files' }]);
    await page.locator('#files').setInputFiles({ name: 'Paediatric report.pdf', mimeType: 'application/pdf', buffer: tinyPdf() });
  }
  await submit(page, send, { name: `advice sent as ${username}` });
  assert.match(page.url(), /\?sent=1$/);
  assert.equal((await page.locator('.govuk-notification-banner__heading').innerText()).trim(), 'Advice sent');
  assert.match(await page.locator('main').innerText(), /Weekly 30-minute session/);
  assert.equal(await page.locator('#send').count(), 0, 'no second answer');
  let file = null;
  if (pdf) {
    const a = page.getByRole('link', { name: 'Paediatric report.pdf' });
    file = await a.getAttribute('href');
    const res = await page.request.get(file);
    assert.equal(res.status(), 200);
    assert.equal(res.headers()['content-type'], 'application/pdf');
    assert.equal(res.headers()['content-disposition'], 'attachment; filename="Paediatric report.pdf"');
    assert.equal(res.headers()['x-content-type-options'], 'nosniff');
    assert.deepEqual(Buffer.from(await res.body()), tinyPdf());
    await screenshots(page, 'advice-sent');
  }
  await finish(page);
  return { href, file };
}

let healthFile;
test('health sends advice with a PDF report', async () => {
  healthFile = (await answer(server.accounts.health[0], { agency: 'Health', service: 'Northfield Community Paediatrics', pdf: true, screenshot: true })).file;
});

test('social care sends advice', async () => {
  await answer(server.accounts.social_care[0], { agency: 'Social care', service: "Children's Social Care" });
});

test('the school sends advice', async () => {
  await answer(server.accounts.setting[0], { agency: 'Education', service: '\\(Education\\)' });
});

test('the case shows every answer on time; the journey has the three receipts', async () => {
  const c = await getJson(api, `/api/v1/cases/${caseId}`);
  const got = c.events.filter((e) => e.type === 'advice_received' && e.date === TODAY).map((e) => e.agency).sort();
  assert.deepEqual(got, ['education', 'health', 'social_care']);

  const page = await newPage(browser, server.base);
  await signIn(page, me(), DEMO_PASSWORD);
  await visit(page, `/cases/${caseId}`, { checks: false });
  for (const href of Object.values(asked)) {
    const row = page.locator('#advice-requests tbody tr', { has: page.locator(`a[href="${href}"]`) });
    assert.match(await row.innerText(), /Received on time/);
  }
  // The coordinator may open the file; a person outside the request may not.
  const res = await page.request.get(healthFile);
  assert.equal(res.status(), 200);
  await visit(page, '/advice/dashboard', { name: 'advice dashboard' });
  assert.match(await page.locator('#dashboard').innerText(), /Health[\s\S]*Northfield Community Paediatrics/);
  await screenshots(page, 'advice-dashboard');
  await visit(page, '/advice', { name: 'advice list, whole area' });
  await visit(page, '/advice/outbox', { name: 'advice outbox' });
  // The server ran the reminder job when it started (no relay: recorded only).
  const today = await page.locator('#today').innerText();
  assert.match(today, new RegExp(`To chase today \\(${longDate(TODAY)}\\): [1-9]`));
  assert.ok(await page.locator('#outbox tbody tr', { hasText: 'Not e-mailed' }).count() +
    await page.locator('#outbox tbody tr', { hasText: 'Chase by phone' }).count() > 0);
  await screenshots(page, 'advice-outbox');
  await finish(page);

  const sc = await newPage(browser, server.base);
  await signIn(sc, server.accounts.social_care[0], DEMO_PASSWORD);
  const denied = await sc.request.get(healthFile);
  assert.equal(denied.status(), 404, 'social care cannot fetch health\'s attachment');
  await finish(sc);
});
