/*
 * pages.h — the HTML pages people use all day: sign-in, caseload, team,
 * a child's record and its EHC journey, starting a request, performance (the
 * dashboard), the SEN2 return, the audit log and people (accounts).
 *
 * The server (server.c) matches every path outside /assets/ and /api/
 * against pages_routes, after resolving the session, sending signed-out
 * people to /sign-in for WEB_SIGNED_IN routes and refusing POSTs without the
 * session's CSRF token. A handler decides the finer access rules itself
 * (access.h), audits what it shows (audit.h), and fills the response: HTML
 * (status, "text/html; charset=utf-8") or a 303 redirect. A handler that
 * fails renders its own error page and returns the rc for the server's log.
 *
 * Every page is built with html_fmt (html.h), so every value a person or the
 * database supplies is escaped; every POST form carries the CSRF token; no
 * page needs JavaScript.
 *
 * Annual reviews, ceasing and phase transfers (issue 4) are page_review.c
 * and page_transfer.c; area SEND inspections (issue 9) page_inspection.c,
 * and their deep dives (a child's case file, the sample) page_casefile.c;
 * the evidence documents on their plans' actions page_insp_evidence.c;
 * asking for an assessment online and the council's "Requests from
 * families" (issue 7) page_ask.c.
 *
 * The rest of this header is what the page_*.c files share: the route
 * handlers (one group per file), error pages, GOV.UK form controls with
 * their error states, dates typed in three boxes, pagination and the labels
 * the journey is shown with.
 */
#ifndef SH_WEB_PAGES_H
#define SH_WEB_PAGES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "app/health.h"
#include "app/inspection.h"
#include "core/plan.h"
#include "store/store_plan.h"
#include "store/store_portal.h"
#include "store/store_views.h"
#include "web/form.h"
#include "web/html.h"
#include "web/http.h"

extern const web_route pages_routes[];
extern const size_t pages_route_count;

/* Replaces the response with an HTML error page for `status` (400, 403, 404,
 * 405, 413, 500, 503; anything else reads as 500), in the page frame, with
 * the navigation when the person is signed in. For the server's non-API
 * paths too. */
void pages_error(web_request *req, web_response *res, int status);

/* ---- handlers, one group per file (the route table is in page_common.c) -- */

int page_home(web_request *req, web_response *res);           /* page_sign_in.c */
int page_sign_in_form(web_request *req, web_response *res);
int page_sign_in(web_request *req, web_response *res);
int page_sign_out(web_request *req, web_response *res);
int page_caseload(web_request *req, web_response *res);       /* page_caseload.c */
int page_team(web_request *req, web_response *res);
int page_dashboard(web_request *req, web_response *res);      /* page_dashboard.c */
int page_dashboard_csv(web_request *req, web_response *res);
int page_dashboard_xlsx(web_request *req, web_response *res);
int page_dashboard_cases(web_request *req, web_response *res);
int page_case(web_request *req, web_response *res);           /* page_case.c */
int page_event_record(web_request *req, web_response *res);
int page_event_correct_form(web_request *req, web_response *res); /* page_event.c */
int page_event_correct(web_request *req, web_response *res);
int page_plan(web_request *req, web_response *res);           /* page_plan.c */
int page_plan_item_form(web_request *req, web_response *res);
int page_plan_item_save(web_request *req, web_response *res);
int page_plan_item_remove(web_request *req, web_response *res);
int page_plan_setting_form(web_request *req, web_response *res);
int page_plan_setting_save(web_request *req, web_response *res);
int page_plan_issue(web_request *req, web_response *res);
int page_plan_versions(web_request *req, web_response *res);
int page_plan_version(web_request *req, web_response *res);
int page_plan_version_pdf(web_request *req, web_response *res);
int page_plan_compare(web_request *req, web_response *res);
int page_plan_print(web_request *req, web_response *res);
int page_plan_pdf(web_request *req, web_response *res);
int page_request_form(web_request *req, web_response *res);   /* page_request.c */
int page_request(web_request *req, web_response *res);
int page_sen2(web_request *req, web_response *res);           /* page_returns.c */
int page_sen2_xml(web_request *req, web_response *res);
int page_sen2_csv(web_request *req, web_response *res);
int page_audit(web_request *req, web_response *res);          /* page_audit.c */
int page_audit_csv(web_request *req, web_response *res);
int page_advice_new(web_request *req, web_response *res);     /* page_advice.c */
int page_advice_create(web_request *req, web_response *res);
int page_advice_list(web_request *req, web_response *res);
int page_advice_show(web_request *req, web_response *res);
int page_advice_submit(web_request *req, web_response *res);
int page_advice_file(web_request *req, web_response *res);
int page_advice_dashboard(web_request *req, web_response *res);
int page_advice_outbox(web_request *req, web_response *res);
int page_people(web_request *req, web_response *res);         /* page_people.c */
int page_person_add(web_request *req, web_response *res);
int page_person_disable(web_request *req, web_response *res);
int page_person_enable(web_request *req, web_response *res);
int page_person_password_form(web_request *req, web_response *res);
int page_person_password(web_request *req, web_response *res);
int page_pathways(web_request *req, web_response *res);       /* page_health.c */
int page_pathways_seed(web_request *req, web_response *res);
int page_pathway(web_request *req, web_response *res);
int page_pathway_edit_form(web_request *req, web_response *res);
int page_pathway_edit(web_request *req, web_response *res);
int page_waiting_list(web_request *req, web_response *res);
int page_referral(web_request *req, web_response *res);       /* page_referral.c */
int page_referral_step(web_request *req, web_response *res);
int page_referral_new_form(web_request *req, web_response *res);
int page_referral_new(web_request *req, web_response *res);
int page_referral_import_form(web_request *req, web_response *res);
int page_referral_import(web_request *req, web_response *res);

