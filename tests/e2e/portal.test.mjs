// The family portal (issue 7): a coordinator invites a parent from a case;
// the parent redeems the single-use code to create an account, signs in and
// sees the child's journey in plain words (a late advice item among it); a
// code cannot be used twice; another child's record is refused (404) and the
// refusal audited. Every page is checked with axe and the HTML validator, and
// the main pages are saved as screenshots at 375 px and 1280 px.
import assert from 'node:assert/strict';
import { Buffer } from 'node:buffer';
import { after, before, test } from 'node:test';

import { errorSummary, finish, launchBrowser, longDate, newPage, screenshots, signIn, submit, visit } from './browser.mjs';
import { DEMO_PASSWORD, apiToken, auditEntries, auditUntil, startDemo } from './demo.mjs';
import { Session } from './session.mjs';
import { startValidator, stopValidator } from './vnu.mjs';

let server, browser, api;
before(async () => {
  [server, browser] = await Promise.all([startDemo(), launchBrowser(), startValidator()]);
  api = new Session(server.base);
  api.bearer = await apiToken(server.db, server.accounts.manager[0], 'e2e portal');
});
after(async () => {
  await Promise.allSettled([browser?.close(), server?.stop(), stopValidator()]);
  server?.cleanup();
});

const PARENT_PASSWORD = 'purple kettle morning walk';
const WHO = {
  education: "your child's school, college or nursery", health: 'health',
  social_care: 'social care', psychology: 'an educational psychologist', other: 'another service',
};

async function getJson(path) {
  const r = await api.get(path);
  assert.equal(r.status, 200, `${path}: ${r.text}`);
  return r.json;
}

// A case being assessed with an advice step overdue, and that step.
async function caseWithLateAdvice() {
  const list = await getJson('/api/v1/cases?per_page=50&stage=assessment');
  for (const c of list.items) {
    const d = await getJson(`/api/v1/cases/${c.id}`);
    const late = d.timeline.deadlines.find((x) => x.step.startsWith('advice:') && x.status === 'overdue');
    if (late && d.case.coordinator) return { detail: d, late };
  }
  throw new Error('no case with overdue advice in the demo');
}

// Signs in as the case's coordinator and makes an invitation; returns the code.
async function invite(page, caseId, name) {
  await visit(page, `/cases/${caseId}`, { checks: false });
  await submit(page, page.getByRole('link', { name: /Invite a parent, carer or young person/ }), { name: 'invite form' });
  await page.getByLabel('Parent', { exact: true }).check();
  await page.locator('#name').fill(name);
  await submit(page, page.getByRole('button', { name: 'Create invitation' }), { status: 201, name: 'invitation created' });
  const code = (await page.locator('#invite-code').innerText()).trim();
  assert.match(code, /^[A-Za-z0-9_-]{43}$/);
  assert.match(await page.locator('#invite-link').innerText(), new RegExp(`/portal/join\\?code=${code}$`));
  return code;
}

async function join(page, code, username, { status = 200, name = 'Sam Testparent' } = {}) {
  await visit(page, `/portal/join?code=${encodeURIComponent(code)}`, { name: 'join form' });
  assert.equal(await page.locator('#code').inputValue(), code);
  await page.locator('#display_name').fill(name);
  await page.locator('#username').fill(username);
  await page.locator('#password').fill(PARENT_PASSWORD);
  return submit(page, page.getByRole('button', { name: 'Create account' }), { status, name: `join as ${username}` });
}

