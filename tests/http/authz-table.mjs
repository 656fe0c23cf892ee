// The authorisation matrix: every route of the pages and the JSON API against
// every role, with the outcome src/app/access.h's rules call for. One row per
// route (and per kind of record where scope matters), one column per role.
// tests/http/authz.test.mjs turns every cell into its own test, named
// "METHOD path as role: outcome".
//
// Outcomes:
//   A  allowed: 2xx, or a 3xx that is not a redirect to the sign-in page
//   D  denied: 403 or 404 (a capability the role does not have)
//   N  not found: exactly 404 (a record outside the person's reach is
//      reported as missing, so its existence does not leak)
//   S  sign in first: pages answer 303 to /sign-in, the API answers 401
//   V  allowed, and the form answered 422 with its validation messages: for
//      posts whose success depends on where the case is in its journey (a
//      review step), the cell sends a form that is always incomplete, so
//      reaching validation is what shows access was granted
//
// Path placeholders, filled in per role by the test from the demo area:
//   {in}        a case the role may see (for health, social care and a
//               setting: one inside their scope; for everyone else: the same
//               case as health's in-scope one)
//   {out}       a case of the same area outside the role's scope (for
//               area-wide roles: outside health's, social care's and the
//               setting's scope, so it is "out" for every scoped role)
//   {child_in}  {child_out}  the children of those cases
//   {event}     a new event on the case in the same path, recorded (as the
//               manager, through the API) just for this cell, so each cell
//               corrects an entry nobody has corrected yet
//   {user}      the id of an account made for the test (matrix.target)
//   {advice}    an open advice request the role may see: to health, social
//               care or the setting's school for those roles (on their {in}
//               case); health's for everyone else
//   {advice_out} a request to educational psychology: outside every scoped
//               role's reach
//   {fresh_advice} a new open request, made for this cell alone, to the
//               role's own service (health's for area-wide roles);
//               {fresh_advice_out} the same to educational psychology
//   {advice_file} {file}  a request health has answered with a PDF, and
//               that file
// The test also makes, per cell that needs one, a new child without a case
// (ids.new_child, for POST /api/v1/cases).
//
// Roles, in column order. "signed_out" has no session and no token.
export const ROLES = ['coordinator', 'manager', 'health', 'social_care', 'setting',
  'admin', 'inspector', 'parent', 'forum', 'signed_out'];