/* The "Health waiting lists" section of a child's record (page_health.c):
 * the child's open referrals with the wait so far, the place in the queue
 * and the estimated date of being seen. The caller has decided the person
 * may see the child's record; the read is audited here when there are any. */
int pages_health_waits(web_request *req, buf *b, int64_t child_id);
/* Its table of open referrals v[0..n) (app_referrals_for_child), or a line
 * saying there are none; reads and audits nothing (the case file's). */
int pages_health_waits_table(web_request *req, buf *b, const health_referral_view *v, size_t n);
int page_reviews(web_request *req, web_response *res);        /* page_review.c */
int page_reviews_term(web_request *req, web_response *res);
int page_review(web_request *req, web_response *res);
int page_review_record(web_request *req, web_response *res);
int page_cease_form(web_request *req, web_response *res);
int page_cease(web_request *req, web_response *res);
int page_transfers(web_request *req, web_response *res);      /* page_transfer.c */
int page_transfer(web_request *req, web_response *res);
int page_consultation_add(web_request *req, web_response *res);
int page_consultation_respond(web_request *req, web_response *res);
int page_inspections(web_request *req, web_response *res);    /* page_inspection.c */
int page_inspection_new_form(web_request *req, web_response *res);
int page_inspection_new(web_request *req, web_response *res);
int page_inspection(web_request *req, web_response *res);
int page_inspection_finding_add(web_request *req, web_response *res);
int page_inspection_plan(web_request *req, web_response *res);
int page_inspection_progress(web_request *req, web_response *res);
int page_inspection_judgement(web_request *req, web_response *res);
int page_inspection_evidence(web_request *req, web_response *res); /* page_evidence.c */
int page_inspection_evidence_csv(web_request *req, web_response *res);
int page_inspection_evidence_xlsx(web_request *req, web_response *res);
int page_inspection_action_add(web_request *req, web_response *res);
int page_inspection_measure_add(web_request *req, web_response *res);
int page_inspection_action(web_request *req, web_response *res);
int page_inspection_action_update(web_request *req, web_response *res);
int page_inspection_action_comment(web_request *req, web_response *res);
int page_insp_doc_new_form(web_request *req, web_response *res); /* page_insp_evidence.c */
int page_insp_doc_add(web_request *req, web_response *res);
int page_insp_doc_file(web_request *req, web_response *res);
int page_insp_doc_withdraw_form(web_request *req, web_response *res);
int page_insp_doc_withdraw(web_request *req, web_response *res);
/* An action's evidence documents on its page (page_insp_evidence.c): the
 * list, withdrawn ones marked, and for managers "Add a document". The
 * caller has loaded the action for someone who may see the plan. */