test('an invitation redeemed, the journey with late advice, a second use refused, another child denied', async () => {
  const { detail, late } = await caseWithLateAdvice();
  const staff = await newPage(browser, server.base);
  await signIn(staff, detail.case.coordinator, DEMO_PASSWORD, { checks: false });
  const code = await invite(staff, detail.case.id, 'Sam Testparent');
  await screenshots(staff, 'portal-invitation');
  // Staff may not see the portal itself.
  await visit(staff, '/portal', { status: 403, checks: false });
  await finish(staff);

  const page = await newPage(browser, server.base);
  // A wrong code is refused with a message; the form keeps what was typed.
  await visit(page, '/portal/join');
  await screenshots(page, 'portal-join');
  await page.locator('#code').fill('not-a-real-code');
  await page.locator('#display_name').fill('Sam Testparent');
  await page.locator('#username').fill('sam.parent');
  await page.locator('#password').fill(PARENT_PASSWORD);
  await submit(page, page.getByRole('button', { name: 'Create account' }), { status: 422, name: 'join with a wrong code' });
  assert.deepEqual((await errorSummary(page)).items,
    [{ text: 'This code is not right. Check it against your letter or email.', href: '#code' }]);
  assert.equal(await page.locator('#username').inputValue(), 'sam.parent');

  // The right code: the account is made, then sign in.
  await join(page, code, 'sam.parent');
  assert.match(page.url(), /\/sign-in\?joined=1/);
  await signIn(page, 'sam.parent', PARENT_PASSWORD);
  assert.equal(new URL(page.url()).pathname, '/portal');
  await screenshots(page, 'portal-children');
  const child = detail.child;
  await submit(page, page.getByRole('link', { name: `${child.forename} ${child.surname}` }), { name: 'journey' });
  assert.equal(new URL(page.url()).pathname, `/portal/children/${child.id}`);
  assert.equal(await page.locator('h1').innerText(), `${child.forename} ${child.surname}`);
  assert.match(await page.locator('#stage').innerText(), /carrying out an EHC needs assessment/);
  const agency = late.step.split(':')[1];
  const waiting = await page.locator('#waiting').innerText();
  assert.ok(waiting.includes(`Advice from ${WHO[agency]} was due on ${longDate(late.due)} and has not arrived yet.`), waiting);
  assert.match(await page.locator('#next-step').innerText(), /: by \d+ \w+ \d{4}\.$/);
  assert.match(await page.locator('#coordinator').innerText(), /^Your coordinator is .+\./);
  assert.equal(await page.getByRole('heading', { name: 'Health waiting lists' }).count(), 1);
  await screenshots(page, 'portal-journey');

  // Views at any time: sent, thanked, and shown to staff on the record.
  await submit(page, page.getByRole('link', { name: 'Tell us about your child (all about me)' }), { name: 'views form' });
  await screenshots(page, 'portal-views');
  await submit(page, page.getByRole('button', { name: 'Send' }), { status: 422, name: 'empty views' });
  assert.deepEqual((await errorSummary(page)).items, [{ text: 'Write something about your child.', href: '#views' }]);
  const views = 'She loves drawing trains.\nLoud rooms are hard for her; a quiet corner helps.';
  await page.locator('#views').fill(views);
  await submit(page, page.getByRole('button', { name: 'Send' }), { name: 'views sent' });
  assert.match(await page.locator('.govuk-notification-banner__heading').innerText(), /Your coordinator can now read/);

  // Another child of the same area: not found, and the refusal audited.
  const other = await getJson('/api/v1/cases?per_page=1&stage=plan');
  const otherChild = other.items[0].child_id ?? (await getJson(`/api/v1/cases/${other.items[0].id}`)).child.id;
  await visit(page, `/portal/children/${otherChild}`, { status: 404, name: 'another child' });
  await visit(page, `/cases/${other.items[0].id}/plan/versions/1`, { status: 404, checks: false });
  // Who has looked at or changed the record, in plain words.
  await visit(page, `/portal/children/${child.id}`, { checks: false });
  await submit(page, page.getByRole('link', { name: 'Who has looked at or changed this record' }), { name: 'activity' });
  const activity = await page.locator('#activity').innerText();
  assert.ok(activity.includes(`EHC coordinator (${detail.case.coordinator}) invited a family member to this portal.`), activity);
  assert.ok(activity.includes('You joined this portal.'), activity);
  assert.ok(activity.includes('You sent views or comments.'), activity);
  await screenshots(page, 'portal-activity');
  // A family account has nothing in the staff application.
  await visit(page, `/cases/${detail.case.id}`, { status: 404, checks: false });
  await finish(page);

  await auditUntil(server.db, ['--user', 'sam.parent'], (entries) =>
    entries.some((e) => e.action === 'denied' && Number(e.child_id) === Number(otherChild)) &&
    entries.some((e) => e.action === 'read' && Number(e.child_id) === Number(child.id)),
  "the parent's read of their child and the denial of the other child");

  // Staff see the family's views on the child's record.
  const coordinatorPage = await newPage(browser, server.base);
  await signIn(coordinatorPage, detail.case.coordinator, DEMO_PASSWORD, { checks: false });
  await visit(coordinatorPage, `/cases/${detail.case.id}`, { name: 'case with family views' });
  const family = await coordinatorPage.locator('#family + .govuk-inset-text').innerText();
  assert.ok(family.includes('Views (all about me), from Sam Testparent'), family);
  assert.ok(family.includes('Loud rooms are hard for her'), family);
  await finish(coordinatorPage);

  // The same code again: already used.
  const again = await newPage(browser, server.base);
  await join(again, code, 'sam.parent2', { status: 422 });
  assert.deepEqual((await errorSummary(again)).items,
    [{ text: 'This code has already been used. Sign in with your account.', href: '#code' }]);
  await finish(again);
});

