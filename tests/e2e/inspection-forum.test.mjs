// The parent carer forum in the improvement plan (issue 9, co-production):
// a forum member signs in to the inspections, reads the demo plan and its
// progress, finds the forum's earlier comments and the council's reply,
// is told what is wrong with an empty or too long comment (GOV.UK error
// summary, nothing lost), comments on an action, and reaches no child: no
// record, no caseload, no person-level list, no dashboard, no form to change
// the plan. A manager then sees the comment on the action and in the
// progress view and replies; an administrator adds a forum member, whose
// account needs the forum's name. Every page is checked with axe and the
// HTML validator.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { errorSummary, finish, launchBrowser, newPage, screenshots, signIn, submit, visit } from './browser.mjs';
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

const ACTION = 'Extra autism assessment clinics on Saturdays';
const COMMENT = 'Families asked at the November coffee morning when the clinics restart.';

test('a forum member reads the plan and comments on an action', async () => {
  const page = await newPage(browser, server.base);
  await signIn(page, server.accounts.forum[0], DEMO_PASSWORD);
  // their start page is the inspections; the only item in the navigation
  assert.equal(new URL(page.url()).pathname, '/inspections');
  const nav = (await page.locator('.govuk-service-navigation__list a').allInnerTexts()).map((t) => t.trim());
  assert.deepEqual(nav, ['Inspections']);
  assert.equal(await page.getByRole('link', { name: 'Download the person-level list (CSV)' }).count(), 0);
  assert.equal(await page.getByRole('button', { name: 'Record an inspection' }).count(), 0);
  await screenshots(page, 'forum-inspections');

  await submit(page, page.getByRole('link', { name: '6 July 2026' }));
  assert.equal(await page.getByRole('button', { name: 'Add the finding' }).count(), 0);
  await submit(page, page.getByRole('link', { name: 'Open the improvement plan' }));
  assert.equal(await page.getByRole('button', { name: 'Add the action' }).count(), 0);
  assert.equal(await page.getByRole('button', { name: 'Link the measure' }).count(), 0);
  await screenshots(page, 'forum-plan');

  await submit(page, page.getByRole('link', { name: ACTION }));
  assert.equal(await page.getByRole('button', { name: 'Add the update' }).count(), 0);
  const main = page.locator('main');
  // the demo's comment from the forum and the council's reply, in order
  assert.match(await main.innerText(),
    /F\. Forum, Northfield Parent Carer Forum \(synthetic\) \(Parent carer forum member\), 25 October 2026\s+Families at our last coffee morning[\s\S]*M\. Manager, Northfield SEND Service \(synthetic\) \(SEND manager\)/);

  // an empty comment, then one too long: the summary names the field
  await submit(page, page.getByRole('button', { name: 'Add your comment' }), { status: 422, name: 'empty comment' });
  let errs = await errorSummary(page);
  assert.deepEqual(errs.items.map((i) => [i.text, i.href]), [['Enter your comment', '#comment']]);
  const long = 'x'.repeat(2001);
  await page.locator('#comment').fill(long);
  await submit(page, page.getByRole('button', { name: 'Add your comment' }), { status: 422, name: 'long comment' });
  errs = await errorSummary(page);
  assert.equal(errs.items.length, 1);
  assert.equal(errs.items[0].href, '#comment');
  assert.match(errs.items[0].text, /2000/);
  assert.equal(await page.locator('#comment').inputValue(), long, 'what was typed is kept');
  await screenshots(page, 'forum-comment-error');

  await page.locator('#comment').fill(COMMENT);
  await submit(page, page.getByRole('button', { name: 'Add your comment' }), { name: 'comment' });
  assert.match(await page.locator('.govuk-notification-banner').innerText(), /Comment added/);
  assert.match(await main.innerText(), new RegExp(`F\\. Forum, Northfield Parent Carer Forum \\(synthetic\\) \\(Parent carer forum member\\), \\d{1,2} \\w+ \\d{4}\\s+${COMMENT}`));
  await screenshots(page, 'forum-action');

  await visit(page, '/inspections/1/progress');
  assert.equal(await page.getByRole('button', { name: 'Record the judgement' }).count(), 0);
  assert.match(await main.innerText(), /What the parent carer forum says/);
  assert.match(await main.innerText(), new RegExp(COMMENT));
  await screenshots(page, 'forum-progress');
  await finish(page);
});