int pages_insp_evidence(web_request *req, buf *b, const store_action *a);
/* The progress page's table of each action's documents (current and
 * withdrawn); nothing when the plan has no action. */
int pages_insp_evidence_counts(web_request *req, buf *b, const app_inspection_view *v);
int page_portal(web_request *req, web_response *res);         /* page_portal.c */
int page_portal_child(web_request *req, web_response *res);
int page_portal_join_form(web_request *req, web_response *res);
int page_portal_join(web_request *req, web_response *res);
int page_portal_invite_form(web_request *req, web_response *res);
int page_portal_invite(web_request *req, web_response *res);
int page_portal_views_form(web_request *req, web_response *res);
int page_portal_views(web_request *req, web_response *res);
int page_portal_draft_form(web_request *req, web_response *res);
int page_portal_draft(web_request *req, web_response *res);

/* The EHC plan's sections A to K as the printable plan shows them
 * (page_plan.c), for the case file (page_casefile.c). */
int pages_plan_sections(web_request *req, buf *b, int64_t case_id, const plan *p);
/* "Final plan", "Proposed amendments": what an issued version is. */
const char *pages_plan_kind_label(store_plan_kind k);
/* A PDF of a self-contained document (page_plan.c; the plan's and the case
 * file's): begin initialises html and writes its head (the plain PDF
 * stylesheet, then extra_css, may be NULL) up to <main>; the caller writes
 * the body while rc is SH_OK; end closes the document, prints it
 * (web/pdf.h), frees html and answers the PDF as an attachment named
 * `filename`, or the error page for rc or the printing's failure. */
int pages_pdf_begin(buf *html, const char *title, const char *extra_css);
int pages_pdf_end(web_request *req, web_response *res, buf *html, int rc, const char *filename);

int page_casefile(web_request *req, web_response *res);       /* page_casefile.c */
int page_casefile_pdf(web_request *req, web_response *res);
int page_casefile_sample(web_request *req, web_response *res);

/* "From the family" on a case page (page_portal.c): the views and draft plan
 * responses the family sent through the portal, newest first; nothing when
 * there are none. The caller has checked the case is within reach. */
int pages_family_submissions(web_request *req, buf *b, int64_t case_id);
/* The submissions x[0..n) of case case_id themselves, each in an inset
 * with an h3 and links to its files among f[0..nf) (portal_files). */
int pages_submissions_html(web_request *req, buf *b, int64_t case_id, const store_submission *x,
                           size_t n, const store_portal_file *f, size_t nf);
/* A thread m[0..n), oldest first: who wrote (the family's or the council's
 * side, or "You" in the family's own view), when, and what. */
int pages_message_thread(web_request *req, buf *b, const store_message *m, size_t n,
                         bool family_view);
/* For a family account (page_portal.c): the case in req->params[0] when its
 * child is linked to the account; otherwise the denial is audited and the
 * answer is 404. Returns non-zero when the response is already written. */
int pages_portal_case_load(web_request *req, web_response *res, app_case_view *v);
/* "Messages with the family" on a case page (page_portal.c): the thread and,
 * for people who may write, a form; nothing when there are no messages and
 * no family account linked to the child. */
int pages_family_messages(web_request *req, buf *b, const app_case_view *v, bool can_write);
int page_portal_messages(web_request *req, web_response *res);
int page_portal_message_send(web_request *req, web_response *res);
int page_case_message_send(web_request *req, web_response *res);
int page_portal_activity(web_request *req, web_response *res);
int page_portal_emails_form(web_request *req, web_response *res); /* page_notify.c */
int page_portal_emails(web_request *req, web_response *res);
int page_family_emails(web_request *req, web_response *res);
/* The linked child in req->params[0] (page_portal.c), its read audited: a
 * child not linked to the account is audited as a denial and answered 404. */
int pages_portal_child_load(web_request *req, web_response *res, store_portal_link *link);
/* The case in req->params[0] (page_portal.c) for a person who may invite
 * its family or end a family's access (CAN_INVITE_FAMILY): as
 * pages_case_load for writing, and without the capability a denial audited
 * on `object` ("invitation", "family_access") and 403. */
