// Black-box tests of `sendhub timeline`: runs the real binary
// (process.env.SENDHUB_BIN) with a journey on stdin and checks stdout, stderr
// and the exit status against the contract in src/cli/cmd_timeline.c.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const BIN = process.env.SENDHUB_BIN;
const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), 'fixtures');

function timeline(input, args = []) {
  const r = spawnSync(BIN, ['timeline', ...args], {
    input,
    encoding: 'utf8',
    maxBuffer: 16 * 1024 * 1024,
    timeout: 20000,
  });
  if (r.error) throw r.error;
  return r;
}

const fixture = (name) => readFileSync(join(FIXTURES, name), 'utf8');
const req = { id: 1, type: 'request_received', date: '2026-01-05' };
const journey = (...events) => JSON.stringify({ as_of: '2026-03-01', events: [req, ...events] });

test('prints the timeline of a valid journey', () => {
  const r = timeline(fixture('plan-with-reviews.json'));
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stderr, '');
  assert.deepEqual(JSON.parse(r.stdout), JSON.parse(fixture('plan-with-reviews.expected.json')));
});

test('output is pretty-printed JSON ending in a newline', () => {
  const r = timeline(journey());
  assert.equal(r.status, 0, r.stderr);
  assert.ok(r.stdout.endsWith('}\n'));
  assert.ok(r.stdout.includes('\n  "stage": "request",\n'));
});

test('the contract example: assessment stage, decision met', () => {
  const r = timeline(journey({ id: 2, type: 'decision_to_assess', date: '2026-02-10', outcome: 'assess' }));
  assert.equal(r.status, 0, r.stderr);
  const out = JSON.parse(r.stdout);
  assert.equal(out.stage, 'assessment');
  assert.equal(out.as_of, '2026-03-01');
  assert.equal(out.exceptions_apply, false);
  assert.equal(out.within_20_weeks, null);
  assert.equal(out.weeks_to_final_plan, null);
  assert.deepEqual(out.deadlines.map((d) => [d.step, d.due, d.done, d.status]), [
    ['decision_to_assess', '2026-02-16', '2026-02-10', 'met'],
    ['final_plan', '2026-05-25', null, 'pending'],
  ]);
  const d = out.deadlines[0];
  assert.equal(d.basis, 'SEND Regulations 2014, regulation 5(1)');
  assert.equal(
    d.explain,
    'The council must decide whether to carry out an EHC needs assessment within 6 weeks of ' +
      'receiving the request on 5 January 2026, so by 16 February 2026.',
  );
});

test('steps with no trigger yet are absent', () => {
  const out = JSON.parse(timeline(journey()).stdout);
  assert.deepEqual(out.deadlines.map((d) => d.step), ['decision_to_assess', 'final_plan']);
});

test('--as-of overrides the input as_of (both spellings)', () => {
  for (const args of [['--as-of', '2026-02-17'], ['--as-of=2026-02-17']]) {
    const r = timeline(journey(), args);
    assert.equal(r.status, 0, r.stderr);
    const out = JSON.parse(r.stdout);
    assert.equal(out.as_of, '2026-02-17');
    assert.equal(out.deadlines[0].status, 'overdue');
    assert.equal(out.overdue_count, 1);
  }
  const onDue = JSON.parse(timeline(journey(), ['--as-of', '2026-02-16']).stdout);
  assert.equal(onDue.deadlines[0].status, 'pending');
});