test('a young person cannot be invited while of compulsory school age', async () => {
  const { detail } = await caseWithLateAdvice();
  const staff = await newPage(browser, server.base);
  await signIn(staff, detail.case.coordinator, DEMO_PASSWORD, { checks: false });
  await visit(staff, `/cases/${detail.case.id}/invite`, { name: 'invite form' });
  // Born after 1 September 2010: still of compulsory school age on 2 November 2026.
  assert.ok(detail.child.date_of_birth >= '2010-09-01', detail.child.date_of_birth);
  await staff.getByLabel('The young person').check();
  await staff.locator('#name').fill(detail.child.forename);
  await submit(staff, staff.getByRole('button', { name: 'Create invitation' }), { status: 422, name: 'young person too young' });
  assert.match((await errorSummary(staff)).items[0].text, /still of compulsory school age/);
  await finish(staff);
});

test("the demo's family account sees its children's journeys", async () => {
  assert.deepEqual(server.accounts.parent, ['p.family']);
  const page = await newPage(browser, server.base);
  await signIn(page, 'p.family', DEMO_PASSWORD, { checks: false });
  assert.equal(new URL(page.url()).pathname, '/portal');
  const links = page.locator('main a[href^="/portal/children/"]');
  // The two, then the child of the demo's full case file for an inspection
  // deep dive (issue 9: app/demo_casefile.c), linked last.
  assert.equal(await links.count(), 3);
  await screenshots(page, 'portal-two-children');
  await submit(page, links.first(), { name: 'demo family journey' });
  assert.match(await page.locator('#stage').innerText(), /carrying out an EHC needs assessment/);
  await visit(page, '/portal', { checks: false });
  await submit(page, links.nth(1), { name: "demo family's second child" });
  assert.match(await page.locator('#stage').innerText(), /has an EHC plan/);
  await finish(page);
});

