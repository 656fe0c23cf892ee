// The acknowledgement e-mailed to someone who asks for an EHC needs
// assessment online without an account (issue 7; app/ask.h, app/notify.h).
// A request sent through the real public form, its check page sent twice
// (a double click), queues one e-mail to the address given; `sendhub remind`
// sends it through the fake relay (relay.mjs) with the reference the
// confirmation page showed, the 6 weeks and nothing about the child (no
// name, date of birth, school or date); a second run sends nothing. Staff
// see it on /family-emails. All data is synthetic.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';

import { DEMO_PASSWORD, startDemo } from '../e2e/demo.mjs';
import { Session, hiddenFields, signedIn } from '../e2e/session.mjs';
import { fakeRelay, sendhubAsync } from './relay.mjs';

const ASKER = 'asker.ack@example.org.uk';
const CHILD = { forename: 'Marlowe', surname: 'Testacknowledge', dob: ['9', '7', '2016'],
  school: 'Fernhill Primary (synthetic)' };
let srv;

before(async () => { srv = await startDemo(); });
after(async () => {
  await srv?.stop();
  srv?.cleanup();
});

const remind = (relay) => sendhubAsync(['remind', '--db', srv.db, '--as-of', '2026-11-02',
  '--smtp', `smtp://127.0.0.1:${relay.port}`, '--mail-from', 'send@council.test',
  '--base-url', 'https://sendhub.council.test']);

// Fills the form, checks the answers and sends the check page twice: the
// reference the confirmation page shows (the same both times).
async function ask() {
  const s = new Session(srv.base);
  const form = await s.get('/ask-for-an-assessment');
  assert.equal(form.status, 200);
  const answers = {
    ...hiddenFields(form.text), la_code: '990', asker_role: 'parent', relationship: 'Father',
    forename: CHILD.forename, surname: CHILD.surname, 'date_of_birth-day': CHILD.dob[0],
    'date_of_birth-month': CHILD.dob[1], 'date_of_birth-year': CHILD.dob[2], postcode: 'NF3 4AB',
    setting_name: CHILD.school, upn: '', nhs_number: '', needs: 'Cannot follow lessons.',
    tried: '', asker_name: 'Jo Testacknowledge', email: ASKER, phone: '', consent: 'yes',
  };
  const check = await s.post('/ask-for-an-assessment', answers);
  assert.equal(check.status, 200, check.text.slice(0, 400));
  const page = { ...hiddenFields(check.text), action: 'send' };
  assert.ok(page.send_key, 'the check page carries its key');
  const refs = [];
  for (let i = 0; i < 2; i++) {
    const sent = await s.post('/ask-for-an-assessment', page);
    assert.equal(sent.status, 201);
    refs.push(/<strong id="reference">(ASK-990-\d{6})<\/strong>/.exec(sent.text)?.[1]);
    assert.ok(sent.text.includes(ASKER), 'the confirmation says where the e-mail goes');
  }
  assert.equal(refs[0], refs[1]);
  assert.ok(refs[0]);
  return refs[0];
}

test('one acknowledgement per request is e-mailed to the address given, with the reference and nothing about the child', async () => {
  const reference = await ask();

  // Staff see it queued, addressed by the request's reference (no account).
  const manager = await signedIn(srv.base, srv.accounts.manager[0], DEMO_PASSWORD);
  const emails = await manager.get('/family-emails');
  assert.equal(emails.status, 200);
  const rows = emails.text.split('<tr').filter((r) => r.includes(ASKER));
  assert.equal(rows.length, 1, 'one e-mail for the page sent twice');
  assert.ok(rows[0].replace(/<[^>]*>/g, '').includes(`Asked online, ${reference}`), rows[0]);
  assert.ok(rows[0].includes('Waiting to be sent'));

  const relay = await fakeRelay();
  try {
    const r = await remind(relay);
    assert.equal(r.status, 0, r.stderr);
    const mine = relay.messages.filter((m) => m.to.includes(`<${ASKER}>`));
    assert.equal(mine.length, 1);
    const m = mine[0].data;
    assert.match(m, /^Subject: Your request for an EHC needs assessment has been received\r$/m);
    assert.match(m, /^Message-ID: <portal-\d+@sendhub\.invalid>\r$/mi);
    const body = m.slice(m.indexOf('\r\n\r\n'));
    assert.ok(body.includes(reference), 'the reference');
    assert.match(body.replace(/\s+/g, ' '), /within 6 weeks of receiving the request/);
    assert.match(body.replace(/\s+/g, ' '), /will contact you/);
    // Nothing about the child: no name, date of birth, school, or any date.
    for (const v of [CHILD.forename, CHILD.surname, CHILD.school, 'Fernhill', '2016', 'July',
      '2026', 'Testacknowledge']) {
      assert.ok(!body.includes(v), `the e-mail holds ${v}`);
    }
    assert.doesNotMatch(body, /\b\d{1,2}\/\d{1,2}\/\d{2,4}\b|\b\d{4}-\d{2}-\d{2}\b/);

    // Again: nothing sent twice.
    const again = await remind(relay);
    assert.equal(again.status, 0, again.stderr);
    assert.equal(relay.messages.filter((x) => x.to.includes(`<${ASKER}>`)).length, 1);
  } finally {
    await relay.close();
  }
  const after = await manager.get('/family-emails');
  const sentRow = after.text.split('<tr').filter((r) => r.includes(ASKER));
  assert.equal(sentRow.length, 1);
  assert.ok(sentRow[0].includes('Sent'));
});
