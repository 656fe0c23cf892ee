// Area SEND inspections (issue 9): the demo area's last inspection with its
// findings and follow-up dates; a manager recording a 2016-framework
// inspection (the form's messages first), its written statement of action
// due 70 working days after the letter, bank holidays skipped, and adding
// a finding; the improvement plan: actions per area with their RAG status
// and late ones flagged, dashboard measures with their trajectory month by
// month and drawn against their line, a manager linking a measure and adding
// an action and a dated update; a pathway's median wait as a measure (lower
// is better); progress by area for the board with each measure's chart and
// its recorded judgement; the evidence pack's person-level list (children
// educated out of area among them) as CSV and as an XLSX download, each
// audited; an inspector reading without forms. Every page is checked with
// axe and the HTML validator.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, test } from 'node:test';

import { SCREENSHOT_DIR, errorSummary, finish, launchBrowser, newPage, screenshots, signIn, submit, visit } from './browser.mjs';
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

async function fillDate(page, name, iso) {
  const [y, m, d] = iso.split('-').map(Number);
  await page.locator(`#${name}-day`).fill(String(d));
  await page.locator(`#${name}-month`).fill(String(m));
  await page.locator(`#${name}-year`).fill(String(y));
}

// The value of a summary-list row by its key.
async function row(page, key) {
  return (await page.locator('.govuk-summary-list__row', { has: page.locator('dt', { hasText: key }) })
    .locator('dd').innerText()).trim();
}

test('the demo\'s inspection: widespread failings, what happens next, the findings', async () => {
  const page = await newPage(browser, server.base);
  await signIn(page, server.accounts.manager[0], DEMO_PASSWORD);
  await visit(page, '/inspections');
  await screenshots(page, 'inspections');
  // Published 120 days before the demo's today (2 November 2026), moved to
  // a working day: Monday 6 July 2026.
  await submit(page, page.getByRole('link', { name: '6 July 2026' }));
  assert.equal(await page.locator('h1').innerText(), 'Inspection published 6 Jul 2026');
  assert.equal(await row(page, 'Outcome'), 'Widespread and/or systemic failings');
  assert.equal(await row(page, 'Priority action plan due'), '25 August 2026');
  assert.equal(await row(page, 'Monitoring inspection expected by'), '6 January 2028');
  assert.equal(await row(page, 'Next full inspection expected by'), '6 July 2029');
  const findings = page.locator('main');
  assert.match(await findings.innerText(), /Area for priority action \(2\)/);
  assert.match(await findings.innerText(), /Waiting times for neurodevelopmental assessment/);
  await screenshots(page, 'inspection');
  await finish(page);
});

test('a manager records a 2016 inspection and its findings', async () => {
  const page = await newPage(browser, server.base);
  await signIn(page, server.accounts.manager[0], DEMO_PASSWORD);
  await visit(page, '/inspections');
  await submit(page, page.getByRole('button', { name: 'Record an inspection' }));
  // Nothing chosen: every required answer has its message.
  await submit(page, page.getByRole('button', { name: 'Record the inspection' }), { status: 422 });
  const errs = await errorSummary(page);
  assert.deepEqual(errs.items.map((i) => i.href), ['#framework', '#outcome', '#started_on-day',
    '#ended_on-day', '#published_on-day']);
  // An outcome of the other framework is refused and nothing typed is lost.
  await page.getByLabel('Local area SEND inspection (2016 framework)').check();
  await page.getByLabel('Widespread and/or systemic failings').check();
  await fillDate(page, 'started_on', '2019-01-14');
  await fillDate(page, 'ended_on', '2019-01-18');
  await fillDate(page, 'published_on', '2019-03-04');
  await fillDate(page, 'accepted_on', '2019-09-02');
  await submit(page, page.getByRole('button', { name: 'Record the inspection' }), { status: 422 });
  assert.match((await errorSummary(page)).text, /Select an outcome of the 2016 framework/);
  assert.equal(await page.locator('#published_on-month').inputValue(), '3');
  await page.getByLabel('Significant weaknesses: written statement of action required').check();
  await submit(page, page.getByRole('button', { name: 'Record the inspection' }));
  assert.match(await page.locator('.govuk-notification-banner').innerText(), /Inspection recorded/);
  // 70 working days from Monday 4 March 2019 skip Good Friday, Easter Monday
  // and both May bank holidays: Friday 14 June 2019.
  assert.equal(await row(page, 'Written statement of action due'), '14 June 2019');
  assert.equal(await row(page, 'Revisit expected by'), '2 March 2021');
  // 2016 reports have no areas for priority action.
  assert.equal(await page.getByLabel('Area for priority action').count(), 0);
  await submit(page, page.getByRole('button', { name: 'Add the finding' }), { status: 422 });
  assert.deepEqual((await errorSummary(page)).items.map((i) => i.href), ['#kind', '#title', '#wording']);
  await page.getByLabel('Area of significant weakness').check();
  await page.locator('#title').fill('Co-production with families');
  await page.locator('#wording').fill('Leaders have not worked with parents and carers to\nplan services.');
  await submit(page, page.getByRole('button', { name: 'Add the finding' }));
  assert.match(await page.locator('.govuk-notification-banner').innerText(), /Finding recorded/);
  assert.match(await page.locator('main').innerText(), /Area of significant weakness \(1\)\s+Co-production with families/);
  await screenshots(page, 'inspection-2016');
  await finish(page);
});

