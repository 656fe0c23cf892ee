// The EHC plan: a coordinator builds a draft section by section (a need left
// without provision is warned, on its item and in the summary), fixes a
// provision form error, names the setting type, issues the draft (the
// journey records it and opens the family's 15 days), changes the
// provision, issues the final plan, compares the two versions, and exports
// the final plan as a PDF (a tagged PDF with the child's name as text).
// Every new page is checked by axe and the HTML validator.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { errorSummary, finish, launchBrowser, newPage, screenshots, signIn, submit, visit } from './browser.mjs';
import { DEMO_PASSWORD, TODAY, apiToken, startDemo } from './demo.mjs';
import { pdfInfo } from './pdftext.mjs';
import { Session } from './session.mjs';
import { startValidator, stopValidator } from './vnu.mjs';

let server, browser, api;
before(async () => {
  [server, browser] = await Promise.all([startDemo(), launchBrowser(), startValidator()]);
  api = new Session(server.base);
  api.bearer = await apiToken(server.db, server.accounts.manager[0], 'e2e plan');
});
after(async () => {
  await Promise.allSettled([browser?.close(), server?.stop(), stopValidator()]);
  server?.cleanup();
});

const me = () => server.accounts.coordinator[0];

async function getJson(path) {
  const r = await api.get(path);
  assert.equal(r.status, 200, `${path}: ${r.text}`);
  return r.json;
}

async function fillDate(page, name, iso) {
  const [y, m, d] = iso.split('-').map(Number);
  await page.locator(`#${name}-day`).fill(String(d));
  await page.locator(`#${name}-month`).fill(String(m));
  await page.locator(`#${name}-year`).fill(String(y));
}

// From the plan page: "Add ... to section X", fill the text, save.
async function addText(page, section, text, { needs = [], name } = {}) {
  await submit(page, page.locator(`#section-${section} .govuk-summary-card__actions a`),
    { name: name ?? `add to section ${section}`, checks: !!name });
  await page.locator('#text').fill(text);
  for (const n of needs) await page.locator(`input[name="needs"][value="${n}"]`).check();
  await submit(page, page.getByRole('button', { name: 'Save' }), { checks: false });
}

async function warnings(page) {
  const list = page.locator('#plan-warnings li');
  const out = [];
  for (let i = 0; i < await list.count(); i++) out.push((await list.nth(i).innerText()).trim());
  return out;
}