int pages_family_case_load(web_request *req, web_response *res, app_case_view *v,
                           const char *object, const char *what);
/* page_portal_family.c: a second child on one account, the files a family
 * attached to their views, and withdrawing a family's access. */
int page_portal_add_child_form(web_request *req, web_response *res);
int page_portal_add_child(web_request *req, web_response *res);
int page_portal_file(web_request *req, web_response *res);
int page_case_family_file(web_request *req, web_response *res);
int page_family_remove_form(web_request *req, web_response *res);
int page_family_remove(web_request *req, web_response *res);
/* "Family portal access" on a case page (page_portal_family.c): the family
 * accounts linked to the child, each with "Remove access", and access ended
 * before; nothing for people who cannot invite families. */
int pages_family_access(web_request *req, buf *b, const app_case_view *v);
/* page_views_request.c: the council asks a family for their views. On a
 * case page, "The family's views" (each request and where it stands, and
 * "Ask the family for their views" for those who may ask); for a family
 * account, at the top of the journey the open request, and on the views
 * form the request the views answer (nothing when none is open). */
int pages_views_requests(web_request *req, buf *b, const app_case_view *v);
/* The requests r[0..n) (oldest first) shown newest first, each with its
 * answer; a withdraw link on open ones when can_ask (the case page), none
 * in the printed case file. */
int pages_views_request_rows(web_request *req, buf *b, const app_case_view *v,
                             const store_views_request *r, size_t n, bool can_ask);
int page_views_request_form(web_request *req, web_response *res);
int page_views_request_ask(web_request *req, web_response *res);
int page_views_request_withdraw_form(web_request *req, web_response *res);
int page_views_request_withdraw(web_request *req, web_response *res);
int pages_portal_views_asked(web_request *req, buf *b, const app_case_view *v, int64_t child_id);
int pages_portal_views_answers(web_request *req, buf *b, const store_portal_link *link);
int page_ask_form(web_request *req, web_response *res);        /* page_ask.c */
int page_ask(web_request *req, web_response *res);
int page_online_requests(web_request *req, web_response *res);
int page_online_request(web_request *req, web_response *res);
int page_online_request_close(web_request *req, web_response *res);

/* ---- responses ------------------------------------------------------------- */

#define PAGES_PER_PAGE 50   /* rows in a caseload or audit page */
#define PAGES_MAX_ERRORS 20 /* validation messages on one form */

/* Starts an HTML response: status, content type, and the page frame for the
 * signed-in person (p->who and p->csrf are filled in from req). */
int pages_begin(web_request *req, web_response *res, int status, html_page *p);
/* Ends the page when rc is SH_OK; otherwise (the page could not be written:
 * memory, the response ceiling) replaces it with the 500 page. Returns rc. */
int pages_end(web_request *req, web_response *res, int rc);
/* 303 See Other to a local path. */
int pages_redirect(web_response *res, const char *location);
/* The error page for a failed rc (SH_ENOTFOUND 404, SH_EDENIED 403,
 * SH_EUNAVAIL 503, SH_ELIMIT 413, SH_EINVAL 400, else 500). Returns rc. */
int pages_fail(web_request *req, web_response *res, int rc);

/* Where a person lands after signing in: their caseload, or for people who
 * see no records the first page their role has. */
const char *pages_home_for(const app_identity *who);

/* Records a read (or denial, export) of a record in the audit log. A read
 * that cannot be audited is not shown: callers fail with the rc. */
int pages_audit(web_request *req, const char *action, const char *object, int64_t object_id,
                int64_t child_id, const char *detail);

/* On a page that reads from a replica (--db-read), a line saying so and how
 * far behind the live record it is; nothing when it reads the primary. */
int pages_replica_notice(web_request *req, buf *b);

/* The GOV.UK success banner after a redirect from a form: "<what> recorded". */
int pages_recorded_banner(buf *b, const char *what);
/* The same banner with any heading ("Invitations recorded", "The plan has
 * ceased ..."). */
int pages_success_banner(buf *b, const char *heading);

/* Parses the request body as a form (form.h). */
int pages_form(web_request *req, web_form *out);

/* Adds a value to a form used to carry defaults into a page (ignored when
 * the form is full). */
void pages_form_set(web_form *f, const char *name, const char *value);

