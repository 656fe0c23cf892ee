// Health waiting lists (issue 5): a health practitioner triages a referral
// and records first contact; the EHC coordinator sees the wait on the
// child's record; the pathway dashboard with its what-if; a new referral;
// an administrator changes a pathway's capacity. Every page is checked by
// axe-core and the HTML validator (visit/submit), and screenshotted at 1280
// and 375 px.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { errorSummary, finish, launchBrowser, longDate, newPage, screenshots, signIn, submit, visit } from './browser.mjs';
import { DEMO_PASSWORD, TODAY, apiToken, startDemo } from './demo.mjs';
import { Session } from './session.mjs';
import { startValidator, stopValidator } from './vnu.mjs';

let server, browser, health, manager;
before(async () => {
  [server, browser] = await Promise.all([startDemo(), launchBrowser(), startValidator()]);
  health = new Session(server.base);
  health.bearer = await apiToken(server.db, server.accounts.health[0], 'e2e health');
  manager = new Session(server.base);
  manager.bearer = await apiToken(server.db, server.accounts.manager[0], 'e2e health manager');
});
after(async () => {
  await Promise.allSettled([browser?.close(), server?.stop(), stopValidator()]);
  server?.cleanup();
});

async function getJson(session, path) {
  const r = await session.get(path);
  assert.equal(r.status, 200, `${path}: ${r.text.slice(0, 300)}`);
  return r.json;
}

async function fillDate(page, name, iso) {
  const [y, m, d] = iso.split('-').map(Number);
  await page.locator(`#${name}-day`).fill(String(d));
  await page.locator(`#${name}-month`).fill(String(m));
  await page.locator(`#${name}-year`).fill(String(y));
}

async function pathway(code) {
  const p = (await getJson(health, '/api/v1/pathways')).items.find((x) => x.code === code);
  assert.ok(p, `the demo has the ${code} pathway`);
  return p;
}

// A referral on the list not yet triaged, for a child with an EHC case.
async function pendingReferralWithCase(p) {
  for (let page = 1; page <= 20; page++) {
    const list = await getJson(health, `/api/v1/pathways/${p.id}/waiting-list?per_page=200&page=${page}`);
    for (const r of list.items.filter((x) => x.triage === 'pending')) {
      const cases = await getJson(manager, `/api/v1/cases?per_page=1&child_id=${r.child_id}`);
      if (cases.total > 0) return { referral: r, caseId: cases.items[0].id };
    }
    if (page * 200 >= list.total) break;
  }
  throw new Error(`no pending referral to ${p.code} for a child with a case`);
}

function healthRow(page, name) {
  return page.locator('#health ~ div table tbody tr', { hasText: name });
}

