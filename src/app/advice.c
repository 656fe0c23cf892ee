#include "app/advice.h"

#include <stdio.h>
#include <string.h>

#include "app/access.h"
#include "core/ident.h"
#include "util/err.h"

/* ---- asking ------------------------------------------------------------------ */

/* The form field of each agency's service name, for error messages. */
static const char *const service_fields[AGENCY_COUNT] = {
    [AGENCY_EDUCATION] = "service_education", [AGENCY_HEALTH] = "service_health",
    [AGENCY_SOCIAL_CARE] = "service_social_care", [AGENCY_PSYCHOLOGY] = "service_psychology",
    [AGENCY_OTHER] = "service_other",
};

static int check_service_name(const app_advice_ask *k, app_error *err)
{
    const char *field = service_fields[k->agency];
    const char *name = k->service ? k->service : "";
    size_t len = strlen(name);
    if (len == 0 && k->agency != AGENCY_EDUCATION)
        return app_fail(err, SH_EINVAL, field, "Enter the name of the %s service or team to ask",
                        event_agency_label(k->agency));
    if (len > ADVICE_SERVICE_MAX)
        return app_fail(err, SH_EINVAL, field,
                        "The name of the service must be %d characters or fewer",
                        ADVICE_SERVICE_MAX);
    if (advice_text_check(name, ADVICE_SERVICE_MAX) != SH_OK || strpbrk(name, "\r\n\t"))
        return app_fail(err, SH_EINVAL, field, "The name of the service must be one line of text");
    return SH_OK;
}

static bool same_ask(const app_advice_ask *x, const app_advice_ask *y)
{
    if (x->agency != y->agency)
        return false;
    if (x->agency == AGENCY_EDUCATION)
        return strcmp(x->setting_urn ? x->setting_urn : "", y->setting_urn ? y->setting_urn : "") == 0;
    return strcmp(x->service ? x->service : "", y->service ? y->service : "") == 0;
}

int app_advice_check_request(const app_advice_ask *asks, size_t n, date_t requested_on,
                             const char *question, date_t as_of, app_error *err)
{
    if (n == 0)
        return app_fail(err, SH_EINVAL, "agencies", "Select at least one service to ask for advice");
    if (n > APP_ADVICE_ASKS_MAX)
        return app_fail(err, SH_ELIMIT, "agencies", "Ask at most %d services at once",
                        APP_ADVICE_ASKS_MAX);
    for (size_t i = 0; i < n; i++) {
        const app_advice_ask *k = &asks[i];
        if ((unsigned)k->agency >= AGENCY_COUNT)
            return app_fail(err, SH_EINVAL, "agencies", "Select services from the list");
        int rc = check_service_name(k, err);
        if (rc)
            return rc;
        const char *why = NULL;
        if (k->agency == AGENCY_EDUCATION &&
            (!k->setting_urn || !k->setting_urn[0] ||
             ident_urn_validate(k->setting_urn, strlen(k->setting_urn), &why) != SH_OK))
            return app_fail(err, SH_EINVAL, "setting_urn",
                            "Enter the URN of the school or setting to ask: 6 or 7 digits");
        for (size_t j = 0; j < i; j++)
            if (same_ask(k, &asks[j]))
                return app_fail(err, SH_EINVAL, "agencies",
                                "Each service can be asked once in one request");
    }
    int rc = advice_text_check(question, ADVICE_TEXT_MAX);
    if (rc == SH_ELIMIT)
        return app_fail(err, SH_EINVAL, "question",
                        "The question must be %d characters or fewer", ADVICE_TEXT_MAX);
    if (rc)
        return app_fail(err, SH_EINVAL, "question",
                        "The question must not contain control characters");
    if (requested_on == DATE_NONE)
        return app_fail(err, SH_EINVAL, "date", "Enter the date advice was requested");
    if (requested_on > as_of)
        return app_fail(err, SH_EINVAL, "date",
                        "The date advice was requested must be today or in the past");
    return SH_OK;
}