test('responding to a draft plan within its 15 days, and messages both ways', async () => {
  // A case being assessed, with a draft plan served today (as the manager).
  const list = await getJson('/api/v1/cases?per_page=50&stage=assessment');
  const c = list.items[list.items.length - 1];
  const detail = await getJson(`/api/v1/cases/${c.id}`);
  const staff = await newPage(browser, server.base);
  await signIn(staff, server.accounts.manager[0], DEMO_PASSWORD, { checks: false });
  await visit(staff, `/cases/${c.id}/plan`, { checks: false });
  await submit(staff, staff.locator('#section-A .govuk-summary-card__actions a'), { checks: false });
  await staff.locator('#text').fill(`${detail.child.forename} likes trains.`);
  await submit(staff, staff.getByRole('button', { name: 'Save' }), { checks: false });
  for (const [part, value] of [['day', '2'], ['month', '11'], ['year', '2026']]) {
    await staff.locator(`#issued-${part}`).fill(value);
  }
  await submit(staff, staff.getByRole('button', { name: 'Issue the draft plan' }), { checks: false });
  const code = await invite(staff, c.id, 'Alex Testcarer');

  const page = await newPage(browser, server.base);
  await join(page, code, 'alex.carer', { name: 'Alex Testcarer' });
  await signIn(page, 'alex.carer', PARENT_PASSWORD, { checks: false });
  await visit(page, `/portal/children/${detail.child.id}`, { name: 'journey at the draft stage' });
  assert.match(await page.locator('#stage').innerText(), /draft EHC plan/);
  // The draft as sent, to read and to download.
  const plans = page.locator('#plans li');
  assert.equal(await plans.count(), 1);
  assert.match(await plans.first().innerText(), /^Draft plan sent on 2 November 2026/);
  const pdfHref = await plans.first().getByRole('link', { name: /download as PDF/ }).getAttribute('href');
  await submit(page, plans.first().getByRole('link', { name: /^Draft plan sent/ }), { name: 'draft plan as the family sees it' });
  assert.match(await page.locator('main').innerText(), /likes trains/);
  const pdf = await page.request.get(pdfHref);
  assert.equal(pdf.status(), 200);
  assert.equal(pdf.headers()['content-type'], 'application/pdf');
  await visit(page, `/portal/children/${detail.child.id}`, { checks: false });
  await submit(page, page.getByRole('link', { name: 'Respond to the draft EHC plan' }), { name: 'draft response form' });
  assert.match(await page.locator('main').innerText(), /You can respond until 17 November 2026\./);
  await screenshots(page, 'portal-draft-response');
  await submit(page, page.getByRole('button', { name: 'Send' }), { status: 422, name: 'empty draft response' });
  assert.deepEqual((await errorSummary(page)).items,
    [{ text: 'Write your comments, name a school or college, or ask for a meeting.', href: '#comments' }]);
  await page.locator('#comments').fill('Section F does not say how many hours of speech therapy.');
  await page.locator('#school').fill('Northfield Park Academy');
  await page.locator('#meeting').check();
  await submit(page, page.getByRole('button', { name: 'Send' }), { name: 'draft response sent' });
  assert.match(await page.locator('.govuk-notification-banner__heading').innerText(), /response to the draft plan has been sent/);

  // Messages: the family writes, the council replies on the case, the family reads it.
  await submit(page, page.getByRole('link', { name: 'Messages with your coordinator' }), { name: 'messages, none yet' });
  await submit(page, page.getByRole('button', { name: 'Send message' }), { status: 422, name: 'empty message' });
  assert.deepEqual((await errorSummary(page)).items, [{ text: 'Write your message.', href: '#message' }]);
  await page.locator('#message').fill('When will the meeting be?');
  await submit(page, page.getByRole('button', { name: 'Send message' }), { name: 'message sent' });
  assert.match(await page.locator('#thread').innerText(), /You,.*\n+When will the meeting be\?/);

  await visit(staff, `/cases/${c.id}`, { name: 'case with a draft response and a message' });
  const family = await staff.locator('#family + .govuk-inset-text').innerText();
  assert.ok(family.includes('Response to the draft plan, from Alex Testcarer'), family);
  assert.ok(family.includes('hours of speech therapy'), family);
  assert.ok(family.includes('School or college asked for: Northfield Park Academy'), family);
  assert.ok(family.includes('Asked for a meeting about the draft plan.'), family);
  assert.match(await staff.locator('#thread').innerText(), /Alex Testcarer \(family\)/);
  await staff.locator('#message').fill('We will write to you this week with a date.');
  await submit(staff, staff.getByRole('button', { name: 'Send message' }), { name: 'reply sent' });
  assert.match(await staff.locator('#thread').innerText(), /with a date/);
  await finish(staff);

  await visit(page, `/portal/children/${detail.child.id}/messages`, { name: 'messages with a reply' });
  const thread = await page.locator('#thread').innerText();
  assert.ok(thread.includes('We will write to you this week with a date.'), thread);
  await screenshots(page, 'portal-messages');
  await finish(page);
});

// A 1x1 PNG, as a phone's photo of a drawing would be (only smaller), and a
// GIF sent under a PNG's name and type: refused by its content.
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');
const GIF = Buffer.from('R0lGODlhAQABAAAAACw=', 'base64');

// The case of a child (the latest), as the API has it.
async function caseOfChild(childId) {
  const list = await getJson(`/api/v1/cases?child_id=${childId}&per_page=10`);
  const c = list.items.reduce((a, b) => (a.id > b.id ? a : b));
  return getJson(`/api/v1/cases/${c.id}`);
}

