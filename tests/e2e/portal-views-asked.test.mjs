// The family's views "when asked" (issue 7): the demo's coordinator has
// asked the demo family (p.family) for their views for the assessment. The
// coordinator asks again (the form's checks, then a request for "other"),
// withdraws that one as asked in error; the family sees the open request at
// the top of the journey, sends their views from it, and the coordinator
// sees the request answered with a link to the views. The e-mails say
// nothing personal; every step is audited. Pages are checked with axe and
// the HTML validator, and saved as screenshots at 375 px and 1280 px.
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
  api.bearer = await apiToken(server.db, server.accounts.manager[0], 'e2e views asked');
});
after(async () => {
  await Promise.allSettled([browser?.close(), server?.stop(), stopValidator()]);
  server?.cleanup();
});

function sql(text) {
  const r = spawnSync('sqlite3', [server.db, text], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout.trim();
}

test('a coordinator asks, the family sees it on the journey and answers, the coordinator sees it answered', async () => {
  // The demo's open request, on the case of p.family's first child.
  const [caseId, childId, replyBy] = sql(`SELECT r.case_id, k.child_id, r.reply_by FROM views_requests r
    JOIN cases k ON k.id = r.case_id WHERE r.answered_at IS NULL AND r.withdrawn_at IS NULL`).split('|');
  assert.ok(caseId, 'the demo has an open request for the family');
  const detail = (await api.get(`/api/v1/cases/${caseId}`)).json;

  const staff = await newPage(browser, server.base);
  await signIn(staff, detail.case.coordinator, DEMO_PASSWORD, { checks: false });
  await visit(staff, `/cases/${caseId}`, { name: 'case with a request for views' });
  const section = staff.locator('dl[id^="views-request-"]').first();
  assert.match(await section.innerText(), /Not yet/);

  // Asking: the form suggests the purpose and a reply-by date, and checks.
  await submit(staff, staff.getByRole('link', { name: 'Ask the family for their views' }), { name: 'ask form' });
  assert.equal(await staff.locator('input[name=purpose][value=assessment]').isChecked(), true);
  assert.notEqual(await staff.locator('#reply_by-day').inputValue(), '');
  await screenshots(staff, 'views-ask');
  await staff.getByLabel('Other', { exact: true }).check();
  await staff.locator('#reply_by-day').fill('1');
  await staff.locator('#reply_by-month').fill('10');
  await staff.locator('#reply_by-year').fill('2026');
  await submit(staff, staff.getByRole('button', { name: 'Ask the family' }), { status: 422, name: 'ask: no message' });
  assert.deepEqual((await errorSummary(staff)).items,
    [{ text: 'Enter a message to the family saying what the views are for.', href: '#message' }]);
  await staff.locator('#message').fill('Before the meeting with the school, please tell us how this term has gone.');
  await submit(staff, staff.getByRole('button', { name: 'Ask the family' }), { status: 422, name: 'ask: date passed' });
  assert.deepEqual((await errorSummary(staff)).items,
    [{ text: 'The reply-by date must be today or later, and within a year.', href: '#reply_by-day' }]);
  assert.equal(await staff.locator('#message').inputValue(),
    'Before the meeting with the school, please tell us how this term has gone.');
  await staff.locator('#reply_by-day').fill('23');
  await staff.locator('#reply_by-month').fill('11');
  await submit(staff, staff.getByRole('button', { name: 'Ask the family' }), { name: 'asked' });
  assert.match(await staff.locator('.govuk-notification-banner__heading').innerText(), /has been asked for their views/);
  await screenshots(staff, 'views-requests-case');

  // Asked in error: withdrawn, with a reason (required).
  await submit(staff, staff.getByRole('link', { name: /^Withdraw the request/ }).first(), { name: 'withdraw form' });
  await screenshots(staff, 'views-withdraw');
  await submit(staff, staff.getByRole('button', { name: 'Withdraw the request' }), { status: 422, name: 'withdraw: no reason' });
  assert.deepEqual((await errorSummary(staff)).items,
    [{ text: 'Enter why the request is withdrawn.', href: '#reason' }]);
  await staff.locator('#reason').fill('Asked twice: the assessment request is still open.');
  await submit(staff, staff.getByRole('button', { name: 'Withdraw the request' }), { name: 'withdrawn' });
  const withdrawn = await staff.locator('dl[id^="views-request-"]').first().innerText();
  // Dated the server's pinned today (serve --today), not the machine's clock.
  assert.ok(withdrawn.includes(`Withdrawn on ${longDate(TODAY)} by `), withdrawn);
  assert.match(withdrawn, /: Asked twice/);
  assert.match(withdrawn, new RegExp(`Asked on\\s+${longDate(TODAY)} by`));
  await finish(staff);

  // The family: the request at the top of the journey, then the views form.
  const family = await newPage(browser, server.base);
  await signIn(family, 'p.family', DEMO_PASSWORD, { checks: false });
  await visit(family, `/portal/children/${childId}`, { name: 'journey with a request' });
  const banner = await family.locator('#views-asked').innerText();
  assert.ok(banner.includes(`The council has asked for your views by ${longDate(replyBy)}`), banner);
  assert.match(banner, /for the EHC needs assessment/);
  assert.match(banner, /what your child enjoys/);
  assert.doesNotMatch(banner, /Asked twice/); // the withdrawn one is not shown
  await screenshots(family, 'portal-views-asked');
  await submit(family, family.getByRole('link', { name: 'Send your views' }), { name: 'views form answering' });
  assert.match(await family.locator('#answers').innerText(),
    new RegExp(`This answers the council's request for your views for the EHC needs assessment \\(please reply by ${longDate(replyBy)}\\)`));
  await screenshots(family, 'portal-views-answering');
  await family.locator('#views').fill('He likes building things and being outside.\nNoise and queues are hard.');
  await submit(family, family.getByRole('button', { name: 'Send' }), { name: 'views sent' });
  assert.match(await family.locator('.govuk-notification-banner__heading').innerText(), /Your coordinator can now read/);
  assert.equal(await family.locator('#views-asked').count(), 0);
  await finish(family);

  // The coordinator: answered, linked to the views themselves.
  const again = await newPage(browser, server.base);
  await signIn(again, detail.case.coordinator, DEMO_PASSWORD, { checks: false });
  await visit(again, `/cases/${caseId}`, { name: 'case with the request answered' });
  const answered = again.locator('dl[id^="views-request-"]').last();
  const link = answered.getByRole('link', { name: /^Answered on \d+ \w+ \d{4}$/ });
  const href = await link.getAttribute('href');
  assert.match(href, /^#submission-\d+$/);
  assert.match(await again.locator(href).innerText(), /He likes building things/);
  await screenshots(again, 'views-answered-case');
  await finish(again);

  // The e-mails: one per request, nothing personal in them.
  const asked = "FROM portal_outbox WHERE subject = 'The council has asked for your views'";
  assert.equal(sql(`SELECT count(*) ${asked}`), '2');
  assert.doesNotMatch(sql(`SELECT group_concat(body) ${asked}`), new RegExp(`${detail.child.forename}|${detail.child.surname}`));
  // Audited: asked twice (demo and here), withdrawn once, answered once.
  const audit = (await auditEntries(server.db)).filter((e) => e.object === 'views_request');
  const details = audit.map((e) => e.detail);
  assert.equal(details.filter((d) => d.startsWith("family's views asked for")).length, 2, details.join('\n'));
  assert.equal(details.filter((d) => d === "family's views request withdrawn").length, 1);
  assert.equal(details.filter((d) => d.startsWith("family's views request answered by submission")).length, 1);
  assert.ok(audit.every((e) => Number(e.child_id) === Number(childId)));
});

test('people who may not ask are refused, and the family cannot reach the staff forms', async () => {
  const caseId = sql('SELECT case_id FROM views_requests ORDER BY id LIMIT 1');
  const health = await newPage(browser, server.base);
  await signIn(health, server.accounts.health[0], DEMO_PASSWORD, { checks: false });
  await visit(health, `/cases/${caseId}/views-requests/new`, { status: 404, checks: false });
  await finish(health);
  const family = await newPage(browser, server.base);
  await signIn(family, 'p.family', DEMO_PASSWORD, { checks: false });
  await visit(family, `/cases/${caseId}/views-requests/new`, { status: 404, checks: false });
  await finish(family);
});