/* The due date the engine gave the clock that event `id` started. */
static date_t due_of(const journey_timeline *t, int64_t id)
{
    for (size_t i = 0; i < t->n_deadlines; i++)
        if (t->deadlines[i].trigger_event == id &&
            strcmp(journey_rule_key(t->deadlines[i].rule), "advice") == 0)
            return t->deadlines[i].due;
    return DATE_NONE;
}

/* The service's name for the row: as given, or for a school or setting its
 * name from its URN ("URN 123456" when the area does not know it). */
static const char *service_name(store *s, const app_advice_ask *k, arena *a)
{
    if (k->service && k->service[0])
        return k->service;
    const char *name = NULL;
    if (store_setting_name(s, k->setting_urn, a, &name) == SH_OK && name && name[0])
        return name;
    return arena_printf(a, "URN %s", k->setting_urn);
}

static int ask_one(store *s, const app_identity *who, int64_t case_id,
                   const app_advice_ask *k, date_t requested_on, const char *question,
                   date_t as_of, arena *a, int64_t *id, app_error *err)
{
    event e;
    event_init(&e, EV_ADVICE_REQUESTED, requested_on);
    e.agency = k->agency;
    journey_timeline t;
    store_case c;
    int rc = store_case_get(s, who->la_code, case_id, a, &c);
    if (rc)
        return app_store_failure(rc, err, "The case");
    if ((rc = app_case_append(s, who, case_id, &e, as_of, a, &t, err)))
        return rc;
    store_advice r = {.case_id = case_id, .child_id = c.child_id, .agency = k->agency,
                      .question = question ? question : "", .requested_by = who->username,
                      .requested_on = requested_on, .due = due_of(&t, e.id),
                      .requested_event = e.id, .received_on = DATE_NONE};
    memcpy(r.la_code, who->la_code, sizeof r.la_code);
    r.service = service_name(s, k, a);
    if (!r.service)
        return app_fail(err, SH_ENOMEM, NULL, "Out of memory.");
    if (k->agency == AGENCY_EDUCATION)
        snprintf(r.setting_urn, sizeof r.setting_urn, "%s", k->setting_urn);
    if (r.due == DATE_NONE)
        return app_fail(err, SH_EIO, NULL, "The 6-week time limit could not be worked out.");
    rc = store_advice_insert(s, &r);
    if (rc)
        return app_store_failure(rc, err, "The case");
    *id = r.id;
    return app_audit_write(s, who, "advice", r.id, c.child_id,
                           arena_printf(a, "requested advice from %s",
                                        event_agency_name(k->agency)),
                           err);
}

int app_advice_request(store *s, const app_identity *who, int64_t case_id,
                       const app_advice_ask *asks, size_t n, date_t requested_on,
                       const char *question, date_t as_of, arena *a, int64_t *ids,
                       app_error *err)
{
    if (!access_can(who, CAN_WRITE_CASES))
        return app_fail(err, SH_EDENIED, NULL, "Your role cannot request advice.");
    int rc = app_advice_check_request(asks, n, requested_on, question, as_of, err);
    if (rc)
        return rc;
    if ((rc = store_tx_begin(s)))
        return app_store_failure(rc, err, "The database");
    for (size_t i = 0; rc == SH_OK && i < n; i++)
        rc = ask_one(s, who, case_id, &asks[i], requested_on, question, as_of, a, &ids[i], err);
    return app_finish_tx(s, rc, err);
}

/* ---- answering ------------------------------------------------------------------ */

static int check_section(const char *field, const char *label, const char *text,
                         app_error *err)
{
    if (!text || !text[0])
        return app_fail(err, SH_EINVAL, field, "Enter %s", label);
    int rc = advice_text_check(text, ADVICE_TEXT_MAX);
    if (rc == SH_ELIMIT)
        return app_fail(err, SH_EINVAL, field, "The %s must be %d characters or fewer",
                        label, ADVICE_TEXT_MAX);
    if (rc)
        return app_fail(err, SH_EINVAL, field, "The %s must not contain control characters",
                        label);
    return SH_OK;
}