/* ---- validation messages ------------------------------------------------- */

typedef struct {
    html_field_error e[PAGES_MAX_ERRORS];
    size_t n;
} pages_errors;

/* `field` is the id the error summary links to (the input's id); the
 * message is kept by pointer (static or the request's arena). */
void pages_errors_add(pages_errors *errs, const char *field, const char *message);

const char *pages_errors_for(const pages_errors *errs, const char *field);

/* A use case's refusal of a form (err filled by an app_ call that failed):
 * a failed check (SH_EINVAL) becomes an error on `field` in errs, so the
 * form is shown again with what was typed, and true is returned; any other
 * failure returns false for the caller to fail the request with err->rc. */
bool pages_refused(web_request *req, const app_error *err, const char *field,
                   pages_errors *errs);

/* ---- GOV.UK form controls --------------------------------------------------
 * Each writes one govuk-form-group; the id of the control is its name, the
 * hint is "<name>-hint", the error message "<name>-error"; with an error the
 * group, the control and aria-describedby follow the GOV.UK error pattern. */

typedef struct {
    const char *name, *label, *hint, *value;
    const char *classes;      /* width etc., e.g. "govuk-input--width-10" */
    const char *type;         /* "text" when NULL */
    const char *autocomplete; /* NULL: none */
    const char *inputmode;    /* "numeric" etc., NULL: none */
    bool spellcheck_off;
} pages_input_spec;

int pages_input(buf *b, const pages_input_spec *s, const pages_errors *errs);

typedef struct {
    const char *value, *text, *hint; /* hint: radios only, NULL for none */
} pages_option;

int pages_select(buf *b, const char *name, const char *label, const char *hint,
                 const pages_option *opts, size_t n, const char *selected,
                 const pages_errors *errs);

/* Radios in a fieldset; `divider_before` > 0 puts an "or" divider before
 * that option (GOV.UK radios divider). */
typedef struct {
    const char *name, *legend, *hint;
    const pages_option *opts;
    size_t n;
    const char *checked;
    bool small;               /* govuk-radios--small (secondary questions) */
    size_t divider_before;
    const char *legend_classes; /* NULL: "govuk-fieldset__legend--s" */
} pages_radios_spec;

int pages_radios(buf *b, const pages_radios_spec *s, const pages_errors *errs);

int pages_textarea(buf *b, const char *name, const char *label, const char *hint,
                   const char *value, int rows, const pages_errors *errs);

/* A single small checkbox (e.g. "Overdue only") submitting value_attr. */
int pages_checkbox(buf *b, const char *name, const char *value_attr, const char *label,
                   bool checked);

/* The invitation code's input (page_portal.c): joining, adding a child. */
int pages_portal_code_input(buf *b, const web_form *f, const pages_errors *errs);

/* A GOV.UK date input: fields "<name>-day", "<name>-month", "<name>-year"
 * with their typed values from `values`; an error for the date is filed
 * under "<name>-day" (or the first missing part). */
int pages_date_input(buf *b, const char *name, const char *legend, const char *hint,
                     const web_form *values, const pages_errors *errs);

/* Reads a date typed into pages_date_input. `what` names it in messages
 * ("the date of birth"). All three boxes empty: DATE_NONE when optional,
 * "Enter <what>" when required. Otherwise the GOV.UK messages: "<What> must
 * include a month", "<What> must be a real date". SH_OK or SH_EINVAL (the
 * error added to errs). */
int pages_date_read(const web_form *f, const char *name, const char *what, bool required,
                    arena *a, date_t *out, pages_errors *errs);
/* Puts a date's parts into a form as day, month and year (for defaults). */
void pages_date_set(web_form *f, arena *a, const char *name, date_t d);

/* The hidden CSRF field every POST form carries. */
int pages_csrf_input(buf *b, const web_request *req);

/* ---- links, pagination, text ---------------------------------------------- */

/* One RFC 4180 CSV field into b, then "," or (last) CRLF. A field a
 * spreadsheet would run as a formula (it starts with = + - @, a tab or CR)
 * gets a leading apostrophe, as typed text can be anything. */
int pages_csv_field(buf *b, const char *s, bool last);

/* Percent-encodes s for a query string (in the arena; NULL on failure). The
 * result is plain text: write it with %s like any other value. */