test('a draft plan with a need lacking provision, issued as draft then final, compared and exported', async () => {
  const list = await getJson(`/api/v1/cases?per_page=20&stage=assessment&coordinator=${encodeURIComponent(me())}`);
  assert.ok(list.items.length, 'the coordinator has a case in assessment');
  const c = list.items[0];
  const name = `${c.child.forename} ${c.child.surname}`;
  assert.equal((await getJson(`/api/v1/cases/${c.id}/plan`)).versions.length, 0, 'no plan issued yet');

  const page = await newPage(browser, server.base);
  await signIn(page, me(), DEMO_PASSWORD);
  await visit(page, `/cases/${c.id}`, { checks: false });
  await submit(page, page.getByRole('link', { name: /^EHC plan/ }), { name: 'empty plan' });
  assert.equal(await page.locator('h1').innerText(), 'EHC plan');
  await screenshots(page, 'plan-empty');

  // Section A, two needs in B, a health need in C, outcomes for each.
  await addText(page, 'A', `${c.child.forename} likes trains and wants to work on the railway.`,
    { name: 'add to section A' });
  await addText(page, 'B', 'Reads well below the level expected for their age.', { name: 'add a need' });
  await addText(page, 'B', 'Finds handwriting slow and tiring.');
  await addText(page, 'C', 'Epilepsy, controlled by medication.');
  await addText(page, 'E', 'Will read a familiar book aloud by the end of the key stage.', { needs: ['B1'], name: 'add an outcome' });
  await addText(page, 'E', 'Will write a paragraph independently.', { needs: ['B2'] });
  await addText(page, 'E', 'Will take part safely in every school trip.', { needs: ['C1'] });

  // Provision for B1: first unquantified in the wrong way (an error), then right.
  await submit(page, page.locator('#section-F .govuk-summary-card__actions a'), { name: 'add provision' });
  await page.locator('#text').fill('Daily phonics programme in a group of three.');
  await page.locator('#who').fill('Specialist teacher for literacy');
  await page.locator('#times').fill('three');
  await page.locator('#per').selectOption('week');
  await page.locator('#minutes').fill('30');
  await page.locator('input[name="duration"][value="weeks"]').check();
  await page.locator('#weeks').fill('12');
  await page.locator('input[name="needs"][value="B1"]').check();
  await submit(page, page.getByRole('button', { name: 'Save' }), { status: 422, name: 'provision error' });
  const summary = await errorSummary(page);
  assert.deepEqual(summary.items, [{ text: 'Enter how many times as a number from 1 to 100', href: '#times' }]);
  assert.match(await page.title(), /^Error: /);
  assert.equal(await page.locator('#who').inputValue(), 'Specialist teacher for literacy', 'what was typed is kept');
  assert.ok(await page.locator('input[name="needs"][value="B1"]').isChecked(), 'the link is kept');
  await screenshots(page, 'plan-provision-error');
  await page.locator('#times').fill('3');
  await submit(page, page.getByRole('button', { name: 'Save' }), { name: 'plan with warnings' });

  // Health provision for C1, quantified.
  await submit(page, page.locator('#section-G .govuk-summary-card__actions a'), { checks: false });
  await page.locator('#text').fill('Individual health care plan and rescue medication training for staff.');
  await page.locator('#who').fill('Epilepsy specialist nurse');
  await page.locator('#times').fill('1');
  await page.locator('#per').selectOption('term');
  await page.locator('#minutes').fill('60');
  await page.locator('input[name="duration"][value="review"]').check();
  await page.locator('input[name="needs"][value="C1"]').check();
  await submit(page, page.getByRole('button', { name: 'Save' }), { checks: false });

  // B2 has no provision: warned in the summary and on the need itself.
  assert.deepEqual(await warnings(page), [
    'Need B2 has no provision: link provision in section F to it.',
    'Section I does not name a setting or a type of setting.',
  ]);
  assert.match(await page.locator('#item-B2').innerText(), /Warning\s+Need B2 has no provision/);
  await screenshots(page, 'plan-warnings');

  // Section I: a type of setting, no URN yet (the family may ask for a school).
  await submit(page, page.locator('#item-I a'), { name: 'setting form' });
  await page.locator('input[name="type"][value="mainstream"]').check();
  await submit(page, page.getByRole('button', { name: 'Save' }), { checks: false });
  assert.deepEqual(await warnings(page), ['Need B2 has no provision: link provision in section F to it.']);

  // Issue the draft: recorded on the journey, version 1 kept.
  await fillDate(page, 'issued', TODAY);
  await submit(page, page.getByRole('button', { name: 'Issue the draft plan' }), { name: 'versions after draft' });
  assert.match(await page.locator('.govuk-notification-banner').innerText(), /Version 1 issued/);
  let events = (await getJson(`/api/v1/cases/${c.id}`)).events.map((e) => e.type);
  assert.ok(events.includes('draft_plan_issued'), 'the draft is on the journey');
  assert.equal((await getJson(`/api/v1/cases/${c.id}`)).case.stage, 'draft');
  await screenshots(page, 'plan-versions');

  // After the family's comments: the provision now meets B2 too; issue the final plan.
  await visit(page, `/cases/${c.id}/plan`, { checks: false });
  await submit(page, page.locator('#item-F1 a'), { name: 'change provision' });
  await page.locator('input[name="needs"][value="B2"]').check();
  await page.locator('#times').fill('4');
  await submit(page, page.getByRole('button', { name: 'Save' }), { checks: false });
  assert.deepEqual(await warnings(page), []);
  assert.match(await page.locator('main').innerText(), /No warnings/);
  await fillDate(page, 'issued', TODAY);
  await submit(page, page.getByRole('button', { name: 'Issue the final plan' }), { checks: false });
  events = (await getJson(`/api/v1/cases/${c.id}`)).events.map((e) => e.type);
  assert.ok(events.includes('final_plan_issued'), 'the final plan is on the journey');
  const plan = await getJson(`/api/v1/cases/${c.id}/plan`);
  assert.deepEqual(plan.versions.map((v) => [v.version, v.kind]), [[1, 'draft'], [2, 'final']]);
  assert.equal(plan.next_issue, null, 'nothing more to issue until a review decides to amend');
  const v2 = await getJson(`/api/v1/cases/${c.id}/plan/versions/2`);
  assert.deepEqual(v2.plan.sections.F[0].needs, ['B1', 'B2']);
  assert.equal(v2.plan.sections.I.type, 'mainstream');

  // Compare version 1 with version 2: only F1 changed.
  await page.locator('#from').selectOption('1');
  await page.locator('#to').selectOption('2');
  await submit(page, page.getByRole('button', { name: 'Compare' }), { name: 'compare' });
  const main = await page.locator('main').innerText();
  assert.match(main, /1 change\./);
  assert.match(main, /Section F: Special educational provision/);
  assert.match(main, /3 times a week, 30 minutes each time, for 12 weeks/);
  assert.match(main, /4 times a week, 30 minutes each time, for 12 weeks/);
  assert.match(main, /No changes in sections A, B, C, D, E, G, H1, H2, I, J, K\./);
  await screenshots(page, 'plan-compare');

  // The printable view of version 2 and its PDF.
  await visit(page, `/cases/${c.id}/plan/versions/2`, { name: 'printable plan' });
  assert.match(await page.locator('h1').innerText(), new RegExp(name));
  await screenshots(page, 'plan-print');
  const pdf = await page.request.get(`${server.base}/cases/${c.id}/plan/versions/2/pdf`);
  assert.equal(pdf.status(), 200);
  assert.equal(pdf.headers()['content-type'], 'application/pdf');
  const info = pdfInfo(await pdf.body());
  assert.equal(info.header, '%PDF-');
  assert.ok(info.tagged, 'the PDF is tagged (has a structure tree)');
  assert.ok(info.contains(c.child.forename) && info.contains(c.child.surname),
    'the child\'s name is in the PDF as text');
  await finish(page);
});

test('forms for section K and the printable draft pass axe and the validator', async () => {
  const list = await getJson(`/api/v1/cases?per_page=50&stage=assessment&coordinator=${encodeURIComponent(me())}`);
  const c = list.items[list.items.length - 1];
  const page = await newPage(browser, server.base);
  await signIn(page, me(), DEMO_PASSWORD, { checks: false });
  await visit(page, `/cases/${c.id}/plan/item?section=K&agency=health&date=${TODAY}`, { name: 'advice form' });
  assert.equal(await page.locator('#agency').inputValue(), 'health', 'the agency is carried over');
  await page.locator('#text').fill('Paediatrician: epilepsy well controlled; no restrictions on PE.');
  await submit(page, page.getByRole('button', { name: 'Save' }), { checks: false });
  assert.match(await page.locator('#section-K').innerText(), /Health, received/);
  await visit(page, `/cases/${c.id}/plan/print`, { name: 'printable draft' });
  await visit(page, `/cases/${c.id}/plan/versions`, { name: 'no versions' });
  await finish(page);
});