int app_advice_check_answer(const app_advice_answer *ans, date_t requested_on, date_t as_of,
                            app_error *err)
{
    int rc = check_section("needs", "the child's needs", ans->needs, err);
    if (rc == SH_OK)
        rc = check_section("outcomes", "the outcomes", ans->outcomes, err);
    if (rc == SH_OK)
        rc = check_section("provision", "the recommended provision", ans->provision, err);
    if (rc)
        return rc;
    date_t on = ans->received_on == DATE_NONE ? as_of : ans->received_on;
    if (on > as_of)
        return app_fail(err, SH_EINVAL, "received_on",
                        "The date the advice was received must be today or in the past");
    if (on < requested_on)
        return app_fail(err, SH_EINVAL, "received_on",
                        "The date the advice was received must be on or after the date it "
                        "was requested");
    if (ans->n_files > ADVICE_FILES_MAX)
        return app_fail(err, SH_EINVAL, "files", "Attach at most %d files", ADVICE_FILES_MAX);
    for (size_t i = 0; i < ans->n_files; i++) {
        const char *why = NULL;
        if (advice_pdf_check(ans->files[i].data, ans->files[i].len, &why) != SH_OK) {
            char name[ADVICE_FILENAME_MAX + 1];
            advice_filename_clean(ans->files[i].filename, name);
            return app_fail(err, SH_EINVAL, "files", "%s: %s", name, why);
        }
    }
    return SH_OK;
}

static int store_answer(store *s, const app_identity *who, const store_advice *r,
                        const app_advice_answer *ans, date_t on, date_t as_of, arena *a,
                        app_error *err)
{
    event e;
    event_init(&e, EV_ADVICE_RECEIVED, on);
    e.agency = r->agency;
    journey_timeline t;
    int rc = app_case_append(s, who, r->case_id, &e, as_of, a, &t, err);
    if (rc)
        return rc;
    rc = store_advice_receive(s, who->la_code, r->id, on, e.id, who->username, ans->needs,
                              ans->outcomes, ans->provision);
    if (rc == SH_ENOTFOUND)
        return app_fail(err, SH_ECONFLICT, NULL, "This advice has already been sent.");
    if (rc)
        return app_store_failure(rc, err, "The advice request");
    for (size_t i = 0; i < ans->n_files; i++) {
        char name[ADVICE_FILENAME_MAX + 1];
        advice_filename_clean(ans->files[i].filename, name);
        store_advice_file f = {.request_id = r->id, .filename = name,
                               .size = ans->files[i].len, .content = ans->files[i].data};
        if ((rc = store_advice_file_insert(s, who->la_code, &f)))
            return app_store_failure(rc, err, "The advice request");
    }
    return app_audit_write(s, who, "advice", r->id, r->child_id,
                           arena_printf(a, "sent advice (%zu attachment%s)", ans->n_files,
                                        ans->n_files == 1 ? "" : "s"),
                           err);
}

int app_advice_submit(store *s, const app_identity *who, int64_t request_id,
                      const app_advice_answer *ans, date_t as_of, arena *a, app_error *err)
{
    store_advice r;
    int rc = store_advice_get(s, who->la_code, request_id, a, &r);
    if (rc)
        return app_store_failure(rc, err, "The advice request");
    if (!access_advice_may_answer(who, r.la_code, r.agency, r.setting_urn))
        return app_fail(err, SH_EDENIED, NULL, "You cannot send advice for this request.");
    if (r.received_on != DATE_NONE)
        return app_fail(err, SH_ECONFLICT, NULL, "This advice has already been sent.");
    /* A service sends its advice today; only people recording it for a
     * service (who may write) say when it came. */
    app_advice_answer checked = *ans;
    if (!access_can(who, CAN_WRITE_CASES))
        checked.received_on = DATE_NONE;
    if ((rc = app_advice_check_answer(&checked, r.requested_on, as_of, err)))
        return rc;
    date_t on = checked.received_on == DATE_NONE ? as_of : checked.received_on;
    if ((rc = store_tx_begin(s)))
        return app_store_failure(rc, err, "The database");
    rc = store_answer(s, who, &r, &checked, on, as_of, a, err);
    return app_finish_tx(s, rc, err);
}

