// Annual reviews (issue 4): an annual review from the invitations through
// the setting's report (submitted by the school's SENCo) and a decision to
// amend to the amended plan; ceasing a plan with its SEN2 reason; the review
// calendar, the term's list per school, phase transfers and the settings
// consulted. Every page is checked with axe and the HTML validator.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { errorSummary, finish, launchBrowser, longDate, newPage, screenshots, signIn, submit, visit } from './browser.mjs';
import { DEMO_PASSWORD, TODAY, apiToken, startDemo } from './demo.mjs';
import { Session } from './session.mjs';
import { startValidator, stopValidator } from './vnu.mjs';

let server, browser, api, senco;
before(async () => {
  [server, browser] = await Promise.all([startDemo(), launchBrowser(), startValidator()]);
  api = new Session(server.base);
  api.bearer = await apiToken(server.db, server.accounts.manager[0], 'e2e reviews');
  senco = new Session(server.base);
  senco.bearer = await apiToken(server.db, server.accounts.setting[0], 'e2e reviews senco');
});
after(async () => {
  await Promise.allSettled([browser?.close(), server?.stop(), stopValidator()]);
  server?.cleanup();
});

const coordinator = () => server.accounts.coordinator[0];

async function getJson(session, path) {
  const r = await session.get(path);
  assert.equal(r.status, 200, `${path}: ${r.text}`);
  return r.json;
}

async function fillDate(page, name, iso) {
  const [y, m, d] = iso.split('-').map(Number);
  await page.locator(`#${name}-day`).fill(String(d));
  await page.locator(`#${name}-month`).fill(String(m));
  await page.locator(`#${name}-year`).fill(String(y));
}

const banner = (page) => page.locator('.govuk-notification-banner--success .govuk-notification-banner__heading');

// A plan in place whose latest review is finished and nothing happened
// since 1 September 2026, so a whole review can be recorded after it.
// `session` decides whose pupils (the SENCo's, for the report).
async function planReadyForReview(session, page) {
  for (let p = 1; p <= 6; p++) {
    const list = await getJson(session, `/api/v1/cases?per_page=50&page=${p}&stage=plan`);
    for (const c of list.items) {
      const d = await getJson(api, `/api/v1/cases/${c.id}`);
      if (d.events.some((e) => e.date >= '2026-09-01')) continue;
      await visit(page, `/cases/${c.id}/review`, { checks: false });
      if (await page.locator('#next-invite').count()) return d;
    }
  }
  throw new Error('no plan ready for its next review in the demo');
}