test('a health practitioner triages and records first contact; the coordinator sees the wait', async () => {
  const slt = await pathway('slt');
  const { referral, caseId } = await pendingReferralWithCase(slt);
  const hp = await newPage(browser, server.base);
  await signIn(hp, server.accounts.health[0], DEMO_PASSWORD);
  await visit(hp, '/pathways');
  await screenshots(hp, 'pathways');
  await visit(hp, `/pathways/${slt.id}/waiting-list`);
  await screenshots(hp, 'waiting-list');
  await visit(hp, `/referrals/${referral.id}`);
  assert.equal(await hp.locator('h1').innerText(), `${referral.forename} ${referral.surname}`);
  assert.match(await hp.locator('#wait').innerText(), /Place in queue: \d+ of \d+/);
  await screenshots(hp, 'referral');

  // Only triage (and pausing, discharge) can happen before triage.
  const steps = await hp.locator('input[name="step"]').evaluateAll((els) => els.map((e) => e.value));
  assert.deepEqual(steps, ['triage', 'clock_stop', 'discharge']);
  const record = hp.getByRole('button', { name: 'Record it' });
  await submit(hp, record, { status: 422, name: 'referral: nothing chosen' });
  assert.deepEqual((await errorSummary(hp)).items, [{ text: 'Select what happened', href: '#step' }]);
  await screenshots(hp, 'referral-error');

  // Rejected without a reason: the rule is the app's, the message is kept on the form.
  await hp.locator('input[name="step"][value="triage"]').check();
  await fillDate(hp, 'date', TODAY);
  await hp.locator('input[name="triage"][value="rejected"]').check();
  await submit(hp, record, { status: 422, name: 'referral: rejected without reason' });
  assert.deepEqual((await errorSummary(hp)).items,
    [{ text: 'Enter why the referral was rejected.', href: '#reason' }]);
  assert.equal((await getJson(health, `/api/v1/referrals/${referral.id}`)).triage, 'pending', 'nothing was saved');

  await hp.locator('input[name="triage"][value="accepted"]').check();
  await submit(hp, record, { name: 'referral: accepted' });
  assert.match(await hp.locator('.govuk-notification-banner--success').innerText(), /Triage decision recorded/);
  const accepted = await getJson(health, `/api/v1/referrals/${referral.id}`);
  assert.equal(accepted.triage, 'accepted');
  assert.equal(accepted.triage_date, TODAY);

  // The coordinator sees the child waiting, with a place in the queue and an estimate.
  const co = await newPage(browser, server.base);
  await signIn(co, server.accounts.coordinator[0], DEMO_PASSWORD);
  await visit(co, `/cases/${caseId}`);
  const row = healthRow(co, 'Speech and language therapy');
  assert.equal(await row.count(), 1, 'the record lists the referral once');
  const waiting = await row.innerText();
  assert.match(waiting, /Waiting/);
  assert.match(waiting, new RegExp(`${Math.floor(accepted.wait_days / 7)} weeks?`));
  assert.match(waiting, /\d+ of \d+/);
  assert.ok(waiting.includes(longDate(accepted.estimated_seen)), `the estimate is shown: ${waiting}`);
  await screenshots(co, 'case-health-waits');

  // First contact today: the wait is over.
  await hp.locator('input[name="step"][value="first_contact"]').check();
  await fillDate(hp, 'date', TODAY);
  await submit(hp, record, { name: 'referral: first contact' });
  assert.match(await hp.locator('.govuk-notification-banner--success').innerText(), /First contact recorded/);
  assert.match(await hp.locator('#wait').innerText(), new RegExp(`Seen on ${longDate(TODAY)}`));
  await screenshots(hp, 'referral-seen');

  await visit(co, `/cases/${caseId}`);
  const seen = await healthRow(co, 'Speech and language therapy').innerText();
  assert.match(seen, /Seen/);
  assert.match(seen, new RegExp(`${Math.floor(accepted.wait_days / 7)} weeks?`));
  assert.doesNotMatch(seen, /\d+ of \d+/, 'no place in a queue once seen');
  await finish(hp);
  await finish(co);
});

test('the pathway dashboard: bands, percentiles, trend and the what-if', async () => {
  const autism = await pathway('autism');
  const page = await newPage(browser, server.base);
  await signIn(page, server.accounts.manager[0], DEMO_PASSWORD);
  await visit(page, `/pathways/${autism.id}`);
  const stats = await getJson(manager, `/api/v1/pathways/${autism.id}/stats`);
  const text = await page.locator('main').innerText();
  assert.match(text, new RegExp(`Children waiting\\s+${stats.waiting.count}`));
  assert.ok(stats.waiting.bands.over_52 > 0, 'the demo has autism waits over a year');
  assert.match(text, /over 52 weeks/);
  assert.equal(await page.locator('caption', { hasText: 'Trend by month' }).count(), 1);
  assert.equal(await page.getByRole('link', { name: /children on the waiting list/ }).count(), 0,
    'a SEND manager sees counts, not the list of children');
  await screenshots(page, 'pathway-dashboard');

  await page.locator('#extra').fill('lots');
  await submit(page, page.getByRole('button', { name: 'Show the forecast' }), { status: 422, name: 'what-if: not a number' });
  assert.deepEqual((await errorSummary(page)).items,
    [{ text: 'Extra capacity must be a whole number from 0 to 1000', href: '#extra' }]);
  await page.locator('#extra').fill('5');
  await submit(page, page.getByRole('button', { name: 'Show the forecast' }), { name: 'what-if: 5 more' });
  const whatIf = await page.locator('#what-if').innerText();
  const more = await getJson(manager, `/api/v1/pathways/${autism.id}/stats?extra=5`);
  assert.match(whatIf, new RegExp(`With 5 more seen a week, a routine referral made today would be seen about ${longDate(more.forecast.extra_new_routine_seen)}`));
  assert.ok(more.forecast.extra_new_routine_seen < more.forecast.new_routine_seen, 'more capacity, sooner');
  await screenshots(page, 'pathway-what-if');
  await finish(page);
});