// Area-wide readers, scoped readers, writers: for the notes below.
//   coordinator  area's cases, writes      manager   + team, audit log
//   inspector    area's cases read-only, team, audit log
//   health / social_care  cases with advice open to them, read-only
//   setting      cases of children at their setting, read-only
//   admin        people and the audit log; no child records
//   parent       nothing in the staff application; in the family portal only
//                the children linked to the account (the test's parent has
//                none, so every child is "not found")
//   forum        a member of the parent carer forum: the inspections, their
//                improvement plans and progress, comments on the actions;
//                no child, no caseload, no person-level list, no dashboard,
//                no portal, no API (every other cell D)
//            kind   method  path                                 coord man hlth soc  set  adm  insp par  forum anon
export const MATRIX = [
  // Public pages and endpoints: anyone.
  row('page', 'GET',  '/sign-in',                               'A', 'A', 'A', 'A', 'A', 'A', 'A', 'A', 'A', 'A'),
  row('page', 'GET',  '/assets/govuk/govuk-frontend.min.css',   'A', 'A', 'A', 'A', 'A', 'A', 'A', 'A', 'A', 'A'),
  row('page', 'GET',  '/assets/sendhub.js',                     'A', 'A', 'A', 'A', 'A', 'A', 'A', 'A', 'A', 'A'),
  row('api',  'GET',  '/api/v1/health',                         'A', 'A', 'A', 'A', 'A', 'A', 'A', 'A', 'A', 'A'),

  // Pages.
  // A parent's start page is the family portal (issue 7).
  row('page', 'GET',  '/',                                      'A', 'A', 'A', 'A', 'A', 'A', 'A', 'A', 'A', 'S'),
  row('page', 'GET',  '/caseload',                              'A', 'A', 'A', 'A', 'A', 'D', 'A', 'D', 'D', 'S'),
  row('page', 'GET',  '/caseload?overdue=1&stage=plan',         'A', 'A', 'A', 'A', 'A', 'D', 'A', 'D', 'D', 'S'),
  row('page', 'GET',  '/team',                                  'D', 'A', 'D', 'D', 'D', 'D', 'A', 'D', 'D', 'S'),
  // The performance dashboard (issue 6): managers (and the partnership
  // board through them) and inspectors; its lists are filtered per case.
  row('page', 'GET',  '/dashboard',                             'D', 'A', 'D', 'D', 'D', 'D', 'A', 'D', 'D', 'S'),
  row('page', 'GET',  '/dashboard?view=months',                 'D', 'A', 'D', 'D', 'D', 'D', 'A', 'D', 'D', 'S'),
  row('page', 'GET',  '/dashboard.csv?panel=timeliness',        'D', 'A', 'D', 'D', 'D', 'D', 'A', 'D', 'D', 'S'),
  row('page', 'GET',  '/dashboard.csv?panel=waiting',           'D', 'A', 'D', 'D', 'D', 'D', 'A', 'D', 'D', 'S'),
  row('page', 'GET',  '/dashboard.xlsx',                        'D', 'A', 'D', 'D', 'D', 'D', 'A', 'D', 'D', 'S'),
  row('page', 'GET',  '/dashboard/cases?figure=active&period=now', 'D', 'A', 'D', 'D', 'D', 'D', 'A', 'D', 'D', 'S'),
  row('page', 'GET',  '/cases/{in}',                            'A', 'A', 'A', 'A', 'A', 'D', 'A', 'D', 'D', 'S'),
  row('page', 'GET',  '/cases/{out}',                           'A', 'A', 'N', 'N', 'N', 'D', 'A', 'D', 'D', 'S'),
  row('page', 'GET',  '/cases/999999',                          'N', 'N', 'N', 'N', 'N', 'D', 'N', 'D', 'D', 'S'),
  row('page', 'POST', '/cases/{in}/events',                     'A', 'A', 'D', 'D', 'D', 'D', 'D', 'D', 'D', 'S'),
  row('page', 'POST', '/cases/{out}/events',                    'A', 'A', 'D', 'D', 'D', 'D', 'D', 'D', 'D', 'S'),
  row('page', 'GET',  '/cases/{in}/events/{event}/correct',     'A', 'A', 'D', 'D', 'D', 'D', 'D', 'D', 'D', 'S'),
  row('page', 'GET',  '/cases/{out}/events/{event}/correct',    'A', 'A', 'D', 'D', 'D', 'D', 'D', 'D', 'D', 'S'),
  row('page', 'POST', '/cases/{in}/events/{event}/correct',     'A', 'A', 'D', 'D', 'D', 'D', 'D', 'D', 'D', 'S'),
  row('page', 'POST', '/cases/{out}/events/{event}/correct',    'A', 'A', 'D', 'D', 'D', 'D', 'D', 'D', 'D', 'S'),
  // Advice (page_advice.c): coordinators and managers ask; each service
  // sees and answers what it was asked; area-wide readers see all of it.
  row('page', 'GET',  '/cases/{in}/advice/new',                 'A', 'A', 'D', 'D', 'D', 'D', 'D', 'D', 'D', 'S'),
  row('page', 'GET',  '/cases/{out}/advice/new',                'A', 'A', 'D', 'D', 'D', 'D', 'D', 'D', 'D', 'S'),
  row('page', 'POST', '/cases/{in}/advice',                     'A', 'A', 'D', 'D', 'D', 'D', 'D', 'D', 'D', 'S'),
  row('page', 'GET',  '/advice',                                'A', 'A', 'A', 'A', 'A', 'D', 'A', 'D', 'D', 'S'),
  row('page', 'GET',  '/advice/dashboard',                      'A', 'A', 'A', 'A', 'A', 'D', 'A', 'D', 'D', 'S'),
  row('page', 'GET',  '/advice/outbox',                         'A', 'A', 'D', 'D', 'D', 'D', 'A', 'D', 'D', 'S'),
  row('page', 'GET',  '/advice/{advice}',                       'A', 'A', 'A', 'A', 'A', 'D', 'A', 'D', 'D', 'S'),
  row('page', 'GET',  '/advice/{advice_out}',                   'A', 'A', 'N', 'N', 'N', 'D', 'A', 'D', 'D', 'S'),
  row('page', 'GET',  '/advice/999999',                         'N', 'N', 'N', 'N', 'N', 'D', 'N', 'D', 'D', 'S'),
  row('page', 'POST', '/advice/{fresh_advice}',                 'A', 'A', 'A', 'A', 'A', 'D', 'D', 'D', 'D', 'S'),
  row('page', 'POST', '/advice/{fresh_advice_out}',             'A', 'A', 'N', 'N', 'N', 'D', 'D', 'D', 'D', 'S'),
  row('page', 'GET',  '/advice/{advice_file}/files/{file}',     'A', 'A', 'A', 'N', 'N', 'D', 'A', 'D', 'D', 'S'),
  row('page', 'GET',  '/requests/new',                          'A', 'A', 'D', 'D', 'D', 'D', 'D', 'D', 'D', 'S'),
  row('page', 'POST', '/requests/new',                          'A', 'A', 'D', 'D', 'D', 'D', 'D', 'D', 'D', 'S'),
  // The SEN2 return: report and figures for managers and inspectors; the
  // files sent to the DfE for managers only (the report's own CSVs, issues
  // and figures, for both).
  row('page', 'GET',  '/returns/sen2',                          'D', 'A', 'D', 'D', 'D', 'D', 'A', 'D', 'D', 'S'),
  row('page', 'GET',  '/returns/sen2.xml?force=1',              'D', 'A', 'D', 'D', 'D', 'D', 'D', 'D', 'D', 'S'),
  row('page', 'GET',  '/returns/sen2.csv?file=person&force=1',  'D', 'A', 'D', 'D', 'D', 'D', 'D', 'D', 'D', 'S'),
  row('page', 'GET',  '/returns/sen2.csv?file=issues',          'D', 'A', 'D', 'D', 'D', 'D', 'A', 'D', 'D', 'S'),
  row('page', 'GET',  '/audit',                                 'D', 'A', 'D', 'D', 'D', 'A', 'A', 'D', 'D', 'S'),
  row('page', 'GET',  '/audit.csv',                             'D', 'A', 'D', 'D', 'D', 'A', 'A', 'D', 'D', 'S'),
  row('page', 'GET',  '/people',                                'D', 'D', 'D', 'D', 'D', 'A', 'D', 'D', 'D', 'S'),
  row('page', 'POST', '/people',                                'D', 'D', 'D', 'D', 'D', 'A', 'D', 'D', 'D', 'S'),
  row('page', 'POST', '/people/{user}/disable',                 'D', 'D', 'D', 'D', 'D', 'A', 'D', 'D', 'D', 'S'),
  row('page', 'POST', '/people/{user}/enable',                  'D', 'D', 'D', 'D', 'D', 'A', 'D', 'D', 'D', 'S'),
  row('page', 'GET',  '/people/{user}/reset-password',          'D', 'D', 'D', 'D', 'D', 'A', 'D', 'D', 'D', 'S'),
  row('page', 'POST', '/people/{user}/reset-password',          'D', 'D', 'D', 'D', 'D', 'A', 'D', 'D', 'D', 'S'),
  // Annual reviews and phase transfers (issue 4): the calendar, term lists
  // and transfers list for the council, inspectors and settings (their own
  // pupils); health and social care reach children through advice requests,
  // not lists of plans. A SENCo records only the setting's review report.
  row('page', 'GET',  '/reviews',                               'A', 'A', 'D', 'D', 'A', 'D', 'A', 'D', 'D', 'S'),
  row('page', 'GET',  '/reviews?month=overdue&school=100001',   'A', 'A', 'D', 'D', 'A', 'D', 'A', 'D', 'D', 'S'),
  row('page', 'GET',  '/reviews/term',                          'A', 'A', 'D', 'D', 'A', 'D', 'A', 'D', 'D', 'S'),
  row('page', 'GET',  '/transfers',                             'A', 'A', 'D', 'D', 'A', 'D', 'A', 'D', 'D', 'S'),
  row('page', 'GET',  '/cases/{in}/review',                     'A', 'A', 'A', 'A', 'A', 'D', 'A', 'D', 'D', 'S'),
  row('page', 'GET',  '/cases/{out}/review',                    'A', 'A', 'N', 'N', 'N', 'D', 'A', 'D', 'D', 'S'),
  row('page', 'POST', '/cases/{in}/review',                     'V', 'V', 'D', 'D', 'D', 'D', 'D', 'D', 'D', 'S'),
  row('page', 'POST', '/cases/{out}/review',                    'V', 'V', 'D', 'D', 'D', 'D', 'D', 'D', 'D', 'S'),
  row('page', 'POST', '/cases/{in}/review?step=report',         'V', 'V', 'D', 'D', 'V', 'D', 'D', 'D', 'D', 'S'),
  row('page', 'POST', '/cases/{out}/review?step=report',        'V', 'V', 'N', 'N', 'N', 'D', 'D', 'D', 'D', 'S'),
  row('page', 'GET',  '/cases/{in}/cease',                      'A', 'A', 'D', 'D', 'D', 'D', 'D', 'D', 'D', 'S'),
  row('page', 'GET',  '/cases/{out}/cease',                     'A', 'A', 'D', 'D', 'D', 'D', 'D', 'D', 'D', 'S'),
  row('page', 'POST', '/cases/{in}/cease',                      'V', 'V', 'D', 'D', 'D', 'D', 'D', 'D', 'D', 'S'),
  row('page', 'POST', '/cases/{out}/cease',                     'V', 'V', 'D', 'D', 'D', 'D', 'D', 'D', 'D', 'S'),
  row('page', 'GET',  '/cases/{in}/transfer',                   'A', 'A', 'A', 'A', 'A', 'D', 'A', 'D', 'D', 'S'),
  row('page', 'GET',  '/cases/{out}/transfer',                  'A', 'A', 'N', 'N', 'N', 'D', 'A', 'D', 'D', 'S'),
  row('page', 'POST', '/cases/{in}/transfer/consultations',     'A', 'A', 'D', 'D', 'D', 'D', 'D', 'D', 'D', 'S'),
  row('page', 'POST', '/cases/{out}/transfer/consultations',    'A', 'A', 'D', 'D', 'D', 'D', 'D', 'D', 'D', 'S'),
  // No such consultation: found missing only after access was granted.
  row('page', 'POST', '/cases/{in}/transfer/consultations/999999', 'N', 'N', 'D', 'D', 'D', 'D', 'D', 'D', 'D', 'S'),

  // The EHC plan (page_plan.c): whoever may see the case reads its plan,
  // its versions, the printable view and the PDF; coordinators and
  // managers edit it. Issuing is at the end of the matrix: it moves the
  // case on (draft, then final), and the version rows read what it issued.
  row('page', 'GET',  '/cases/{in}/plan',                       'A', 'A', 'A', 'A', 'A', 'D', 'A', 'D', 'D', 'S'),
  row('page', 'GET',  '/cases/{out}/plan',                      'A', 'A', 'N', 'N', 'N', 'D', 'A', 'D', 'D', 'S'),
  row('page', 'GET',  '/cases/{in}/plan/item?section=B',        'A', 'A', 'D', 'D', 'D', 'D', 'D', 'D', 'D', 'S'),
  row('page', 'POST', '/cases/{in}/plan/item',                  'A', 'A', 'D', 'D', 'D', 'D', 'D', 'D', 'D', 'S'),
  row('page', 'POST', '/cases/{out}/plan/item',                 'A', 'A', 'D', 'D', 'D', 'D', 'D', 'D', 'D', 'S'),
  row('page', 'POST', '/cases/{in}/plan/item/remove',           'A', 'A', 'D', 'D', 'D', 'D', 'D', 'D', 'D', 'S'),
  row('page', 'GET',  '/cases/{in}/plan/setting',               'A', 'A', 'D', 'D', 'D', 'D', 'D', 'D', 'D', 'S'),
  row('page', 'POST', '/cases/{in}/plan/setting',               'A', 'A', 'D', 'D', 'D', 'D', 'D', 'D', 'D', 'S'),
  row('page', 'GET',  '/cases/{in}/plan/versions',              'A', 'A', 'A', 'A', 'A', 'D', 'A', 'D', 'D', 'S'),
  row('page', 'GET',  '/cases/{out}/plan/versions',             'A', 'A', 'N', 'N', 'N', 'D', 'A', 'D', 'D', 'S'),
  row('page', 'GET',  '/cases/{in}/plan/compare?from=draft&to=draft', 'A', 'A', 'A', 'A', 'A', 'D', 'A', 'D', 'D', 'S'),
  row('page', 'GET',  '/cases/{in}/plan/print',                 'A', 'A', 'A', 'A', 'A', 'D', 'A', 'D', 'D', 'S'),
  row('page', 'GET',  '/cases/{out}/plan/print',                'A', 'A', 'N', 'N', 'N', 'D', 'A', 'D', 'D', 'S'),
  row('page', 'GET',  '/cases/{in}/plan/pdf',                   'A', 'A', 'A', 'A', 'A', 'D', 'A', 'D', 'D', 'S'),
  // The case file for an inspection deep dive (issue 9): area-wide readers
  // only (CAN_SEE_CASE_FILES); a scoped role that may see the case is refused
  // (403), one that may not is told it is not found.
  row('page', 'GET',  '/cases/{in}/casefile',                   'A', 'A', 'D', 'D', 'D', 'D', 'A', 'D', 'D', 'S'),
  row('page', 'GET',  '/cases/{out}/casefile',                  'A', 'A', 'N', 'N', 'N', 'D', 'A', 'D', 'D', 'S'),
  row('page', 'GET',  '/cases/{in}/casefile/pdf',               'A', 'A', 'D', 'D', 'D', 'D', 'A', 'D', 'D', 'S'),

  // The family portal (issue 7): joining is public (an incomplete form is
  // answered 422); the portal is for family accounts only, and reaches only
  // children linked to the account; staff who may write invite a family
  // from a case (coordinators and managers), nobody else.
  row('page', 'GET',  '/portal/join',                           'A', 'A', 'A', 'A', 'A', 'A', 'A', 'A', 'A', 'A'),
  row('page', 'POST', '/portal/join',                           'V', 'V', 'V', 'V', 'V', 'V', 'V', 'V', 'V', 'V'),
  row('page', 'GET',  '/portal',                                'D', 'D', 'D', 'D', 'D', 'D', 'D', 'A', 'D', 'S'),
  row('page', 'GET',  '/portal/children/{child_in}',            'D', 'D', 'D', 'D', 'D', 'D', 'D', 'N', 'D', 'S'),
  row('page', 'GET',  '/portal/children/999999',                'D', 'D', 'D', 'D', 'D', 'D', 'D', 'N', 'D', 'S'),
  row('page', 'GET',  '/portal/children/{child_in}/views',      'D', 'D', 'D', 'D', 'D', 'D', 'D', 'N', 'D', 'S'),
  row('page', 'POST', '/portal/children/{child_in}/views',      'D', 'D', 'D', 'D', 'D', 'D', 'D', 'N', 'D', 'S'),
  row('page', 'GET',  '/portal/children/{child_in}/draft-response', 'D', 'D', 'D', 'D', 'D', 'D', 'D', 'N', 'D', 'S'),
  row('page', 'POST', '/portal/children/{child_in}/draft-response', 'D', 'D', 'D', 'D', 'D', 'D', 'D', 'N', 'D', 'S'),
  row('page', 'GET',  '/portal/children/{child_in}/activity',   'D', 'D', 'D', 'D', 'D', 'D', 'D', 'N', 'D', 'S'),
  row('page', 'GET',  '/portal/children/{child_in}/messages',   'D', 'D', 'D', 'D', 'D', 'D', 'D', 'N', 'D', 'S'),
  row('page', 'POST', '/portal/children/{child_in}/messages',   'D', 'D', 'D', 'D', 'D', 'D', 'D', 'N', 'D', 'S'),
  row('page', 'POST', '/cases/{in}/messages',                   'V', 'V', 'D', 'D', 'D', 'D', 'D', 'D', 'D', 'S'),
  row('page', 'POST', '/cases/{out}/messages',                  'V', 'V', 'D', 'D', 'D', 'D', 'D', 'D', 'D', 'S'),
  row('page', 'GET',  '/cases/{in}/invite',                     'A', 'A', 'D', 'D', 'D', 'D', 'D', 'D', 'D', 'S'),
  row('page', 'GET',  '/cases/{out}/invite',                    'A', 'A', 'D', 'D', 'D', 'D', 'D', 'D', 'D', 'S'),
  row('page', 'POST', '/cases/{in}/invite',                     'V', 'V', 'D', 'D', 'D', 'D', 'D', 'D', 'D', 'S'),
  row('page', 'POST', '/cases/{out}/invite',                    'V', 'V', 'D', 'D', 'D', 'D', 'D', 'D', 'D', 'S'),
  // E-mails about upcoming dates: the family member's own choice (an
  // incomplete form is answered 422); every portal e-mail, for staff who see
  // the whole area, beside the advice reminders.
  row('page', 'GET',  '/portal/emails',                         'D', 'D', 'D', 'D', 'D', 'D', 'D', 'A', 'D', 'S'),
  row('page', 'POST', '/portal/emails',                         'D', 'D', 'D', 'D', 'D', 'D', 'D', 'V', 'D', 'S'),
  row('page', 'GET',  '/family-emails',                         'A', 'A', 'D', 'D', 'D', 'D', 'A', 'D', 'D', 'S'),
  // Files a family attached to their views: the family who sent them, and
  // staff who may see the case (none exists here: found missing only after
  // access was granted).
  row('page', 'GET',  '/portal/children/{child_in}/files/999999', 'D', 'D', 'D', 'D', 'D', 'D', 'D', 'N', 'D', 'S'),
  row('page', 'GET',  '/cases/{in}/family-files/999999',        'N', 'N', 'N', 'N', 'N', 'D', 'N', 'D', 'D', 'S'),
  row('page', 'GET',  '/cases/{out}/family-files/999999',       'N', 'N', 'N', 'N', 'N', 'D', 'N', 'D', 'D', 'S'),
  // Another child on a family account: family accounts only (an empty code
  // is answered 422).
  row('page', 'GET',  '/portal/add-child',                      'D', 'D', 'D', 'D', 'D', 'D', 'D', 'A', 'D', 'S'),
  row('page', 'POST', '/portal/add-child',                      'D', 'D', 'D', 'D', 'D', 'D', 'D', 'V', 'D', 'S'),
  // Ending a family's access: whoever may invite (coordinators and
  // managers); the test's account is linked to no child, so it is missing.
  row('page', 'GET',  '/cases/{in}/family/{user}/remove',       'N', 'N', 'D', 'D', 'D', 'D', 'D', 'D', 'D', 'S'),
  row('page', 'GET',  '/cases/{out}/family/{user}/remove',      'N', 'N', 'D', 'D', 'D', 'D', 'D', 'D', 'D', 'S'),
  row('page', 'POST', '/cases/{in}/family/{user}/remove',       'N', 'N', 'D', 'D', 'D', 'D', 'D', 'D', 'D', 'S'),
  // Asking a family for their views: whoever may write to the case
  // (coordinators and managers); no request 999999 to withdraw.
  row('page', 'GET',  '/cases/{in}/views-requests/new',         'A', 'A', 'D', 'D', 'D', 'D', 'D', 'D', 'D', 'S'),
  row('page', 'GET',  '/cases/{out}/views-requests/new',        'A', 'A', 'D', 'D', 'D', 'D', 'D', 'D', 'D', 'S'),
  row('page', 'POST', '/cases/{in}/views-requests',             'A', 'A', 'D', 'D', 'D', 'D', 'D', 'D', 'D', 'S'),
  row('page', 'POST', '/cases/{out}/views-requests',            'A', 'A', 'D', 'D', 'D', 'D', 'D', 'D', 'D', 'S'),
  row('page', 'GET',  '/cases/{in}/views-requests/999999/withdraw', 'N', 'N', 'D', 'D', 'D', 'D', 'D', 'D', 'D', 'S'),
  row('page', 'POST', '/cases/{in}/views-requests/999999/withdraw', 'N', 'N', 'D', 'D', 'D', 'D', 'D', 'D', 'D', 'S'),

  // Asking for an assessment online (issue 7): the form is public (an
  // incomplete one is answered 422); "Requests from families" is for the
  // area's coordinators and managers. Request 1 is the first of the four the
  // demo makes (app/demo.c); nothing in this matrix starts or closes it.
  row('page', 'GET',  '/ask-for-an-assessment',                 'A', 'A', 'A', 'A', 'A', 'A', 'A', 'A', 'A', 'A'),
  row('page', 'POST', '/ask-for-an-assessment',                 'V', 'V', 'V', 'V', 'V', 'V', 'V', 'V', 'V', 'V'),
  row('page', 'GET',  '/requests/online',                       'A', 'A', 'D', 'D', 'D', 'D', 'D', 'D', 'D', 'S'),
  row('page', 'GET',  '/requests/online/1',                     'A', 'A', 'D', 'D', 'D', 'D', 'D', 'D', 'D', 'S'),
  row('page', 'GET',  '/requests/online/999999',                'N', 'N', 'D', 'D', 'D', 'D', 'D', 'D', 'D', 'S'),
  row('page', 'POST', '/requests/online/1/close',               'V', 'V', 'D', 'D', 'D', 'D', 'D', 'D', 'D', 'S'),
  row('page', 'GET',  '/requests/new?online=1',                 'A', 'A', 'D', 'D', 'D', 'D', 'D', 'D', 'D', 'S'),

  // JSON API (bearer tokens).
  row('api',  'GET',  '/api/v1/cases',                          'A', 'A', 'A', 'A', 'A', 'D', 'A', 'D', 'D', 'S'),
  row('api',  'GET',  '/api/v1/cases/{in}',                     'A', 'A', 'A', 'A', 'A', 'D', 'A', 'D', 'D', 'S'),
  row('api',  'GET',  '/api/v1/cases/{out}',                    'A', 'A', 'N', 'N', 'N', 'D', 'A', 'D', 'D', 'S'),
  row('api',  'GET',  '/api/v1/cases/999999',                   'N', 'N', 'N', 'N', 'N', 'D', 'N', 'D', 'D', 'S'),
  row('api',  'POST', '/api/v1/cases/{in}/events',              'A', 'A', 'D', 'D', 'D', 'D', 'D', 'D', 'D', 'S'),
  row('api',  'POST', '/api/v1/cases/{out}/events',             'A', 'A', 'D', 'D', 'D', 'D', 'D', 'D', 'D', 'S'),
  row('api',  'POST', '/api/v1/cases',                          'A', 'A', 'D', 'D', 'D', 'D', 'D', 'D', 'D', 'S'),
  row('api',  'POST', '/api/v1/children',                       'A', 'A', 'D', 'D', 'D', 'D', 'D', 'D', 'D', 'S'),
  row('api',  'GET',  '/api/v1/children?name=Testperson',       'A', 'A', 'D', 'D', 'D', 'D', 'A', 'D', 'D', 'S'),
  // Health, social care and settings reach children only through the cases
  // in their scope (access_sees_whole_area): no direct look-up, in or out.
  row('api',  'GET',  '/api/v1/children/{child_in}',            'A', 'A', 'D', 'D', 'D', 'D', 'A', 'D', 'D', 'S'),
  row('api',  'GET',  '/api/v1/children/{child_out}',           'A', 'A', 'D', 'D', 'D', 'D', 'A', 'D', 'D', 'S'),
  // Advice requests: the same rules as the pages.
  row('api',  'POST', '/api/v1/cases/{in}/advice-requests',     'A', 'A', 'D', 'D', 'D', 'D', 'D', 'D', 'D', 'S'),
  row('api',  'GET',  '/api/v1/cases/{in}/advice-requests',     'A', 'A', 'A', 'A', 'A', 'D', 'A', 'D', 'D', 'S'),
  row('api',  'GET',  '/api/v1/advice-requests',                'A', 'A', 'A', 'A', 'A', 'D', 'A', 'D', 'D', 'S'),
  row('api',  'GET',  '/api/v1/advice-requests/{advice}',       'A', 'A', 'A', 'A', 'A', 'D', 'A', 'D', 'D', 'S'),
  row('api',  'GET',  '/api/v1/advice-requests/{advice_out}',   'A', 'A', 'N', 'N', 'N', 'D', 'A', 'D', 'D', 'S'),
  row('api',  'POST', '/api/v1/advice-requests/{fresh_advice}/advice', 'A', 'A', 'A', 'A', 'A', 'D', 'D', 'D', 'D', 'S'),

  // Area SEND inspections (issue 9): managers record, inspectors and the
  // parent carer forum read (the forum without the person-level list).
  // The demo area's inspection is the first row of a new database.
  row('page', 'GET',  '/inspections',                           'D', 'A', 'D', 'D', 'D', 'D', 'A', 'D', 'A', 'S'),
  row('page', 'GET',  '/inspections/new',                       'D', 'A', 'D', 'D', 'D', 'D', 'D', 'D', 'D', 'S'),
  row('page', 'GET',  '/inspections/evidence',                  'D', 'A', 'D', 'D', 'D', 'D', 'A', 'D', 'D', 'S'),
  row('page', 'GET',  '/inspections/evidence.csv',              'D', 'A', 'D', 'D', 'D', 'D', 'A', 'D', 'D', 'S'),
  row('page', 'GET',  '/inspections/evidence.xlsx',             'D', 'A', 'D', 'D', 'D', 'D', 'A', 'D', 'D', 'S'),
  row('page', 'GET',  '/inspections/sample',                    'D', 'A', 'D', 'D', 'D', 'D', 'A', 'D', 'D', 'S'),
  row('page', 'GET',  '/inspections/sample?n=3&seed=42&by=need', 'D', 'A', 'D', 'D', 'D', 'D', 'A', 'D', 'D', 'S'),
  row('page', 'POST', '/inspections/new',                       'D', 'A', 'D', 'D', 'D', 'D', 'D', 'D', 'D', 'S'),
  row('page', 'GET',  '/inspections/1',                         'D', 'A', 'D', 'D', 'D', 'D', 'A', 'D', 'A', 'S'),
  row('page', 'GET',  '/inspections/999999',                    'D', 'N', 'D', 'D', 'D', 'D', 'N', 'D', 'N', 'S'),
  row('page', 'POST', '/inspections/1/findings',                'D', 'A', 'D', 'D', 'D', 'D', 'D', 'D', 'D', 'S'),
  // The improvement plan; the demo's first action is inspection 1's, so
  // under another inspection's path it is not found.
  row('page', 'GET',  '/inspections/1/plan',                    'D', 'A', 'D', 'D', 'D', 'D', 'A', 'D', 'A', 'S'),
  row('page', 'GET',  '/inspections/1/progress',                'D', 'A', 'D', 'D', 'D', 'D', 'A', 'D', 'A', 'S'),
  row('page', 'POST', '/inspections/1/judgements',              'D', 'A', 'D', 'D', 'D', 'D', 'D', 'D', 'D', 'S'),
  row('page', 'POST', '/inspections/1/actions',                 'D', 'A', 'D', 'D', 'D', 'D', 'D', 'D', 'D', 'S'),
  row('page', 'POST', '/inspections/1/measures',                'D', 'A', 'D', 'D', 'D', 'D', 'D', 'D', 'D', 'S'),
  row('page', 'GET',  '/inspections/1/actions/1',               'D', 'A', 'D', 'D', 'D', 'D', 'A', 'D', 'A', 'S'),
  row('page', 'GET',  '/inspections/999999/actions/1',          'D', 'N', 'D', 'D', 'D', 'D', 'N', 'D', 'N', 'S'),
  row('page', 'POST', '/inspections/1/actions/1/updates',       'D', 'A', 'D', 'D', 'D', 'D', 'D', 'D', 'D', 'S'),
  // Comments on an action (co-production): the forum comments, managers
  // reply; inspectors read them and do not write.
  row('page', 'POST', '/inspections/1/actions/1/comments',      'D', 'A', 'D', 'D', 'D', 'D', 'D', 'D', 'A', 'S'),
  row('page', 'POST', '/inspections/999999/actions/1/comments', 'D', 'N', 'D', 'D', 'D', 'D', 'D', 'D', 'N', 'S'),
  // Evidence documents on an action: managers upload and withdraw (the
  // forms are sent incomplete: no file, no reason); everyone who sees the
  // plan downloads. The demo's document is the first, on the plan's second
  // action; under another action's path it is not found.
  row('page', 'GET',  '/inspections/1/actions/1/documents/new', 'D', 'A', 'D', 'D', 'D', 'D', 'D', 'D', 'D', 'S'),
  row('page', 'POST', '/inspections/1/actions/1/documents',     'D', 'V', 'D', 'D', 'D', 'D', 'D', 'D', 'D', 'S'),
  row('page', 'GET',  '/inspections/1/actions/2/documents/1',   'D', 'A', 'D', 'D', 'D', 'D', 'A', 'D', 'A', 'S'),
  row('page', 'GET',  '/inspections/1/actions/1/documents/1',   'D', 'N', 'D', 'D', 'D', 'D', 'N', 'D', 'N', 'S'),
  row('page', 'GET',  '/inspections/1/actions/2/documents/1/withdraw', 'D', 'A', 'D', 'D', 'D', 'D', 'D', 'D', 'D', 'S'),
  row('page', 'POST', '/inspections/1/actions/2/documents/1/withdraw', 'D', 'V', 'D', 'D', 'D', 'D', 'D', 'D', 'D', 'S'),

  // Health waiting lists (issue 5). Children on the lists: health only.
  // Dashboards (counts, no names): health, managers, inspectors, admins.
  // Pathway configuration: admins. {pathway} is the autism pathway;
  // {referral} a referral made for the cell (as health, through the API).
  row('page', 'GET',  '/pathways',                              'D', 'A', 'A', 'D', 'D', 'A', 'A', 'D', 'D', 'S'),
  row('page', 'POST', '/pathways/seed',                         'D', 'D', 'D', 'D', 'D', 'A', 'D', 'D', 'D', 'S'),
  row('page', 'GET',  '/pathways/{pathway}',                    'D', 'A', 'A', 'D', 'D', 'A', 'A', 'D', 'D', 'S'),
  row('page', 'GET',  '/pathways/999999',                       'D', 'N', 'N', 'D', 'D', 'N', 'N', 'D', 'D', 'S'),
  row('page', 'GET',  '/pathways/{pathway}/edit',               'D', 'D', 'D', 'D', 'D', 'A', 'D', 'D', 'D', 'S'),
  row('page', 'POST', '/pathways/{pathway}/edit',               'D', 'D', 'D', 'D', 'D', 'A', 'D', 'D', 'D', 'S'),
  row('page', 'GET',  '/pathways/{pathway}/waiting-list',       'D', 'D', 'A', 'D', 'D', 'D', 'D', 'D', 'D', 'S'),
  row('page', 'GET',  '/referrals/new',                         'D', 'D', 'A', 'D', 'D', 'D', 'D', 'D', 'D', 'S'),
  row('page', 'POST', '/referrals/new',                         'D', 'D', 'A', 'D', 'D', 'D', 'D', 'D', 'D', 'S'),
  row('page', 'GET',  '/referrals/import',                      'D', 'D', 'A', 'D', 'D', 'D', 'D', 'D', 'D', 'S'),
  row('page', 'POST', '/referrals/import',                      'D', 'D', 'A', 'D', 'D', 'D', 'D', 'D', 'D', 'S'),
  row('page', 'GET',  '/referrals/{referral}',                  'D', 'D', 'A', 'D', 'D', 'D', 'D', 'D', 'D', 'S'),
  row('page', 'GET',  '/referrals/999999',                      'D', 'D', 'N', 'D', 'D', 'D', 'D', 'D', 'D', 'S'),
  row('page', 'POST', '/referrals/{referral}/steps',            'D', 'D', 'A', 'D', 'D', 'D', 'D', 'D', 'D', 'S'),
  row('api',  'GET',  '/api/v1/pathways',                       'D', 'A', 'A', 'D', 'D', 'A', 'A', 'D', 'D', 'S'),
  row('api',  'GET',  '/api/v1/pathways/{pathway}/stats',       'D', 'A', 'A', 'D', 'D', 'A', 'A', 'D', 'D', 'S'),
  row('api',  'GET',  '/api/v1/pathways/{pathway}/waiting-list','D', 'D', 'A', 'D', 'D', 'D', 'D', 'D', 'D', 'S'),
  row('api',  'POST', '/api/v1/referrals',                      'D', 'D', 'A', 'D', 'D', 'D', 'D', 'D', 'D', 'S'),
  row('api',  'POST', '/api/v1/referrals/import',               'D', 'D', 'A', 'D', 'D', 'D', 'D', 'D', 'D', 'S'),
  row('api',  'GET',  '/api/v1/referrals/{referral}',           'D', 'D', 'A', 'D', 'D', 'D', 'D', 'D', 'D', 'S'),
  row('api',  'POST', '/api/v1/referrals/{referral}/steps',     'D', 'D', 'A', 'D', 'D', 'D', 'D', 'D', 'D', 'S'),
  // The plan's API and issuing (see the plan rows above). Version 1 is the
  // draft the coordinator's cell issued on health's case (the {in} of every
  // role but social care and the setting, whose own {in} cases have no
  // issued version: 404, like any version that does not exist).
  row('api',  'GET',  '/api/v1/cases/{in}/plan',                'A', 'A', 'A', 'A', 'A', 'D', 'A', 'D', 'D', 'S'),
  row('api',  'GET',  '/api/v1/cases/{out}/plan',               'A', 'A', 'N', 'N', 'N', 'D', 'A', 'D', 'D', 'S'),
  row('page', 'POST', '/cases/{in}/plan/issue',                 'A', 'A', 'D', 'D', 'D', 'D', 'D', 'D', 'D', 'S'),
  row('page', 'GET',  '/cases/{in}/plan/versions/1',            'A', 'A', 'A', 'N', 'N', 'D', 'A', 'D', 'D', 'S'),
  row('page', 'GET',  '/cases/{in}/plan/versions/1/pdf',        'A', 'A', 'A', 'N', 'N', 'D', 'A', 'D', 'D', 'S'),
  row('api',  'GET',  '/api/v1/cases/{in}/plan/versions/1',     'A', 'A', 'A', 'N', 'N', 'D', 'A', 'D', 'D', 'S'),
];

