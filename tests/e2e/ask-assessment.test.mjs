// Asking for an EHC needs assessment online (issue 7): a member of the public
// (no account) fills in the form, gets one message (a bad email address),
// corrects it without retyping anything, checks the answers and sends them;
// the confirmation gives a reference and the date the council must decide
// by (6 weeks from the day it was received, SEND Regulations 2014 reg 5(1)).
// A coordinator finds it under "Requests from families", starts the
// statutory request from it (the request date is the day it was received)
// and invites the family to the portal with their name filled in; a second
// coordinator starting the same request meanwhile creates nothing. Every page
// is checked with axe and the HTML validator; screenshots at 375 and 1280 px.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { after, before, test } from 'node:test';

import { errorSummary, finish, launchBrowser, longDate, newPage, screenshots, signIn, submit, visit } from './browser.mjs';
import { DEMO_PASSWORD, TODAY, apiToken, auditEntries, startDemo } from './demo.mjs';
import { Session } from './session.mjs';
import { startValidator, stopValidator } from './vnu.mjs';

let server, browser, api;
before(async () => {
  [server, browser] = await Promise.all([startDemo(), launchBrowser(), startValidator()]);
  api = new Session(server.base);
  api.bearer = await apiToken(server.db, server.accounts.manager[0], 'e2e ask');
});
after(async () => {
  await Promise.allSettled([browser?.close(), server?.stop(), stopValidator()]);
  server?.cleanup();
});