test('views with a photo of a drawing: a bad file refused with the text kept, then staff open it', async () => {
  const page = await newPage(browser, server.base);
  await signIn(page, 'p.family', DEMO_PASSWORD, { checks: false });
  const first = page.locator('main a[href^="/portal/children/"]').first();
  const childId = Number((await first.getAttribute('href')).split('/').pop());
  await visit(page, `/portal/children/${childId}/views`, { name: 'views form with files' });
  assert.equal(await page.locator('form[enctype="multipart/form-data"]').count(), 1);
  await screenshots(page, 'portal-views-files');

  // A file that is not a PDF, JPEG or PNG, whatever its name says: refused,
  // named in the error summary; what was written is kept.
  const words = 'He drew our house with the trampoline.\nHe likes it when we draw together.';
  await page.locator('#views').fill(words);
  await page.locator('#files').setInputFiles([
    { name: 'house.png', mimeType: 'image/png', buffer: PNG },
    { name: 'cat.png', mimeType: 'image/png', buffer: GIF },
  ]);
  await submit(page, page.getByRole('button', { name: 'Send' }), { status: 422, name: 'views with a bad file' });
  assert.deepEqual((await errorSummary(page)).items,
    [{ text: 'cat.png: The file must be a PDF, JPEG or PNG', href: '#files' }]);
  assert.equal(await page.locator('#views').inputValue(), words);
  assert.match(await page.locator('#files-hint').innerText(), /choose the files again/);
  await screenshots(page, 'portal-views-bad-file');

  await page.locator('#files').setInputFiles([{ name: 'house.png', mimeType: 'image/png', buffer: PNG }]);
  await submit(page, page.getByRole('button', { name: 'Send' }), { name: 'views with a drawing' });
  assert.match(await page.locator('.govuk-notification-banner__heading').innerText(), /Your coordinator can now read/);
  // The family sees what they sent, and can download their own file.
  await visit(page, `/portal/children/${childId}/views`, { name: 'views form with what was sent' });
  const mine = page.locator('#sent ~ .govuk-inset-text').first();
  assert.match(await mine.innerText(), /He drew our house/);
  await screenshots(page, 'portal-views-sent');
  const href = await mine.getByRole('link', { name: 'house.png' }).getAttribute('href');
  const own = await page.request.get(href);
  assert.equal(own.status(), 200);
  assert.deepEqual(Buffer.from(await own.body()), PNG);
  await finish(page);

  // Staff who may see the case see the drawing with the views, as a download.
  const detail = await caseOfChild(childId);
  const staff = await newPage(browser, server.base);
  await signIn(staff, detail.case.coordinator, DEMO_PASSWORD, { checks: false });
  await visit(staff, `/cases/${detail.case.id}`, { name: 'case with a family drawing' });
  const views = staff.locator('#family ~ .govuk-inset-text').filter({ hasText: 'He drew our house' });
  assert.match(await views.innerText(), /house\.png \(PNG image, 1 KB\)/);
  const fileHref = await views.getByRole('link', { name: 'house.png' }).getAttribute('href');
  assert.match(fileHref, new RegExp(`^/cases/${detail.case.id}/family-files/\\d+$`));
  const got = await staff.request.get(fileHref);
  assert.equal(got.status(), 200);
  assert.equal(got.headers()['content-type'], 'image/png');
  assert.equal(got.headers()['content-disposition'], 'attachment; filename="house.png"');
  assert.equal(got.headers()['x-content-type-options'], 'nosniff');
  assert.deepEqual(Buffer.from(await got.body()), PNG);
  await finish(staff);
  // Every download is audited (reads are written in batches: a moment later).
  const fileId = Number(fileHref.split('/').pop());
  const isDownload = (e) => e.action === 'read' && e.object === 'attachment' && Number(e.object_id) === fileId;
  const seen = (await auditUntil(server.db, ['--action', 'read'], (entries) =>
    entries.filter(isDownload).length >= 2, 'the two downloads of the family file')).filter(isDownload);
  assert.deepEqual(seen.map((e) => e.username).sort(), [detail.case.coordinator, 'p.family'].sort(), JSON.stringify(seen));
  assert.ok(seen.every((e) => Number(e.child_id) === childId), JSON.stringify(seen));
});