test('a new referral by NHS number; an administrator changes a pathway', async () => {
  const ot = await pathway('ot');
  const child = (await getJson(manager, '/api/v1/children?per_page=5&name=a')).items.find((c) => c.nhs_number);
  const hp = await newPage(browser, server.base);
  await signIn(hp, server.accounts.health[0], DEMO_PASSWORD);
  await visit(hp, '/referrals/new');
  await screenshots(hp, 'referral-new');
  const save = hp.getByRole('button', { name: 'Record the referral' });
  await submit(hp, save, { status: 422, name: 'new referral: empty' });
  assert.deepEqual((await errorSummary(hp)).items.map((i) => i.href),
    ['#nhs_number', '#pathway', '#referrer', '#referral_date-day']);
  await screenshots(hp, 'referral-new-errors');
  await hp.locator('#nhs_number').fill(child.nhs_number);
  await hp.locator('#pathway').selectOption(String(ot.id));
  await hp.locator('#referrer').fill('School SENCo');
  await fillDate(hp, 'referral_date', TODAY);
  await submit(hp, save, { name: 'new referral' });
  const m = /^\/referrals\/(\d+)$/.exec(new URL(hp.url()).pathname);
  assert.ok(m, `lands on the referral: ${hp.url()}`);
  const made = await getJson(health, `/api/v1/referrals/${m[1]}`);
  assert.deepEqual([made.child_id, made.pathway, made.referral_date, made.triage, made.waiting],
    [child.id, 'ot', TODAY, 'pending', true]);

  // A provider's extract pasted in: a bad line stops the whole import.
  const header = 'nhs_number,pathway,referrer,referral_date,priority,triage,triage_date,triage_reason,' +
    'first_contact,assessment_started,assessment_completed,outcome,outcome_code,discharged';
  const good = `${child.nhs_number},physio,GP,${TODAY},,,,,,,,,,`;
  await visit(hp, '/referrals/import');
  await hp.locator('#csv').fill([header, good, `${child.nhs_number},physio,GP,${TODAY},whenever,,,,,,,,,`].join('\n'));
  const importButton = hp.getByRole('button', { name: 'Import the referrals' });
  await submit(hp, importButton, { status: 422, name: 'import: a bad line' });
  assert.deepEqual((await errorSummary(hp)).items,
    [{ text: '1 line of the file is wrong, so nothing was imported.', href: '#csv' }]);
  const report = await hp.locator('#import-report tbody tr').allInnerTexts();
  assert.deepEqual(report.map((r) => r.split('\t').map((c) => c.trim())),
    [['3', 'priority', 'priority must be routine or urgent.']]);
  await screenshots(hp, 'referral-import-errors');
  await hp.locator('#csv').fill([header, good].join('\n'));
  await submit(hp, importButton, { name: 'import: corrected' });
  assert.match(await hp.locator('.govuk-notification-banner--success').innerText(), /1 referral recorded/);
  await finish(hp);

  const admin = await newPage(browser, server.base);
  await signIn(admin, server.accounts.admin[0], DEMO_PASSWORD);
  await visit(admin, `/pathways/${ot.id}/edit`);
  await screenshots(admin, 'pathway-edit');
  await admin.locator('#capacity').fill('lots');
  await submit(admin, admin.getByRole('button', { name: 'Save' }), { status: 422, name: 'pathway: bad capacity' });
  assert.deepEqual((await errorSummary(admin)).items,
    [{ text: 'Enter the capacity as a whole number from 0 to 10000', href: '#capacity' }]);
  await admin.locator('#capacity').fill('12');
  await submit(admin, admin.getByRole('button', { name: 'Save' }), { name: 'pathway: capacity 12' });
  assert.equal(new URL(admin.url()).pathname, `/pathways/${ot.id}`);
  assert.equal((await pathway('ot')).capacity_per_week, 12);
  await finish(admin);
});