test('the improvement plan: actions per area, done and late, measures on their line; a manager links a measure, adds an action and an update', async () => {
  const page = await newPage(browser, server.base);
  await signIn(page, server.accounts.manager[0], DEMO_PASSWORD);
  await visit(page, '/inspections/1');
  assert.match(await page.locator('main').innerText(), /4 actions: 1 done, 1 late\./);
  await submit(page, page.getByRole('link', { name: 'Open the improvement plan' }));
  const waits = page.getByRole('region', { name: 'Actions for Waiting times for neurodevelopmental assessment' });
  const clinic = waits.locator('tr', { hasText: 'Extra autism assessment clinics' });
  assert.match(await clinic.innerText(), /Off track\s+Late/);
  const timely = page.getByRole('region', { name: 'Actions for Timeliness and quality of EHC plans' });
  assert.match(await timely.locator('tr', { hasText: 'Weekly multi-agency panel' }).innerText(), /Done/);
  assert.doesNotMatch(await timely.locator('tr', { hasText: 'Weekly multi-agency panel' }).innerText(), /Late/);
  assert.match(await page.locator('main').innerText(), /Annual reviews\s+No action is planned for this area yet/);
  // The demo links "% of new EHC plans issued within 20 weeks" to the first
  // area, from its value in the report's month to 60% a year on.
  const main = await page.locator('main').innerText();
  assert.match(main, /% of new EHC plans issued within 20 weeks\s+Baseline\s+\d+\.\d% in Jul 2026\s+Target\s+60\.0% by 6 Jul 2027/);
  assert.match(main, /Latest\s+\d+\.\d% in Oct 2026 \(the line expects \d+\.\d%\)\s+Trajectory\s+(On|Off) track (Improving|No change|Worsening) since the baseline/);
  // Each measure is drawn against its line to the target, the table beside it.
  const chart = page.getByRole('img', { name: '% of new EHC plans issued within 20 weeks against its line to the target' });
  assert.equal(await chart.count(), 1);
  assert.equal(await chart.locator('polyline').count(), 2, 'the actual values and the line');
  await page.locator('summary', { hasText: 'Month by month' }).first().click();
  const months = page.getByRole('region', { name: '% of new EHC plans issued within 20 weeks, month by month' });
  assert.deepEqual((await months.locator('tbody th').allInnerTexts()).map((t) => t.trim()),
    ['Jul 2026', 'Aug 2026', 'Sep 2026', 'Oct 2026']);
  await screenshots(page, 'inspection-plan');

  // Link a measure: a target below the baseline is refused.
  await page.locator('#m_finding').selectOption({ label: 'Annual reviews' });
  await page.getByLabel('% of decisions whether to assess made within 6 weeks').check();
  await fillDate(page, 'baseline_on', '2026-08-01');
  await page.locator('#target').fill('0');
  await fillDate(page, 'target_on', '2027-08-31');
  await submit(page, page.getByRole('button', { name: 'Link the measure' }), { status: 422 });
  assert.match((await errorSummary(page)).text, /The target must be at least the baseline/);
  await page.locator('#target').fill('95');
  await submit(page, page.getByRole('button', { name: 'Link the measure' }));
  assert.match(await page.locator('.govuk-notification-banner').innerText(), /Measure linked/);
  assert.match(await page.locator('main').innerText(),
    /Annual reviews[\s\S]*% of decisions whether to assess made within 6 weeks\s+Baseline\s+\d+\.\d% in Aug 2026\s+Target\s+95\.0% by 31 Aug 2027/);

  // An action under "Annual reviews", due before it starts: refused, kept.
  await page.locator('#finding_id').selectOption({ label: 'Annual reviews' });
  await page.locator('#title').fill('Review officers triage every overdue review');
  await page.locator('#owner_name').fill('Annual review team manager');
  await page.getByLabel('Council').check();
  await fillDate(page, 'due_on', '2026-10-01');
  await submit(page, page.getByRole('button', { name: 'Add the action' }), { status: 422 });
  assert.deepEqual((await errorSummary(page)).items.map((i) => i.href), ['#due_on-day']);
  assert.equal(await page.locator('#owner_name').inputValue(), 'Annual review team manager');
  await fillDate(page, 'due_on', '2027-02-26');
  await submit(page, page.getByRole('button', { name: 'Add the action' }));
  assert.match(await page.locator('.govuk-notification-banner').innerText(), /Action recorded/);
  const reviews = page.getByRole('region', { name: 'Actions for Annual reviews' });
  assert.match(await reviews.innerText(), /Review officers triage every overdue review[\s\S]*Not started/);

  await submit(page, reviews.getByRole('link', { name: 'Review officers triage every overdue review' }));
  await page.getByLabel('On track').check();
  await page.locator('#note').fill('Triage list agreed.\nEvidence: board paper, 2 November.');
  await submit(page, page.getByRole('button', { name: 'Add the update' }));
  assert.match(await page.locator('.govuk-notification-banner').innerText(), /Update recorded/);
  assert.equal(await row(page, 'Status'), 'On track');
  assert.match(await page.locator('main').innerText(), /2 November 2026: On track\s+Triage list agreed\.\nEvidence: board paper/);
  await screenshots(page, 'inspection-action');
  await finish(page);
});