function addDays(iso, n) {
  const d = new Date(`${iso}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

// One value from the demo's SQLite database.
function sql(text) {
  const r = spawnSync('sqlite3', [server.db, text], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout.trim();
}

async function caseDetail(id) {
  const r = await api.get(`/api/v1/cases/${id}`);
  assert.equal(r.status, 200, r.text);
  return r.json;
}

const CHILD = { forename: 'Rowan', surname: 'Testrequest' };
const ASKER = 'Alex Testrequest';

async function fillForm(page, email) {
  await page.getByLabel('Which council is the request for?').selectOption({ label: 'Northfield (synthetic)' });
  await page.getByLabel('A parent of the child').check();
  await page.locator('#relationship').fill('Mother');
  await page.locator('#forename').fill(CHILD.forename);
  await page.locator('#surname').fill(CHILD.surname);
  await page.locator('#date_of_birth-day').fill('14');
  await page.locator('#date_of_birth-month').fill('3');
  await page.locator('#date_of_birth-year').fill('2017');
  await page.locator('#postcode').fill('nf3 4ab');
  await page.locator('#setting_name').fill('Northfield Primary (synthetic)');
  await page.locator('#needs').fill('He cannot stay in class for more than ten minutes.\nHe has no friends at school.');
  await page.locator('#tried').fill('A support plan at school since Year 1.');
  await page.locator('#asker_name').fill(ASKER);
  await page.locator('#email').fill(email);
  await page.locator('#phone').fill('07700 900 982');
  await page.getByLabel(/What I have written is true/).check();
}

test('a family asks online; a coordinator starts the case from the day it was received and invites them', async () => {
  const page = await newPage(browser, server.base);
  await visit(page, '/ask-for-an-assessment', { name: 'ask form' });
  await screenshots(page, 'ask-form');
  // Nothing entered: every required question says so, in the form's order.
  await submit(page, page.getByRole('button', { name: 'Continue' }), { status: 422, name: 'ask form empty' });
  const empty = (await errorSummary(page)).items.map((i) => i.href);
  assert.deepEqual(empty, ['#la_code', '#asker_role', '#forename', '#surname', '#date_of_birth-day',
    '#needs', '#asker_name', '#email', '#consent']);
  // One mistake: the email address. Everything typed is kept.
  await fillForm(page, 'alex.example.org.uk');
  await submit(page, page.getByRole('button', { name: 'Continue' }), { status: 422, name: 'ask form bad email' });
  assert.deepEqual((await errorSummary(page)).items,
    [{ text: 'Enter an email address in the correct format, like name@example.org.uk', href: '#email' }]);
  await screenshots(page, 'ask-form-error');
  assert.equal(await page.locator('#forename').inputValue(), CHILD.forename);
  assert.equal(await page.locator('#needs').inputValue(), 'He cannot stay in class for more than ten minutes.\nHe has no friends at school.');
  assert.ok(await page.getByLabel(/What I have written is true/).isChecked());
  await page.locator('#email').fill('alex@example.org.uk');
  await submit(page, page.getByRole('button', { name: 'Continue' }), { name: 'check answers' });
  await screenshots(page, 'ask-check');
  const answers = await page.locator('main').innerText();
  assert.ok(answers.includes('NF3 4AB'), 'the postcode as the council files it');
  // Change, then back to checking: still all there.
  await submit(page, page.getByRole('button', { name: 'Change your answers' }), { name: 'change answers' });
  assert.equal(await page.locator('#email').inputValue(), 'alex@example.org.uk');
  await submit(page, page.getByRole('button', { name: 'Continue' }), { name: 'check answers again' });
  const sent = await page.evaluate(() => Object.fromEntries(new FormData(document.querySelector('main form'))));
  await submit(page, page.getByRole('button', { name: 'Send the request' }), { status: 201, name: 'request sent' });
  await screenshots(page, 'ask-sent');
  const reference = (await page.locator('#reference').innerText()).trim();
  assert.match(reference, /^ASK-990-\d{6}$/);
  const due = addDays(TODAY, 42);
  assert.equal((await page.locator('#decision-due').innerText()).trim(), longDate(due));
  const id = Number(reference.slice(-6));
  // The same page sent again (a double click, a refresh): the same request.
  const again = await page.request.post('/ask-for-an-assessment', { form: { ...sent, action: 'send' } });
  assert.equal(again.status(), 201);
  assert.ok((await again.text()).includes(`<strong id="reference">${reference}</strong>`));
  await finish(page);

  // The coordinator's list: oldest first, with the decision date and days left.
  const staff = await newPage(browser, server.base);
  await signIn(staff, server.accounts.coordinator[0], DEMO_PASSWORD, { checks: false });
  await submit(staff, staff.getByRole('link', { name: 'Requests from families' }), { name: 'requests from families' });
  await screenshots(staff, 'ask-staff-list');
  const rows = staff.locator('tbody tr');
  const n = await rows.count();
  assert.ok(n >= 5, `${n} open requests`);
  const last = await rows.nth(n - 1).innerText();
  assert.ok(last.includes(`${CHILD.forename} ${CHILD.surname}`) && last.includes('42 days left'), last);
  assert.match(await rows.nth(0).innerText(), /Overdue by \d+ days/);
  assert.equal(await staff.getByRole('link', { name: `${CHILD.forename} ${CHILD.surname}` }).count(), 1, 'sent twice, listed once');
  await submit(staff, staff.getByRole('link', { name: `${CHILD.forename} ${CHILD.surname}` }), { name: 'one request' });
  await screenshots(staff, 'ask-staff-request');
  assert.equal((await staff.locator('#received').innerText()).trim(), longDate(TODAY));
  // Start the statutory request: the form is filled in from it.
  await submit(staff, staff.getByRole('link', { name: 'Start the request' }), { name: 'start from online' });
  await screenshots(staff, 'ask-staff-start');
  assert.equal(await staff.locator('#forename').inputValue(), CHILD.forename);
  assert.equal(await staff.locator('#date_of_birth-year').inputValue(), '2017');
  assert.match(await staff.locator('#request-date').innerText(), new RegExp(`^${longDate(TODAY)}`));
  await submit(staff, staff.getByRole('button', { name: 'Start the request' }), { name: 'case started' });
  assert.equal(new URL(staff.url()).pathname, `/requests/online/${id}`);
  const caseHref = await staff.getByRole('link', { name: 'open the case' }).getAttribute('href');
  const caseId = Number(caseHref.split('/').pop());
  const detail = await caseDetail(caseId);
  assert.equal(detail.events[0].type, 'request_received');
  assert.equal(detail.events[0].date, TODAY);
  // Invite the family: who they are is filled in from the request.
  await submit(staff, staff.getByRole('link', { name: `Invite ${ASKER} to the family portal` }), { name: 'invite prefilled' });
  assert.equal(await staff.locator('#name').inputValue(), ASKER);
  assert.ok(await staff.getByLabel('Parent', { exact: true }).isChecked());
  await submit(staff, staff.getByRole('button', { name: 'Create invitation' }), { status: 201, name: 'invitation created' });
  // Starting it again is not offered: the form shows what became of it.
  await visit(staff, `/requests/new?online=${id}`, { checks: false });
  assert.equal(new URL(staff.url()).pathname, `/requests/online/${id}`);
  // The request has left the list.
  await visit(staff, '/requests/online', { checks: false });
  assert.equal(await staff.getByRole('link', { name: `${CHILD.forename} ${CHILD.surname}` }).count(), 0);
  await finish(staff);

  const log = await auditEntries(server.db, ['--user', server.accounts.coordinator[0]]);
  assert.ok(log.some((e) => e.object === 'online_request' && e.action === 'write' && Number(e.object_id) === id &&
    Number(e.child_id) === detail.child.id), JSON.stringify(log.slice(-5)));
});

test('a request received weeks ago starts a case dated the day it was received, not today', async () => {
  const staff = await newPage(browser, server.base);
  await signIn(staff, server.accounts.coordinator[0], DEMO_PASSWORD, { checks: false });
  await visit(staff, '/requests/online', { checks: false });
  await submit(staff, staff.locator('tbody tr').first().locator('a'), { checks: false });
  const received = (await staff.locator('#received').innerText()).trim();
  assert.notEqual(received, longDate(TODAY));
  await submit(staff, staff.getByRole('link', { name: 'Start the request' }), { checks: false });
  await submit(staff, staff.getByRole('button', { name: 'Start the request' }), { checks: false });
  const caseId = Number((await staff.getByRole('link', { name: 'open the case' }).getAttribute('href')).split('/').pop());
  const detail = await caseDetail(caseId);
  assert.equal(longDate(detail.events[0].date), received);
  const decision = detail.timeline.deadlines.find((d) => d.step === 'decision_to_assess');
  assert.equal(decision.due, addDays(detail.events[0].date, 42));
  await finish(staff);
});

// Two coordinators start the same request at once: the first opens the
// case; the second's form creates nothing (no second case, no new child:
// starting is one transaction with marking the request started) and shows
// the request with what became of it.
test('a request started by someone else meanwhile is not started twice', async () => {
  const cases = () => Number(sql('SELECT count(*) FROM cases'));
  const children = () => Number(sql('SELECT count(*) FROM children'));
  const first = await newPage(browser, server.base);
  const second = await newPage(browser, server.base);
  await signIn(first, server.accounts.coordinator[0], DEMO_PASSWORD, { checks: false });
  await signIn(second, server.accounts.coordinator[1], DEMO_PASSWORD, { checks: false });
  await visit(first, '/requests/online', { checks: false });
  const href = await first.locator('tbody tr').first().locator('a').getAttribute('href');
  const id = Number(href.split('/').pop());
  for (const p of [first, second]) await visit(p, `/requests/new?online=${id}`, { checks: false });
  await submit(first, first.getByRole('button', { name: 'Start the request' }), { checks: false });
  const caseHref = await first.getByRole('link', { name: 'open the case' }).getAttribute('href');
  const [nCases, nChildren] = [cases(), children()];
  await submit(second, second.getByRole('button', { name: 'Start the request' }), { name: 'start taken meanwhile' });
  await screenshots(second, 'ask-staff-taken');
  assert.equal(new URL(second.url()).pathname, `/requests/online/${id}`);
  assert.match(await second.locator('#taken').innerText(), /Someone else started or closed this request/);
  assert.equal(await second.getByRole('link', { name: 'open the case' }).getAttribute('href'), caseHref);
  assert.equal(cases(), nCases);
  assert.equal(children(), nChildren);
  await finish(first);
  await finish(second);
});

test('closing a request needs a reason; the public cannot see the list', async () => {
  const staff = await newPage(browser, server.base);
  await signIn(staff, server.accounts.manager[0], DEMO_PASSWORD, { checks: false });
  await visit(staff, '/requests/online', { checks: false });
  const before = await staff.locator('tbody tr').count();
  await submit(staff, staff.locator('tbody tr').first().locator('a'), { checks: false });
  await submit(staff, staff.getByRole('button', { name: 'Close the request' }), { status: 422, name: 'close without a reason' });
  assert.deepEqual((await errorSummary(staff)).items, [{ text: 'Select why you are closing the request', href: '#reason' }]);
  await staff.getByLabel("The child does not live in this council's area").check();
  await staff.locator('#note').fill('Lives in a neighbouring council; family told to apply there.');
  await submit(staff, staff.getByRole('button', { name: 'Close the request' }), { name: 'closed' });
  assert.equal(await staff.locator('tbody tr').count(), before - 1);
  await finish(staff);
  const anon = await newPage(browser, server.base);
  await visit(anon, '/requests/online', { checks: false });
  assert.equal(new URL(anon.url()).pathname, '/sign-in');
  await finish(anon);
});