test('a second child added with a code, then access to each removed by the council', async () => {
  const list = await getJson('/api/v1/cases?per_page=50&stage=request');
  const [a, b] = await Promise.all(list.items.slice(0, 2).map((c) => getJson(`/api/v1/cases/${c.id}`)));
  const staff = await newPage(browser, server.base);
  await signIn(staff, server.accounts.manager[0], DEMO_PASSWORD, { checks: false });
  const codeA = await invite(staff, a.case.id, 'Robin Testparent');
  const codeB = await invite(staff, b.case.id, 'Robin Testparent');

  const page = await newPage(browser, server.base);
  await join(page, codeA, 'robin.parent', { name: 'Robin Testparent' });
  await signIn(page, 'robin.parent', PARENT_PASSWORD, { checks: false });
  const children = page.locator('main a[href^="/portal/children/"]');
  assert.equal(await children.count(), 1);
  await submit(page, page.getByRole('link', { name: 'Add another child with a code' }), { name: 'add a child form' });
  await screenshots(page, 'portal-add-child');
  await page.locator('#code').fill('not-a-real-code');
  await submit(page, page.getByRole('button', { name: 'Add child' }), { status: 422, name: 'add a child, wrong code' });
  assert.deepEqual((await errorSummary(page)).items,
    [{ text: 'This code is not right. Check it against your letter or email.', href: '#code' }]);
  await page.locator('#code').fill(codeB);
  await submit(page, page.getByRole('button', { name: 'Add child' }), { name: 'second child added' });
  assert.equal(new URL(page.url()).pathname, '/portal');
  assert.equal(await page.locator('.govuk-notification-banner__heading').innerText(),
    `${b.child.forename} ${b.child.surname} is now on your account`);
  assert.equal(await children.count(), 2);
  await screenshots(page, 'portal-child-added');
  // The same code again, and a code for a child already on the account.
  await visit(page, '/portal/add-child', { checks: false });
  await page.locator('#code').fill(codeB);
  await submit(page, page.getByRole('button', { name: 'Add child' }), { status: 422, name: 'add a used code' });
  assert.equal((await errorSummary(page)).items[0].text, 'This code has already been used. Sign in with your account.');
  const codeA2 = await invite(staff, a.case.id, 'Robin Testparent');
  await page.locator('#code').fill(codeA2);
  await submit(page, page.getByRole('button', { name: 'Add child' }), { status: 422, name: 'add a child already there' });
  assert.equal((await errorSummary(page)).items[0].text,
    `${a.child.forename} ${a.child.surname} is already on your account. The code has not been used.`);

  // The council removes Robin's access to the first child: a reason is
  // required, and the unused code still in the post is withdrawn with it.
  await visit(staff, `/cases/${a.case.id}`, { name: 'case with family access' });
  const row = staff.locator('#family-accounts .govuk-summary-list__row').filter({ hasText: 'Robin Testparent' });
  assert.match(await row.innerText(), /Parent, since \d+ \w+ \d{4}/);
  await submit(staff, row.getByRole('link', { name: /Remove access/ }), { name: 'remove access form' });
  assert.equal(await staff.locator('h1').innerText(), `Remove Robin Testparent's access to ${a.child.forename}'s record`);
  await screenshots(staff, 'portal-remove-access');
  await submit(staff, staff.getByRole('button', { name: 'Remove access' }), { status: 422, name: 'remove access without a reason' });
  assert.deepEqual((await errorSummary(staff)).items, [{ text: 'Enter why their access is ending.', href: '#reason' }]);
  const reason = 'The young person asked that this parent no longer sees their record.';
  await staff.locator('#reason').fill(reason);
  await staff.locator('#revoke').check();
  await submit(staff, staff.getByRole('button', { name: 'Remove access' }), { name: 'access removed' });
  assert.equal(new URL(staff.url()).pathname, `/cases/${a.case.id}`);
  assert.match(await staff.locator('.govuk-notification-banner__heading').innerText(), /Access removed/);
  assert.equal(await staff.locator('#family-accounts').count(), 0);
  await staff.locator('#family-access ~ details summary').first().click();
  assert.ok((await staff.locator('#access-ended').innerText()).includes(reason));

  // Robin now gets 404 on that child, and still sees the other.
  await visit(page, `/portal/children/${a.child.id}`, { status: 404, name: 'removed child' });
  await visit(page, '/portal', { checks: false });
  assert.equal(await children.count(), 1);
  assert.equal(await children.first().innerText(), `${b.child.forename} ${b.child.surname}`);
  // The withdrawn code no longer works, for anyone.
  const other = await newPage(browser, server.base);
  await join(other, codeA2, 'robin.other', { status: 422 });
  await finish(other);

  // The second child too: an empty account says why.
  await visit(staff, `/cases/${b.case.id}`, { checks: false });
  await submit(staff, staff.locator('#family-accounts').getByRole('link', { name: /Remove access/ }).first(), { checks: false });
  await staff.locator('#reason').fill('Parental responsibility changed.');
  await submit(staff, staff.getByRole('button', { name: 'Remove access' }), { checks: false });
  await visit(page, '/portal', { name: 'portal with no children left' });
  assert.match(await page.locator('#no-children').innerText(), /ended your access/);
  await screenshots(page, 'portal-access-ended');
  await finish(page);
  await finish(staff);

  const audit = await auditEntries(server.db, ['--user', server.accounts.manager[0]]);
  assert.ok(audit.some((e) => e.object === 'family_access' && Number(e.child_id) === Number(a.child.id) &&
    e.detail.includes('young person asked')), JSON.stringify(audit.slice(0, 5)));
});