test('a median wait measure: lower is better, linked from a pathway, drawn against its line', async () => {
  const page = await newPage(browser, server.base);
  await signIn(page, server.accounts.manager[0], DEMO_PASSWORD);
  await visit(page, '/inspections/1/plan');
  // The demo links the autism pathway's median wait to the waiting-times area.
  const main = await page.locator('main').innerText();
  assert.match(main, /Autism assessment \(under 18\) wait, median \(weeks\)\s+Baseline\s+\d+\.\d weeks in Jul 2026\s+Target\s+\d+\.\d weeks by 6 Jul 2027/);
  const [, base, target] = main.match(/Autism assessment \(under 18\) wait, median \(weeks\)\s+Baseline\s+(\d+\.\d) weeks in Jul 2026\s+Target\s+(\d+\.\d) weeks/);
  assert.ok(Number(target) < Number(base), `target ${target} below baseline ${base}`);
  // A wait's target above its baseline is refused; the form keeps what was typed.
  await page.locator('#m_finding').selectOption({ label: 'Communication with families' });
  await page.getByLabel('ADHD assessment wait, median (weeks)').check();
  await fillDate(page, 'baseline_on', '2026-09-15');
  await page.locator('#target').fill('999');
  await fillDate(page, 'target_on', '2027-09-30');
  await submit(page, page.getByRole('button', { name: 'Link the measure' }), { status: 422 });
  assert.match((await errorSummary(page)).text, /The target must be at most the baseline, \d+\.\d weeks/);
  assert.equal(await page.getByLabel('ADHD assessment wait, median (weeks)').isChecked(), true);
  await page.locator('#target').fill('12.5');
  await submit(page, page.getByRole('button', { name: 'Link the measure' }));
  assert.match(await page.locator('.govuk-notification-banner').innerText(), /Measure linked/);
  const linked = await page.locator('main').innerText();
  assert.match(linked, /ADHD assessment wait, median \(weeks\)\s+Baseline\s+\d+\.\d weeks in Sep 2026\s+Target\s+12\.5 weeks by 30 Sep 2027\s+Latest\s+\d+\.\d weeks in Oct 2026 \(the line expects \d+\.\d weeks\)\s+Trajectory\s+(On|Off) track/);
  const chart = page.getByRole('img', { name: 'ADHD assessment wait, median (weeks) against its line to the target' });
  assert.match(await chart.locator('desc').textContent(), /Lower is better/);
  await visit(page, '/inspections/1/progress');
  const table = page.getByRole('region', { name: 'Progress by area' });
  assert.match(await table.locator('tr', { hasText: 'Communication with families' }).innerText(), /[01] of 1/);
  // Every linked measure is drawn: the demo's three, this test's, and the
  // plan test's when it has run.
  assert.ok(await page.getByRole('img', { name: /against its line to the target/ }).count() >= 4);
  await page.getByRole('heading', { name: 'Measures against their line' }).scrollIntoViewIfNeeded();
  await screenshots(page, 'inspection-progress-charts');
  // One chart up close, to look at its lines and legend.
  await page.getByRole('img', { name: /^Autism assessment .* against its line/ })
    .screenshot({ path: join(SCREENSHOT_DIR, 'inspection-measure-chart.png') });
  await finish(page);
});