test('without as_of or --as-of, today is used', () => {
  const local = (d) =>
    `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
  const before = local(new Date());
  const r = timeline(JSON.stringify({ events: [req] }));
  const after = local(new Date());
  assert.equal(r.status, 0, r.stderr);
  assert.ok([before, after].includes(JSON.parse(r.stdout).as_of));
});

test('20-week flag and weeks to one decimal', () => {
  const out = JSON.parse(timeline(journey({ id: 2, type: 'final_plan_issued', date: '2026-05-26' })).stdout);
  assert.equal(out.within_20_weeks, false);
  assert.equal(out.weeks_to_final_plan, 20.1);
  assert.equal(out.stage, 'plan');
});

test('appeal deadline rolls out of August and says so', () => {
  const out = JSON.parse(timeline(journey({ id: 2, type: 'decision_letter', date: '2026-06-30' })).stdout);
  const appeal = out.deadlines.find((d) => d.step === 'appeal_deadline');
  assert.equal(appeal.due, '2026-09-01');
  assert.match(appeal.explain, /which falls in August, so it moves to 1 September 2026\.$/);
});

test('a correction replaces the event it supersedes', () => {
  const out = JSON.parse(
    timeline(
      journey(
        { id: 2, type: 'decision_to_assess', date: '2026-01-20', outcome: 'assess' },
        {
          id: 3,
          type: 'correction',
          date: '2026-03-01',
          supersedes: 2,
          reason: 'date typed wrongly',
          replacement: { type: 'decision_to_assess', date: '2026-02-20', outcome: 'assess' },
        },
      ),
    ).stdout,
  );
  assert.equal(out.deadlines[0].done, '2026-02-20');
  assert.equal(out.deadlines[0].status, 'late');
  assert.equal(out.deadlines[0].trigger_event, 1);
});

// Each invalid input: exit 2, nothing on stdout, exactly one line on stderr
// naming the event and the field.
const invalid = [
  ['not JSON', '{"events": [', /^sendhub timeline: the input is not valid JSON: /],
  ['not an object', '[]', /the input must be a JSON object/],
  ['events missing', '{"as_of": "2026-03-01"}', /field "events" is missing/],
  ['unknown top-level key', '{"event": []}', /field "event" is not allowed here/],
  ['bad as_of', '{"as_of": "2026-02-30", "events": []}', /field "as_of": "2026-02-30" is not a real date/],
  ['empty journey', '{"events": []}', /the journey is empty/],
  [
    'unknown event type',
    journey({ id: 7, type: 'advice_sent', date: '2026-02-01' }),
    /^sendhub timeline: event 2 \(id 7\): field "type": "advice_sent" is not a known event type$/,
  ],
  [
    'impossible date',
    journey({ id: 7, type: 'review_meeting', date: '2026-02-30' }),
    /^sendhub timeline: event 2 \(id 7, review_meeting\): field "date": "2026-02-30" is not a real date/,
  ],
  [
    'dated before the request',
    journey({ id: 7, type: 'review_meeting', date: '2026-01-04' }),
    /event 2 \(id 7, review_meeting\): field "date": "2026-01-04" is before the request received on 2026-01-05$/,
  ],
  [
    'missing field',
    journey({ id: 5, type: 'decision_letter', date: '2026-02-01' }, { id: 7, type: 'advice_requested', date: '2026-02-02' }),
    /^sendhub timeline: event 3 \(id 7, advice_requested\): field "agency" is missing$/,
  ],
  [
    'wrong field type',
    journey({ id: 7, type: 'phase_transfer_due', date: '2026-02-02', transfer_year: '2027', to: 'school' }),
    /event 2 \(id 7, phase_transfer_due\): field "transfer_year": "2027" is not a year from 2000 to 2199$/,
  ],
  [
    'unknown field',
    journey({ id: 7, type: 'advice_requested', date: '2026-02-02', agncy: 'health' }),
    /event 2 \(id 7, advice_requested\): field "agncy" is not a field of advice_requested events$/,
  ],
  [
    'bad enum value',
    journey({ id: 7, type: 'decision_to_assess', date: '2026-02-02', outcome: 'amend' }),
    /event 2 \(id 7, decision_to_assess\): field "outcome": "amend" is not assess or refuse$/,
  ],
  [
    'second request',
    journey({ id: 7, type: 'request_received', date: '2026-02-02' }),
    /event 2 \(id 7, request_received\): field "type": "request_received" starts a second journey: a new request opens a new case$/,
  ],
  [
    'first event is not a start',
    JSON.stringify({ events: [{ id: 4, type: 'review_meeting', date: '2026-02-02' }] }),
    /event 1 \(id 4, review_meeting\): field "type": "review_meeting" cannot start a journey/,
  ],
  [
    'duplicate id',
    journey({ id: 1, type: 'review_meeting', date: '2026-02-02' }),
    /event 2 \(id 1, review_meeting\): field "id": 1 is already used by an earlier event$/,
  ],
  [
    'correction of an unknown event',
    journey({ id: 9, type: 'correction', date: '2026-02-02', supersedes: 44, reason: 'typo' }),
    /event 2 \(id 9, correction\): field "supersedes": 44 does not name an earlier event$/,
  ],
  [
    'replacement that is a correction',
    journey({
      id: 9,
      type: 'correction',
      date: '2026-02-02',
      supersedes: 1,
      reason: 'typo',
      replacement: { type: 'correction', date: '2026-02-02', supersedes: 1, reason: 'x' },
    }),
    /event 2 \(id 9, correction\): field "replacement.type": "correction" cannot itself be a correction$/,
  ],
  [
    'id out of range',
    journey({ id: 2 ** 53 + 2, type: 'review_meeting', date: '2026-02-02' }),
    /event 2 \(review_meeting\): field "id": 9007199254740994 is not a whole number from 1 to 9007199254740992$/,
  ],
  ['too deep', `{"events": ${'['.repeat(20)}${']'.repeat(20)}}`, /nested more than 8 levels deep/],
  [
    'too many events',
    JSON.stringify({ events: [req, ...Array.from({ length: 2000 }, () => ({ type: 'decision_letter', date: '2026-02-02' }))] }),
    /field "events" has 2001 events: one journey holds at most 2000/,
  ],
];

for (const [name, input, message] of invalid) {
  test(`invalid input exits 2: ${name}`, () => {
    const r = timeline(input);
    assert.equal(r.status, 2, `stdout: ${r.stdout}`);
    assert.equal(r.stdout, '');
    const lines = r.stderr.split('\n');
    assert.equal(lines.length, 2, `one line expected: ${JSON.stringify(r.stderr)}`);
    assert.equal(lines[1], '');
    assert.match(lines[0], message);
  });
}

test('input larger than 4 MiB is refused', () => {
  const padding = ' '.repeat(4 * 1024 * 1024);
  const r = timeline(`${padding}${journey()}`);
  assert.equal(r.status, 2);
  assert.equal(r.stdout, '');
  assert.match(r.stderr, /^sendhub timeline: the input is larger than 4 MiB \(4194304 bytes\)/);
});

test('input just under 4 MiB is accepted', () => {
  const body = journey();
  const r = timeline(' '.repeat(4 * 1024 * 1024 - body.length) + body);
  assert.equal(r.status, 0, r.stderr);
});

test('a bad --as-of is a usage error', () => {
  const r = timeline(journey(), ['--as-of', '2026-13-01']);
  assert.equal(r.status, 2);
  assert.equal(r.stdout, '');
  assert.match(r.stderr, /^sendhub timeline: --as-of: '2026-13-01' is not a real date/);
});

test('unknown options and arguments are usage errors', () => {
  for (const args of [['--asof', '2026-01-01'], ['extra']]) {
    const r = timeline(journey(), args);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /^sendhub timeline: /);
  }
});

test('--help prints usage and exits 0', () => {
  const r = timeline('', ['--help']);
  assert.equal(r.status, 0);
  assert.match(r.stdout, /^usage: sendhub timeline \[options\]/);
  assert.match(r.stdout, /--as-of YYYY-MM-DD/);
});