test('a forum member reaches no child and changes nothing', async () => {
  const page = await newPage(browser, server.base);
  await signIn(page, server.accounts.forum[0], DEMO_PASSWORD);
  const denied = (r) => assert.ok([403, 404].includes(r.status()), `status ${r.status()}`);
  for (const path of ['/cases/1', '/caseload', '/inspections/evidence.csv', '/dashboard',
    '/dashboard/cases?figure=active&period=now', '/advice', '/reviews', '/team', '/audit',
    '/portal', '/portal/children/1', '/inspections/new', '/people']) {
    denied(await page.request.get(path, { maxRedirects: 0 }));
  }
  const csrf = await page.locator('input[name="csrf"]').first().getAttribute('value');
  for (const [path, form] of [
    ['/inspections/1/actions/1/updates', { 'dated_on-day': '2', 'dated_on-month': '11', 'dated_on-year': '2026', status: 'done', note: 'Done' }],
    ['/inspections/1/judgements', { 'judged_on-day': '2', 'judged_on-month': '11', 'judged_on-year': '2026', sufficient: 'yes', reasons: 'Fine' }],
    ['/inspections/1/actions', { finding_id: '1', title: 'More', owner_name: 'Forum', owner_org: 'pcf' }],
  ]) {
    denied(await page.request.post(path, { form: { csrf, ...form }, maxRedirects: 0 }));
  }
  await finish(page);
});

test('a manager sees the forum\'s comment on the action and in the progress view, and replies', async () => {
  const page = await newPage(browser, server.base);
  await signIn(page, server.accounts.manager[0], DEMO_PASSWORD);
  await visit(page, '/inspections/1/progress');
  await submit(page, page.getByRole('link', { name: ACTION }).first());
  const main = page.locator('main');
  assert.match(await main.innerText(), new RegExp(COMMENT));
  await page.locator('#comment').fill('Thank you: the clinics restart in January; letters go out next week.');
  await submit(page, page.getByRole('button', { name: 'Reply' }), { name: 'reply' });
  assert.match(await main.innerText(), /M\. Manager, Northfield SEND Service \(synthetic\) \(SEND manager\), \d{1,2} \w+ \d{4}\s+Thank you: the clinics restart/);
  // both comments are in the audit log, on the action
  await visit(page, '/audit');
  const log = await main.innerText();
  assert.match(log, /m\.manager\s+manager\s+write\s+inspection_action \d+\s+commented/);
  assert.match(log, /f\.forum\s+forum\s+write\s+inspection_action \d+\s+commented/);
  await finish(page);
});

test('an administrator adds a forum member: the forum\'s name is required', async () => {
  const page = await newPage(browser, server.base);
  await signIn(page, server.accounts.admin[0], DEMO_PASSWORD);
  await visit(page, '/people');
  await page.locator('#display_name').fill('Rowan Forum');
  await page.locator('#username').fill('r.forum');
  await page.locator('#role').selectOption('forum');
  await page.locator('#password').fill('a long synthetic passphrase 2026');
  await submit(page, page.getByRole('button', { name: 'Add person' }), { status: 422, name: 'forum member without a forum' });
  const errs = await errorSummary(page);
  assert.deepEqual(errs.items.map((i) => [i.text, i.href]),
    [['Enter the name of the parent carer forum in organisation.', '#organisation']]);
  assert.equal(await page.locator('#username').inputValue(), 'r.forum', 'what was typed is kept');
  await page.locator('#organisation').fill('Northfield Parent Carer Forum (synthetic)');
  await page.locator('#password').fill('a long synthetic passphrase 2026');
  await submit(page, page.getByRole('button', { name: 'Add person' }), { name: 'forum member added' });
  assert.match(await page.locator('main').innerText(), /r\.forum[\s\S]*Parent carer forum member/);
  await finish(page);
});