test('an annual review through to an amended plan', async () => {
  const page = await newPage(browser, server.base);
  await signIn(page, coordinator(), DEMO_PASSWORD);
  const c = await planReadyForReview(senco, page);
  const id = c.case.id;
  const path = `/cases/${id}/review`;
  await visit(page, path);
  assert.equal(await page.locator('h1').innerText(), 'Annual review');
  await screenshots(page, 'review-start');

  // Invitations: the meeting before the invitations, and only the family.
  const invite = page.getByRole('button', { name: 'Record the invitations' });
  await fillDate(page, 'sent_on', '2026-09-07');
  await fillDate(page, 'meeting_on', '2026-09-01');
  await page.locator('#invitees').check();
  await submit(page, invite, { status: 422, name: 'invitations with the meeting first' });
  let summary = await errorSummary(page);
  assert.deepEqual(summary.items, [{
    text: 'The meeting date must be the same as or after the date the invitations were sent (7 September 2026)',
    href: '#meeting_on-day',
  }]);
  assert.match(await page.title(), /^Error: /);
  assert.equal(await page.locator('#sent_on-day').inputValue(), '7', 'what was typed is kept');
  assert.ok(await page.locator('#invitees').isChecked(), 'the ticks are kept');
  await screenshots(page, 'review-invite-error');

  // A week's notice: recorded, with a warning about the 2 weeks.
  await fillDate(page, 'meeting_on', '2026-09-14');
  await page.locator('#invite_setting').check();
  await page.locator('#invite_health').check();
  await submit(page, invite, { name: 'invitations' });
  assert.equal((await banner(page).innerText()).trim(), 'Invitations recorded');
  assert.match(await page.locator('.govuk-warning-text').first().innerText(), /less than 2 weeks after the invitations/);
  assert.match(await page.locator('.govuk-summary-list', { hasText: 'Invitations sent' }).innerText(),
    /Less than 2 weeks' notice/);

  // Advice circulated, then the meeting.
  await fillDate(page, 'advice_on', '2026-09-08');
  await submit(page, page.getByRole('button', { name: 'Record advice circulated' }), { name: 'advice circulated' });
  assert.equal((await banner(page).innerText()).trim(), 'Advice circulation recorded');
  await fillDate(page, 'held_on', '2026-09-14');
  await page.locator('#attendees').fill('Parent, SENCo, school nurse, EHC coordinator');
  await submit(page, page.getByRole('button', { name: 'Record the meeting' }), { name: 'meeting' });
  assert.equal((await banner(page).innerText()).trim(), 'Review meeting recorded');
  const limits = page.locator('.govuk-summary-list').first();
  assert.match(await limits.innerText(), /Receive the setting's review report\s+Due 28 September 2026/);
  assert.match(await limits.innerText(), /Decide what happens after the review\s+Due 12 October 2026/);
  await screenshots(page, 'review-meeting-held');

  // The school's SENCo submits the report from their own sign-in.
  const sp = await newPage(browser, server.base);
  await signIn(sp, server.accounts.setting[0], DEMO_PASSWORD);
  await visit(sp, path);
  assert.equal(await sp.getByRole('button', { name: 'Record the meeting' }).count(), 0, 'a SENCo records no council step');
  await fillDate(sp, 'report_on', '2026-09-24');
  await sp.locator('#recommendations').fill('Add weekly speech and language therapy to section F.');
  await submit(sp, sp.getByRole('button', { name: 'Submit the report' }), { status: 422, name: 'report without text' });
  assert.deepEqual((await errorSummary(sp)).items, [{ text: 'Enter the report', href: '#report' }]);
  await sp.locator('#report').fill('Good progress in reading; the communication outcome is not yet met.');
  await submit(sp, sp.getByRole('button', { name: 'Submit the report' }), { name: 'report' });
  assert.equal((await banner(sp).innerText()).trim(), 'Review report submitted');
  assert.match(await sp.locator('.govuk-summary-list', { hasText: 'Recommendations' }).innerText(),
    /weekly speech and language therapy/);
  await screenshots(sp, 'review-report-senco');
  await finish(sp);

  // The council decides to amend, sends proposals, and cannot issue the
  // amended plan inside the family's 15 days.
  await visit(page, path);
  await fillDate(page, 'decided_on', '2026-10-01');
  await page.locator('input[name="outcome"][value="amend"]').check();
  await submit(page, page.getByRole('button', { name: 'Record the decision' }), { name: 'decision' });
  assert.equal((await banner(page).innerText()).trim(), 'Decision recorded');
  assert.equal(await page.locator(`a[href="/cases/${id}/plan#issue"]`).count(), 1, 'the plan is linked');
  await fillDate(page, 'proposed_on', '2026-10-02');
  await submit(page, page.getByRole('button', { name: 'Record the proposals' }), { name: 'proposals' });
  assert.equal((await banner(page).innerText()).trim(), 'Proposed amendments recorded');
  assert.match(await page.locator('.govuk-summary-list').first().innerText(),
    /Family's comments on the proposed amendments\s+Closed on 17 October 2026/);
  await fillDate(page, 'issued_on', '2026-10-10');
  const issue = page.getByRole('button', { name: 'Record the amended plan' });
  await submit(page, issue, { status: 422, name: 'amended plan inside the comment window' });
  assert.deepEqual((await errorSummary(page)).items, [{
    text: 'The family has until 17 October 2026 to comment on the proposed amendments: issue the amended plan after that',
    href: '#issued_on-day',
  }]);
  await screenshots(page, 'review-amended-error');
  await fillDate(page, 'issued_on', '2026-10-26');
  await submit(page, issue, { name: 'amended plan' });
  assert.equal((await banner(page).innerText()).trim(), 'Amended plan recorded');
  assert.match(await page.locator('body').innerText(), /Stage: Plan in place/);
  const done = await page.locator('.govuk-summary-list').first().innerText();
  assert.match(done, /Issue the amended plan\s+Done on 26 October 2026\s+Met/);
  assert.match(done, /Hold the annual review\s+Due 14 September 2027/);
  await screenshots(page, 'review-amended');

  // The journey holds every step as events, in order.
  const after = await getJson(api, `/api/v1/cases/${id}`);
  const added = after.events.filter((e) => e.date >= '2026-09-01').map((e) => [e.type, e.date, e.outcome ?? '']);
  assert.deepEqual(added, [
    ['review_meeting', '2026-09-14', ''],
    ['review_report_received', '2026-09-24', ''],
    ['review_decision', '2026-10-01', 'amend'],
    ['amendment_proposed', '2026-10-02', ''],
    ['amended_plan_issued', '2026-10-26', ''],
  ]);
  assert.equal(after.case.stage, 'plan');
  assert.equal(after.case.next_due, '2027-09-14');
  await finish(page);
});

test('ceasing a plan with its SEN2 reason and the appeal rights', async () => {
  const page = await newPage(browser, server.base);
  await signIn(page, coordinator(), DEMO_PASSWORD);
  const list = await getJson(api, '/api/v1/cases?per_page=20&stage=plan&page=3');
  let c = null;
  for (const x of list.items) {
    const d = await getJson(api, `/api/v1/cases/${x.id}`);
    if (!d.events.some((e) => e.date >= '2026-10-15')) { c = d; break; }
  }
  assert.ok(c, 'a plan with nothing recorded since 15 October 2026');
  const path = `/cases/${c.case.id}/cease`;
  await visit(page, path);
  await screenshots(page, 'cease');
  const cease = page.getByRole('button', { name: 'Cease the plan' });
  await submit(page, cease, { status: 422, name: 'cease with nothing filled in' });
  assert.deepEqual((await errorSummary(page)).items, [
    { text: 'Enter the date of the decision letter', href: '#letter_on-day' },
    { text: 'Enter the date the plan ceases', href: '#cease_on-day' },
    { text: 'Select why the plan is ceasing', href: '#reason' },
  ]);
  await screenshots(page, 'cease-error');
  await fillDate(page, 'letter_on', '2026-10-15');
  await fillDate(page, 'cease_on', '2026-10-30');
  await page.getByLabel('4: Employed').check();
  await submit(page, cease, { name: 'cease' });
  assert.equal((await banner(page).innerText()).trim(), 'The plan has ceased and the decision letter is recorded');
  assert.equal(await page.locator('h1').innerText(), 'Plan ceased');
  assert.match(await page.locator('.govuk-inset-text').innerText(),
    /You can appeal to the First-tier Tribunal \(SEND\) within 2 months of the decision letter of 15 October 2026, so by 15 December 2026\./);
  await screenshots(page, 'ceased');
  const d = await getJson(api, `/api/v1/cases/${c.case.id}`);
  assert.equal(d.case.stage, 'ceased');
  const last = d.events.slice(-2).map((e) => [e.type, e.date, e.reason ?? '']);
  assert.deepEqual(last, [['decision_letter', '2026-10-15', ''], ['plan_ceased', '2026-10-30', 4]]);
  await finish(page);
});

test('the calendar, the term list and phase transfers with consultations', async () => {
  const page = await newPage(browser, server.base);
  await signIn(page, coordinator(), DEMO_PASSWORD);
  await visit(page, '/reviews');
  assert.match(await page.locator('caption').innerText(), /^\d+ reviews due/);
  await screenshots(page, 'reviews');
  await page.locator('#month').selectOption('overdue');
  await submit(page, page.getByRole('button', { name: 'Apply filters' }), { name: 'calendar, overdue' });
  const rows = page.locator('tbody tr');
  assert.ok(await rows.count() > 0, 'overdue reviews are listed');
  for (const tag of await page.locator('tbody tr td:last-child').allInnerTexts()) assert.equal(tag.trim(), 'Overdue');
  await screenshots(page, 'reviews-overdue');

  await visit(page, '/reviews/term?term=2027-spring');
  assert.equal(await page.locator('h1').innerText(), 'Reviews due: Spring term 2027');
  assert.ok(await page.locator('table.sendhub-term-list').count() > 1, 'one list per school');
  await screenshots(page, 'reviews-term');

  await visit(page, '/transfers');
  assert.equal(await page.locator('caption').innerText(), 'Moving in September 2027');
  await screenshots(page, 'transfers');
  const link = page.locator('tbody tr th a').first();
  const href = await link.getAttribute('href');
  await visit(page, href);
  assert.equal(await page.locator('h1').innerText(), 'Phase transfer');
  assert.match(await page.locator('.govuk-summary-list').innerText(), /Due (15 February|31 March) 2027/);
  const before = await page.locator('table tbody tr').count();
  const add = page.getByRole('button', { name: 'Record the consultation' });
  await page.locator('#setting_urn').fill('12');
  await submit(page, add, { status: 422, name: 'consultation with a bad URN' });
  assert.deepEqual((await errorSummary(page)).items, [{ text: 'Enter the date consulted', href: '#consulted_on-day' }]);
  await fillDate(page, 'consulted_on', TODAY);
  await submit(page, add, { status: 422, name: 'consultation without a name' });
  assert.deepEqual((await errorSummary(page)).items, [{ text: "Enter the setting's name", href: '#setting_name' }]);
  await page.locator('#setting_name').fill('Riverside Academy (synthetic)');
  await submit(page, add, { status: 422, name: 'consultation with a bad URN' });
  assert.deepEqual((await errorSummary(page)).items, [{ text: 'The URN is not valid: a URN has 6 or 7 digits', href: '#setting_urn' }]);
  await page.locator('#setting_urn').fill('');
  await submit(page, add, { name: 'consultation' });
  assert.equal((await banner(page).innerText()).trim(), 'Consultation recorded');
  assert.equal(await page.locator('table tbody tr').count(), before + 1);
  await screenshots(page, 'transfer');
  // Answer the first consultation still awaited.
  const answer = page.getByRole('button', { name: 'Record the answer' });
  await page.locator('input[name="response"][value="cannot_meet"]').check();
  await fillDate(page, 'response_on', TODAY);
  await submit(page, answer, { name: 'answer' });
  assert.equal((await banner(page).innerText()).trim(), 'Answer recorded');
  assert.ok(await page.locator('table tbody tr', { hasText: 'Cannot meet needs' }).count() >= 1);
  await finish(page);
});

test("a SENCo's calendar holds only their own school", async () => {
  const page = await newPage(browser, server.base);
  await signIn(page, server.accounts.setting[0], DEMO_PASSWORD);
  await visit(page, '/reviews');
  assert.equal(await page.locator('#school').count(), 0, 'no school filter');
  const schools = new Set((await page.locator('tbody tr td:nth-child(2)').allInnerTexts()).map((s) => s.trim()));
  assert.equal(schools.size, 1, `one school only: ${[...schools].join(', ')}`);
  await visit(page, '/reviews/term');
  assert.ok(await page.locator('table.sendhub-term-list').count() <= 1);
  await screenshots(page, 'reviews-senco');
  await finish(page);
});