const char *pages_url_encode(arena *a, const char *s);

/* GOV.UK pagination for pages 1..pages; links are href_base followed by the
 * page number (href_base ends in "page=" after any other arguments). Writes
 * nothing for a single page. */
int pages_pagination(buf *b, const char *href_base, size_t page, size_t pages);

/* The whole-number query argument `name` in [1, max], or def when absent or
 * not a number in range (paging is forgiving: a bad page shows the first). */
size_t pages_query_page(const web_request *req, const char *name, size_t max);

/* Copies a trimmed form value into the arena ("" when absent). */
const char *pages_trim(arena *a, const char *s);

/* "Advice from health", "Issue the final EHC plan": what a statutory step
 * asks for, from its rule key and agency (or a wire step name such as
 * "advice:health" when key_or_step contains ':'). */
const char *pages_step_label(arena *a, const char *key_or_step, event_agency agency);

/* The tag for something due on `due` seen on `today`: overdue (red) when
 * past, due this week (orange) within 7 days, else "" (nothing to flag). */
const char *pages_due_tag(date_t due, date_t today);

/* A moment (unix seconds) in local time, "25 May 2026, 14:03"; "" for 0. In
 * the arena. */
const char *pages_time(arena *a, int64_t t);

/* A date for a table cell: "9 Jan 2019" (the GOV.UK short form where space
 * is tight); "" for DATE_NONE. In the arena. */
const char *pages_date_short(arena *a, date_t d);

/* An NHS number as people read it, "943 476 5919" (anything that is not 10
 * characters is returned as it is). */
const char *pages_nhs_number(arena *a, const char *nhs);

/* A SEN type's label ("Autistic spectrum disorder"), "" for none. */
const char *pages_need_label(int sen);

/* Whole years from d to today (an age). */
int pages_age_years(date_t d, date_t today);

/* ---- a child's case: shared by page_case.c and page_event.c ------------------ */

/* Loads the case in req->params[0] as of today and decides access: not
 * visible to the person (access_case_visible) -> audited "denied" and 404;
 * `write` and the person may not record -> 403. Renders the error page and
 * returns the rc on failure. Audits nothing on success (the page does). */
int pages_case_load(web_request *req, web_response *res, bool write, app_case_view *v);

/* The event form's fields: what happened (type), when (date) and the
 * details some types need, all shown and grouped (no JavaScript needed).
 * `start_types`: offer only the types that start a journey (correcting the
 * request itself), else every type that can be recorded on an open case.
 * Field names: type, date-day/-month/-year, agency, outcome_assess,
 * outcome_review, exception, transfer_year, transfer_to, cease_reason. */
int pages_event_fields(buf *b, const web_form *values, const pages_errors *errs,
                       bool start_types);
/* Reads those fields into *out (event_init first; only the chosen type's
 * fields are used), adding a GOV.UK message per problem. SH_OK or
 * SH_EINVAL. */
int pages_event_read(web_request *req, const web_form *f, bool start_types, event *out,
                     pages_errors *errs);
/* The form values that show an existing event (to correct it). */
void pages_event_values(web_request *req, const event *e, web_form *out);
/* One line of an event's details ("Health", "Keep the plan as it is"), or "". */
const char *pages_event_details(arena *a, const event *e);

/* The case's advice requests (those the person may see) with their status
 * and a link to each, and for people who may write a link to request more;
 * id "advice" (page_advice.c). */
int pages_case_advice(web_request *req, buf *b, const app_case_view *v);
/* The tag for an open step: the family's own time limit (blue, or grey once
 * passed), overdue, due this week, or pending. */
const char *pages_step_tag(const journey_deadline *d, date_t today);
/* One summary-list row for an open step: what it asks for, "Due <date>"
 * with its tag, the engine's explanation and the legal basis. */
int pages_due_step(web_request *req, buf *b, const journey_deadline *d);

/* Records e on the case shown in v: first checks the journey with e added
 * (journey_validate, for a message tied to the form's fields), then
 * app_case_record_event (which validates again inside its transaction).
 * SH_EINVAL with errs filled for the form; other rcs are for pages_fail. */
int pages_case_record(web_request *req, const app_case_view *v, event *e, pages_errors *errs);

#endif