test('progress for the board: per area, actions and measures; the board records its judgement', async () => {
  const page = await newPage(browser, server.base);
  await signIn(page, server.accounts.manager[0], DEMO_PASSWORD);
  await visit(page, '/inspections/1');
  await submit(page, page.getByRole('link', { name: 'see progress for the board' }));
  const table = page.getByRole('region', { name: 'Progress by area' });
  const rowOf = async (area) => (await table.locator('tr', { hasText: area }).innerText()).split('\t').map((c) => c.trim());
  const timely = await rowOf('Timeliness and quality of EHC plans');
  assert.deepEqual(timely.slice(1, 3), ['1 of 2', '0']);
  assert.match(timely[3], /^[01] of 1$/);
  const waits = await rowOf('Waiting times for neurodevelopmental assessment');
  assert.deepEqual(waits.slice(1, 3), ['0 of 1', '1']);
  assert.match(waits[3], /^[01] of 1$/, 'the autism wait is linked');
  // The demo board found progress insufficient 20 days before today.
  assert.match(await page.locator('main').innerText(), /13 October 2026: Insufficient progress\s+Two of four actions are behind/);
  await submit(page, page.getByRole('button', { name: 'Record the judgement' }), { status: 422 });
  assert.deepEqual((await errorSummary(page)).items.map((i) => i.href), ['#sufficient', '#reasons']);
  await page.getByLabel('Sufficient progress', { exact: true }).check();
  await page.locator('#reasons').fill('The clinics recovery plan is in place.\nTimeliness is rising.');
  await submit(page, page.getByRole('button', { name: 'Record the judgement' }));
  assert.match(await page.locator('.govuk-notification-banner').innerText(), /Judgement recorded/);
  assert.match(await page.locator('main').innerText(), /2 November 2026: Sufficient progress\s+The clinics recovery plan is in place\.\nTimeliness is rising\.\s+Recorded by m\.manager/);
  await screenshots(page, 'inspection-progress');
  await finish(page);
});