function row(kind, method, path, ...outcomes) {
  if (outcomes.length !== ROLES.length) throw new Error(`${method} ${path}: ${outcomes.length} outcomes`);
  for (const o of outcomes) if (!'ADNSV'.includes(o) || o.length !== 1) throw new Error(`${method} ${path}: outcome ${o}`);
  return { kind, method, path, expect: Object.fromEntries(ROLES.map((r, i) => [r, outcomes[i]])) };
}

// What an outcome letter means, for test names.
export const OUTCOME = { A: 'allowed', D: 'denied', N: 'not found', S: 'sign in',
  V: 'allowed (form refused)' };

// Valid request bodies for the POST rows, so an allowed cell really succeeds
// and a denied one is denied for the role, never for a bad body. `n` makes
// each cell's body unique (new children, new accounts). Page bodies are
// form fields (the CSRF token is added by the test); API bodies are JSON.
export function body(kind, method, path, n, ids) {
  const uniq = `${n}`.padStart(3, '0');
  if (kind === 'page') {
    if (/^\/cases\/\d+\/events$/.test(path)) {
      return { type: 'decision_letter', 'date-day': '2', 'date-month': '11', 'date-year': '2026' };
    }
    if (/^\/cases\/\d+\/events\/\d+\/correct$/.test(path)) {
      return { fix: 'remove', reason: `Authorisation matrix test ${uniq}: recorded by mistake` };
    }
    if (/^\/cases\/\d+\/plan\/item$/.test(path)) {
      return { section: 'B', item: '0', text: `Authorisation matrix need ${uniq}` };
    }
    if (/^\/cases\/\d+\/plan\/item\/remove$/.test(path)) return { section: 'B', item: '1' };
    if (/^\/cases\/\d+\/plan\/setting$/.test(path)) return { urn: '', type: 'special' };
    if (/^\/cases\/\d+\/views-requests$/.test(path)) {
      return { purpose: 'assessment', 'reply_by-day': '1', 'reply_by-month': '12', 'reply_by-year': '2026' };
    }
    if (/^\/cases\/\d+\/views-requests\/\d+\/withdraw$/.test(path)) {
      return { reason: `Authorisation matrix test ${uniq}: asked in error` };
    }
    if (/^\/cases\/\d+\/plan\/issue$/.test(path)) {
      return { 'issued-day': '2', 'issued-month': '11', 'issued-year': '2026' };
    }
    if (/^\/cases\/\d+\/review\?step=report$/.test(path)) return { step: 'report' };
    if (/^\/cases\/\d+\/review$/.test(path)) return { step: 'invite' };
    if (/^\/cases\/\d+\/cease$/.test(path)) return { reason: '4' };
    if (/^\/cases\/\d+\/transfer\/consultations$/.test(path)) {
      return { setting_name: `Matrix Academy ${uniq}`, 'consulted_on-day': '2',
        'consulted_on-month': '11', 'consulted_on-year': '2026' };
    }
    if (/^\/cases\/\d+\/transfer\/consultations\/\d+$/.test(path)) {
      return { response: 'can_meet', 'response_on-day': '2', 'response_on-month': '11',
        'response_on-year': '2026' };
    }
    if (/^\/people\/\d+\/(disable|enable)$/.test(path)) return {};
    if (/^\/people\/\d+\/reset-password$/.test(path)) {
      return { password: `another-long-test-pass-phrase-${uniq}` };
    }
    if (/^\/cases\/\d+\/advice$/.test(path)) {
      return { ask_psychology: '1', service_psychology: `Matrix psychology ${uniq}`,
        'date-day': '2', 'date-month': '11', 'date-year': '2026' };
    }
    if (/^\/advice\/\d+$/.test(path)) {
      return { needs: `Matrix needs ${uniq}`, outcomes: 'Matrix outcomes', provision: 'Matrix provision',
        'received_on-day': '2', 'received_on-month': '11', 'received_on-year': '2026' };
    }
    if (path === '/requests/new') {
      return {
        forename: 'Matrix', surname: `Testcase${letters(n)}`,
        'date_of_birth-day': '14', 'date_of_birth-month': '3', 'date_of_birth-year': '2017',
        'request_date-day': '2', 'request_date-month': '11', 'request_date-year': '2026',
        coordinator: ids.coordinator,
      };
    }
    if (path === '/inspections/new') {
      return { framework: '2023', outcome: 'inconsistent', 'started_on-day': '7', 'started_on-month': '9',
        'started_on-year': '2026', 'ended_on-day': '25', 'ended_on-month': '9', 'ended_on-year': '2026',
        'published_on-day': '20', 'published_on-month': '10', 'published_on-year': '2026' };
    }
    if (/^\/inspections\/\d+\/actions$/.test(path)) {
      return { finding_id: '1', title: `Matrix action ${uniq}`, owner_name: 'Matrix owner', owner_org: 'council',
        'start_on-day': '2', 'start_on-month': '11', 'start_on-year': '2026',
        'due_on-day': '26', 'due_on-month': '2', 'due_on-year': '2027' };
    }
    if (/^\/inspections\/\d+\/judgements$/.test(path)) {
      return { 'judged_on-day': '2', 'judged_on-month': '11', 'judged_on-year': '2026', sufficient: 'no',
        reasons: `Authorisation matrix judgement ${uniq}` };
    }
    if (/^\/inspections\/\d+\/measures$/.test(path)) {
      return { m_finding: '1', measure: 'plans_20w', 'baseline_on-day': '1', 'baseline_on-month': '7',
        'baseline_on-year': '2026', target: '95', 'target_on-day': '31', 'target_on-month': '8',
        'target_on-year': '2027' };
    }
    if (/^\/inspections\/\d+\/actions\/\d+\/updates$/.test(path)) {
      return { 'dated_on-day': '2', 'dated_on-month': '11', 'dated_on-year': '2026', status: 'on_track',
        note: `Authorisation matrix update ${uniq}` };
    }
    if (/^\/inspections\/\d+\/actions\/\d+\/comments$/.test(path)) {
      return { comment: `Authorisation matrix comment ${uniq}` };
    }
    if (/^\/inspections\/\d+\/actions\/\d+\/documents$/.test(path)) {
      return { title: `Matrix document ${uniq}`, 'evidence_on-day': '2', 'evidence_on-month': '11',
        'evidence_on-year': '2026' };
    }
    if (/^\/inspections\/\d+\/actions\/\d+\/documents\/\d+\/withdraw$/.test(path)) return { reason: '' };
    if (/^\/inspections\/\d+\/findings$/.test(path)) {
      return { kind: 'improvement', title: `Matrix area ${uniq}`, wording: 'Authorisation matrix finding.' };
    }
    // The portal's forms, always incomplete: no code, no relationship.
    if (path === '/portal/join') return { code: '', username: `matrix.family${uniq}` };
    if (path === '/ask-for-an-assessment') return { action: 'check', forename: `Matrix${uniq}` };
    if (/^\/requests\/online\/\d+\/close$/.test(path)) return { reason: '' };
    if (/^\/cases\/\d+\/invite$/.test(path)) return { relationship: '', name: 'Matrix Family' };
    if (/^\/portal\/children\/\d+\/views$/.test(path)) return { views: '' };
    if (/^\/portal\/children\/\d+\/messages$/.test(path)) return { message: '' };
    if (path === '/portal/emails') return { date_emails: '' };
    if (path === '/portal/add-child') return { code: '' };
    if (/^\/cases\/\d+\/family\/\d+\/remove$/.test(path)) return { reason: '' };
    if (/^\/cases\/\d+\/messages$/.test(path)) return { message: '' };
    if (/^\/portal\/children\/\d+\/draft-response$/.test(path)) return { comments: '' };
    if (path === '/pathways/seed') return {};
    if (/^\/pathways\/\d+\/edit$/.test(path)) {
      return { provider: 'Matrix Health (synthetic)', standard_weeks: '13', capacity: '11', active: 'yes' };
    }
    if (path === '/referrals/new') {
      return { nhs_number: ids.nhs_number, pathway: String(ids.pathways.ot), referrer: 'GP',
        'referral_date-day': '2', 'referral_date-month': '11', 'referral_date-year': '2026', priority: 'routine' };
    }
    if (path === '/referrals/import') return { csv: importCsv(ids, n, 'adhd') };
    if (/^\/referrals\/\d+\/steps$/.test(path)) {
      return { step: 'triage', triage: 'accepted', 'date-day': '2', 'date-month': '11', 'date-year': '2026' };
    }
    if (path === '/people') {
      return {
        username: `matrix.user${uniq}`, display_name: `Matrix User ${uniq}`, role: 'coordinator',
        password: 'a-long-enough-test-pass-phrase',
      };
    }
  } else {
    if (/^\/api\/v1\/cases\/\d+\/events$/.test(path)) return { type: 'decision_letter', date: '2026-11-02' };
    if (/^\/api\/v1\/cases\/\d+\/advice-requests$/.test(path)) {
      return { date: '2026-11-02', requests: [{ agency: 'other', service: `Matrix service ${uniq}` }] };
    }
    if (/^\/api\/v1\/advice-requests\/\d+\/advice$/.test(path)) {
      return { needs: `Matrix needs ${uniq}`, outcomes: 'Matrix outcomes', provision: 'Matrix provision' };
    }
    if (path === '/api/v1/referrals') {
      return { child_id: ids.child_in, pathway_id: ids.pathways.physio, referrer: 'GP', referral_date: '2026-11-02' };
    }
    // A CSV file (sent as text/csv): one referral, unique to the cell.
    if (path === '/api/v1/referrals/import') return importCsv(ids, n, 'camhs');
    if (/^\/api\/v1\/referrals\/\d+\/steps$/.test(path)) return { step: 'triage', triage: 'accepted', date: '2026-11-02' };
    if (path === '/api/v1/children') {
      return { forename: 'Matrix', surname: `Apichild${letters(n)}`, date_of_birth: '2016-05-20' };
    }
    if (path === '/api/v1/cases') {
      return { child_id: ids.new_child, coordinator: ids.coordinator,
        start: { type: 'request_received', date: '2026-11-02' } };
    }
  }
  throw new Error(`no body for ${kind} ${method} ${path}`);
}

// A provider's extract of one referral, dated by the cell's number so each
// cell's is new.
function importCsv(ids, n, pathway) {
  return 'nhs_number,pathway,referrer,referral_date,priority,triage,triage_date,triage_reason,' +
    'first_contact,assessment_started,assessment_completed,outcome,outcome_code,discharged\n' +
    `${ids.nhs_number},${pathway},GP,2026-10-${String(1 + (n % 28)).padStart(2, '0')},,,,,,,,,,\n`;
}

// Names take letters only; a number becomes a short letter string.
function letters(n) {
  let s = '';
  do { s += String.fromCharCode(97 + (n % 26)); n = Math.floor(n / 26); } while (n > 0);
  return s;
}