/* ---- reading ---------------------------------------------------------------------- */

static int load_visible(store *s, const app_identity *who, int64_t request_id, arena *a,
                        store_advice *r, app_error *err)
{
    int rc = store_advice_get(s, who->la_code, request_id, a, r);
    if (rc)
        return app_store_failure(rc, err, "The advice request");
    if (!access_advice_visible(who, r->la_code, r->agency, r->setting_urn))
        return app_fail(err, SH_EDENIED, NULL, "The advice request was not found.");
    return SH_OK;
}

static void coordinator_of(store *s, const char *username, arena *a, app_advice_view *out)
{
    store_user u;
    out->coordinator = username;
    out->coordinator_email = "";
    if (username && username[0] && store_user_by_name(s, username, a, &u) == SH_OK) {
        out->coordinator = u.display_name;
        out->coordinator_email = u.email ? u.email : "";
    }
}

int app_advice_get(store *s, const app_identity *who, int64_t request_id, date_t as_of,
                   arena *a, app_advice_view *out, app_error *err)
{
    memset(out, 0, sizeof *out);
    int rc = load_visible(s, who, request_id, a, &out->r, err);
    if (rc)
        return rc;
    store_child child;
    store_case c;
    rc = store_read_begin(s);
    if (rc == SH_OK) {
        rc = store_case_get(s, who->la_code, out->r.case_id, a, &c);
        if (rc == SH_OK)
            rc = store_child_get(s, who->la_code, out->r.child_id, a, &child);
        if (rc == SH_OK)
            rc = store_advice_file_list(s, who->la_code, request_id, a, &out->files,
                                        &out->n_files);
        int end = store_read_end(s);
        rc = rc ? rc : end;
    }
    if (rc)
        return app_store_failure(rc, err, "The advice request");
    out->state = advice_state_at(out->r.due, out->r.received_on, as_of);
    out->child_name = arena_printf(a, "%s %s", child.forename, child.surname);
    out->date_of_birth = child.date_of_birth;
    out->primary_need = child.sen_need[0];
    memcpy(out->setting_urn, child.setting_urn, sizeof out->setting_urn);
    out->setting_name = "";
    if (child.setting_urn[0] &&
        store_setting_name(s, child.setting_urn, a, &out->setting_name) != SH_OK)
        out->setting_name = "";
    coordinator_of(s, c.coordinator && c.coordinator[0] ? c.coordinator : out->r.requested_by,
                   a, out);
    out->may_answer = out->r.received_on == DATE_NONE &&
                      access_advice_may_answer(who, out->r.la_code, out->r.agency,
                                               out->r.setting_urn);
    return out->child_name ? SH_OK : app_fail(err, SH_ENOMEM, NULL, "Out of memory.");
}

int app_advice_list(store *s, const app_identity *who, const app_advice_filter *f,
                    date_t as_of, arena *a, app_advice_row **out, size_t *n, app_error *err)
{
    *out = NULL;
    *n = 0;
    event_agency agency;
    const char *urn;
    if (access_advice_scope(who, &agency, &urn) != SH_OK)
        return app_fail(err, SH_EDENIED, NULL, "Your role does not see advice requests.");
    if (agency == AGENCY_NONE)
        agency = f->agency;
    store_advice_query q = {.la_code = who->la_code,
                            .agency = agency == AGENCY_NONE ? NULL : event_agency_name(agency),
                            .setting_urn = urn, .open_only = f->open_only,
                            .since = DATE_NONE, .due_by = DATE_NONE,
                            .limit = f->limit, .offset = f->offset};
    store_advice *rows;
    size_t k;
    int rc = store_advice_list(s, &q, a, &rows, &k);
    app_advice_row *res = k ? arena_calloc(a, k, sizeof *res) : NULL;
    if (rc == SH_OK && k && !res)
        rc = SH_ENOMEM;
    for (size_t i = 0; rc == SH_OK && i < k; i++) {
        store_child child;
        rc = store_child_get(s, who->la_code, rows[i].child_id, a, &child);
        res[i] = (app_advice_row){.r = rows[i],
                                  .state = advice_state_at(rows[i].due, rows[i].received_on,
                                                           as_of)};
        if (rc == SH_OK)
            res[i].child_name = arena_printf(a, "%s %s", child.forename, child.surname);
    }
    if (rc)
        return app_store_failure(rc, err, "The advice requests");
    *out = res;
    *n = k;
    return SH_OK;
}