test('the evidence pack: the person-level list with children educated out of area, as CSV and XLSX, each export audited', async () => {
  const page = await newPage(browser, server.base);
  await signIn(page, server.accounts.inspector[0], DEMO_PASSWORD);
  await visit(page, '/inspections');
  await submit(page, page.getByRole('link', { name: 'evidence pack' }));
  assert.equal(await page.locator('h1').innerText(), 'Evidence pack');
  const shown = (await page.locator('main strong').first().innerText()).split(' ')[0];
  assert.match(shown, /^\d{1,3}(,\d{3})*$/, 'the count is written as GOV.UK writes numbers');
  const count = Number(shown.replaceAll(',', ''));
  assert.ok(count > 100, `the demo area has hundreds of open cases (${count})`);
  await screenshots(page, 'inspection-evidence');
  const csvLink = page.getByRole('link', { name: `Download the person-level list (CSV, ${shown} rows)` });
  const res = await page.request.get(await csvLink.getAttribute('href'));
  assert.equal(res.status(), 200);
  assert.match(res.headers()['content-type'], /^text\/csv/);
  const lines = (await res.text()).trim().split('\r\n');
  assert.equal(lines[0], ['case_id', 'forename', 'surname', 'date_of_birth', 'upn', 'primary_need',
    'plan_status', 'setting_urn', 'setting_name', 'setting_phase', 'in_or_out_of_area', 'setting_la',
    'request_date', 'decision_date', 'final_plan_date', 'last_review_date', 'coordinator']
    .map((c) => `"${c}"`).join(','));
  const rows = lines.slice(1).map((l) => l.slice(1, -1).split('","'));
  assert.equal(rows.length, count, 'as many rows as the page says');
  // Open cases first, one row each; then the other children with SEND
  // recorded (SEN support, or a closed journey), without a case.
  const cases = rows.filter((r) => r[0]);
  const others = rows.slice(cases.length);
  assert.ok(cases.length > 100 && others.length > 100, `${cases.length} cases, ${others.length} others`);
  assert.equal(new Set(cases.map((r) => r[0])).size, cases.length, 'one row per case');
  assert.ok(others.every((r) => !r[0] && r[6] === 'No open EHC needs assessment or plan' && !r[12] && !r[16]));
  assert.ok(rows.every((r) => !['Plan ceased', 'Assessment refused', 'No plan issued'].includes(r[6])),
    'a closed journey is not an open case');
  assert.ok(rows.every((r) => r[5]), 'every row has its primary need');
  // A few percent are educated out of area, in another authority's setting.
  const away = rows.filter((r) => r[10] === 'Out of area');
  assert.ok(away.length > 0.01 * count && away.length < 0.1 * count, `${away.length} of ${count} out of area`);
  assert.ok(away.every((r) => r[11] !== '990' && /^\d{3}$/.test(r[11]) && r[8] && r[7]));
  assert.ok(rows.filter((r) => r[10] === 'In area').every((r) => r[11] === '990'));
  // Plans in place (not transferred in) have their request, decision and
  // final plan dates in order; most have had an annual review.
  const plans = rows.filter((r) => r[6] === 'Plan in place' && r[12]);
  assert.ok(plans.length > 50);
  assert.ok(plans.every((r) => /^\d{4}-\d\d-\d\d$/.test(r[14])), JSON.stringify(plans.find((r) => !r[14])));
  assert.ok(plans.filter((r) => r[13]).every((r) => r[13] <= r[14] && r[12] <= r[13]));
  assert.ok(plans.filter((r) => /^\d{4}-/.test(r[15])).length > plans.length / 2);
  assert.ok(rows.filter((r) => r[4]).every((r) => /^[A-Z]\d{11}[0-9A-Z]$/.test(r[4])), 'UPNs');

  // The workbook, downloaded as a person would: a ZIP (XLSX) with a row per child.
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('link', { name: `Download the person-level list (XLSX, ${shown} rows)` }).click(),
  ]);
  assert.equal(download.suggestedFilename(), 'sendhub-person-level-list.xlsx');
  const xlsx = Buffer.concat(await (await download.createReadStream()).toArray());
  assert.equal(xlsx.subarray(0, 4).toString('binary'), 'PK\x03\x04', 'a ZIP container');
  assert.ok(xlsx.length > 20000, `${xlsx.length} bytes`);
  await visit(page, '/audit?action=export');
  const audit = await page.locator('main').innerText();
  assert.match(audit, new RegExp(`evidence_list[\\s\\S]*XLSX, ${count} children`));
  assert.match(audit, new RegExp(`evidence_list[\\s\\S]*CSV, ${count} children`));
  await finish(page);
});

test('an inspector reads inspections without forms', async () => {
  const page = await newPage(browser, server.base);
  await signIn(page, server.accounts.inspector[0], DEMO_PASSWORD);
  await visit(page, '/inspections');
  assert.equal(await page.getByRole('button', { name: 'Record an inspection' }).count(), 0);
  await submit(page, page.getByRole('link', { name: '6 July 2026' }));
  assert.equal(await page.getByRole('button', { name: 'Add the finding' }).count(), 0);
  await submit(page, page.getByRole('link', { name: 'Open the improvement plan' }));
  assert.equal(await page.getByRole('button', { name: 'Add the action' }).count(), 0);
  await submit(page, page.getByRole('link', { name: 'Extra autism assessment clinics on Saturdays' }));
  assert.equal(await page.getByRole('button', { name: 'Add the update' }).count(), 0);
  await visit(page, '/inspections/1/progress');
  assert.equal(await page.getByRole('button', { name: 'Record the judgement' }).count(), 0);
  await visit(page, '/inspections/new', { status: 403 });
  await finish(page);
});