int app_advice_for_case(store *s, const app_identity *who, int64_t case_id, arena *a,
                        store_advice **out, size_t *n, app_error *err)
{
    *out = NULL;
    *n = 0;
    if (!access_can(who, CAN_READ_CASES))
        return app_fail(err, SH_EDENIED, NULL, "Your role cannot read EHC records.");
    store_advice_query q = {.la_code = who->la_code, .case_id = case_id,
                            .since = DATE_NONE, .due_by = DATE_NONE, .limit = STORE_PAGE_MAX};
    store_advice *rows;
    size_t k, kept = 0;
    int rc = store_advice_list(s, &q, a, &rows, &k);
    if (rc)
        return app_store_failure(rc, err, "The advice requests");
    for (size_t i = 0; i < k; i++)
        if (access_advice_visible(who, rows[i].la_code, rows[i].agency, rows[i].setting_urn))
            rows[kept++] = rows[i];
    *out = rows;
    *n = kept;
    return SH_OK;
}

int app_advice_file(store *s, const app_identity *who, int64_t request_id, int64_t file_id,
                    arena *a, store_advice_file *out, store_advice *request, app_error *err)
{
    int rc = load_visible(s, who, request_id, a, request, err);
    if (rc)
        return rc;
    rc = store_advice_file_get(s, who->la_code, file_id, a, out);
    if (rc == SH_OK && out->request_id != request_id)
        rc = SH_ENOTFOUND;
    return rc ? app_store_failure(rc, err, "The file") : SH_OK;
}

/* ---- the dashboard ---------------------------------------------------------------- */

typedef struct {
    arena *a;
    advice_fact *facts;
    size_t n, cap;
} fact_list;

static int collect_fact(void *ctx, const store_advice *r)
{
    fact_list *l = ctx;
    if (l->n == l->cap) {
        size_t cap = l->cap ? 2 * l->cap : 64;
        advice_fact *grown = arena_calloc(l->a, cap, sizeof *grown);
        if (!grown)
            return SH_ENOMEM;
        if (l->n)
            memcpy(grown, l->facts, l->n * sizeof *grown);
        l->facts = grown;
        l->cap = cap;
    }
    const char *service = arena_strdup(l->a, r->service);
    if (!service)
        return SH_ENOMEM;
    l->facts[l->n++] = (advice_fact){.agency = r->agency, .service = service,
                                     .requested_on = r->requested_on, .due = r->due,
                                     .received_on = r->received_on};
    return SH_OK;
}

int app_advice_dashboard(store *s, const app_identity *who, date_t as_of, arena *a,
                         advice_tally **out, size_t *n, app_error *err)
{
    event_agency agency;
    const char *urn;
    if (access_advice_scope(who, &agency, &urn) != SH_OK)
        return app_fail(err, SH_EDENIED, NULL, "Your role does not see advice requests.");
    store_advice_query q = {.la_code = who->la_code,
                            .agency = agency == AGENCY_NONE ? NULL : event_agency_name(agency),
                            .setting_urn = urn, .since = date_add_months(as_of, -12),
                            .due_by = DATE_NONE};
    fact_list l = {.a = a};
    int rc = store_advice_scan(s, &q, collect_fact, &l);
    if (rc == SH_OK)
        rc = advice_tally_compute(l.facts, l.n, as_of, a, out, n);
    return rc ? app_store_failure(rc, err, "The advice requests") : SH_OK;
}
