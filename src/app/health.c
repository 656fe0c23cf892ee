#include "app/health.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/access.h"
#include "core/ident.h"
#include "util/err.h"

/* The pathways every area starts with (issue 5). Standards: NICE QS51 asks
 * for an autism assessment to start within 3 months of referral (13 weeks
 * is how services count it, facts file §7.2); consultant-led ADHD and
 * community paediatrics are under the 18-week RTT right (§7.1); CAMHS and
 * the therapies have no national standard, and 18 weeks is the one areas
 * report against (CHS SitRep bands, §7.3). Diagnostic pathways stop the
 * clock when the assessment starts, the others at first contact. Capacity
 * 0 means "not configured": the dashboard then uses the rate actually seen. */
static const struct {
    const char *code, *name, *provider;
    int standard_weeks;
    wait_milestone stop;
} seed[] = {
    {"autism", "Autism assessment (under 18)", "Neurodevelopmental service", 13,
     WAIT_STOP_ASSESSMENT_STARTED},
    {"adhd", "ADHD assessment", "Neurodevelopmental service", 18, WAIT_STOP_ASSESSMENT_STARTED},
    {"camhs", "CAMHS", "Child and adolescent mental health service", 18,
     WAIT_STOP_FIRST_CONTACT},
    {"slt", "Speech and language therapy", "Children's therapies", 18, WAIT_STOP_FIRST_CONTACT},
    {"ot", "Occupational therapy", "Children's therapies", 18, WAIT_STOP_FIRST_CONTACT},
    {"physio", "Physiotherapy", "Children's therapies", 18, WAIT_STOP_FIRST_CONTACT},
    {"paediatrics", "Community paediatrics", "Community paediatric service", 18,
     WAIT_STOP_FIRST_CONTACT},
};

static const char *const step_names[HEALTH_STEP_COUNT] = {
    "triage", "clock_stop", "clock_restart", "first_contact", "assessment_started",
    "assessment_completed", "outcome", "discharge"};
static const char *const step_labels[HEALTH_STEP_COUNT] = {
    "Triage decision", "Clock paused", "Clock restarted", "First contact",
    "Assessment started", "Assessment completed", "Outcome", "Discharge"};
static const char *const stop_names[HEALTH_STOP_COUNT] = {"declined", "not_brought",
                                                          "postponed"};
static const char *const stop_labels[HEALTH_STOP_COUNT] = {
    "The family declined appointments offered",
    "The child was not brought to an appointment",
    "The family asked to postpone"};

#define STOP_NOTE_MAX 400 /* leaves room for the reason's label in STORE_REASON_MAX */

static int parse_name(const char *const *names, int n, const char *s)
{
    for (int i = 0; s && i < n; i++)
        if (strcmp(s, names[i]) == 0)
            return i;
    return -1;
}

const char *health_step_name(health_step s)
{
    return s >= 0 && s < HEALTH_STEP_COUNT ? step_names[s] : "";
}
const char *health_step_label(health_step s)
{
    return s >= 0 && s < HEALTH_STEP_COUNT ? step_labels[s] : "";
}
int health_step_parse(const char *s) { return parse_name(step_names, HEALTH_STEP_COUNT, s); }
const char *health_stop_reason_name(health_stop_reason r)
{
    return r >= 0 && r < HEALTH_STOP_COUNT ? stop_names[r] : "";
}
const char *health_stop_reason_label(health_stop_reason r)
{
    return r >= 0 && r < HEALTH_STOP_COUNT ? stop_labels[r] : "";
}
int health_stop_reason_parse(const char *s)
{
    return parse_name(stop_names, HEALTH_STOP_COUNT, s);
}

/* ---- checks ------------------------------------------------------------------ */

static int deny(const app_identity *who, app_error *err, const char *what)
{
    return app_fail(err, SH_EDENIED, NULL, "Your role (%s) cannot %s.",
                    access_role_label((app_role)who->role), what);
}

/* A date that must be recorded, not after today, and on or after `after`
 * (DATE_NONE: no lower bound), which is `after_what` in the message. */
static int check_date(const char *field, date_t d, date_t today, date_t after,
                      const char *after_what, app_error *err)
{
    if (d == DATE_NONE)
        return app_fail(err, SH_EINVAL, field, "Enter the date.");
    if (d > today)
        return app_fail(err, SH_EINVAL, field, "The date must be today or in the past.");
    if (after != DATE_NONE && d < after) {
        char when[40];
        date_format_long(after, when, sizeof when);
        return app_fail(err, SH_EINVAL, field,
                        "The date must be the same as or after %s (%s).", after_what, when);
    }
    return SH_OK;
}

bool app_referral_closed(const store_referral *r)
{
    return r->discharged != DATE_NONE || r->triage == WAIT_TRIAGE_REJECTED ||
           r->triage == WAIT_TRIAGE_REDIRECTED;
}

static date_t milestone_of(const store_referral *r, wait_milestone m)
{
    return m == WAIT_STOP_FIRST_CONTACT ? r->first_contact : r->assessment_started;
}

static date_t latest(date_t a, date_t b) { return a == DATE_NONE || (b != DATE_NONE && b > a) ? b : a; }

/* A diagnosis or outcome code: ICD-10 ("F84.0"), SNOMED CT (digits) or a
 * local code; letters, digits, '.' and '-'. */
static int check_outcome_code(const char *s, app_error *err)
{
    size_t n = s ? strlen(s) : 0;
    if (n == 0)
        return SH_OK;
    if (n > STORE_OUTCOME_CODE_MAX)
        return app_fail(err, SH_EINVAL, "outcome_code", "The code must be %d characters or fewer.",
                        STORE_OUTCOME_CODE_MAX);
    for (const char *p = s; *p; p++)
        if (!isalnum((unsigned char)*p) && *p != '.' && *p != '-')
            return app_fail(err, SH_EINVAL, "outcome_code",
                            "The code can only contain letters, numbers, full stops and "
                            "hyphens, like F84.0.");
    return SH_OK;
}

/* ---- pathways ------------------------------------------------------------------ */

static bool sees_health(const app_identity *who)
{
    return access_can(who, CAN_SEE_WAITING_LISTS) || access_can(who, CAN_SEE_PATHWAY_STATS) ||
           access_can(who, CAN_CONFIGURE_PATHWAYS);
}

int app_health_pathways_default(store *s, const char *la_code, arena *a, int *added)
{
    int rc = SH_OK, n = 0;
    for (size_t i = 0; rc == SH_OK && i < sizeof seed / sizeof seed[0]; i++) {
        store_pathway p;
        rc = store_pathway_by_code(s, la_code, seed[i].code, a, &p);
        if (rc != SH_ENOTFOUND)
            continue;
        memset(&p, 0, sizeof p);
        memcpy(p.la_code, la_code, sizeof p.la_code);
        snprintf(p.code, sizeof p.code, "%s", seed[i].code);
        p.name = seed[i].name;
        p.provider = seed[i].provider;
        p.standard_weeks = seed[i].standard_weeks;
        p.clock_stop = seed[i].stop;
        p.active = true;
        rc = store_pathway_put(s, &p);
        n += rc == SH_OK;
    }
    if (added)
        *added = n;
    return rc;
}

int app_health_pathways_seed(store *s, const app_identity *who, int *added, app_error *err)
{
    if (!access_can(who, CAN_CONFIGURE_PATHWAYS))
        return deny(who, err, "configure health pathways");
    arena *a = arena_create(1 << 16);
    if (!a)
        return app_fail(err, SH_ENOMEM, NULL, "Out of memory.");
    int n = 0, rc = store_tx_begin(s);
    if (rc) {
        arena_destroy(a);
        return app_store_failure(rc, err, "The database");
    }
    rc = app_health_pathways_default(s, who->la_code, a, &n);
    if (rc)
        rc = app_store_failure(rc, err, "The pathways");
    else if (n)
        rc = app_audit_write(s, who, "pathway", 0, 0, "added the standard pathways", err);
    arena_destroy(a);
    rc = app_finish_tx(s, rc, err);
    if (added)
        *added = rc ? 0 : n;
    return rc;
}

int app_health_pathways(store *s, const app_identity *who, arena *a, store_pathway **out,
                        size_t *n, app_error *err)
{
    if (!sees_health(who))
        return deny(who, err, "see health pathways");
    int rc = store_pathway_list(s, who->la_code, false, a, out, n);
    return rc ? app_store_failure(rc, err, "The pathways") : SH_OK;
}

int app_health_pathway_get(store *s, const app_identity *who, int64_t id, arena *a,
                           store_pathway *out, app_error *err)
{
    if (!sees_health(who))
        return deny(who, err, "see health pathways");
    int rc = store_pathway_get(s, who->la_code, id, a, out);
    return rc ? app_store_failure(rc, err, "The pathway") : SH_OK;
}

int app_health_pathway_update(store *s, const app_identity *who, int64_t id,
                              const char *provider, int standard_weeks, int capacity,
                              bool active, app_error *err)
{
    if (!access_can(who, CAN_CONFIGURE_PATHWAYS))
        return deny(who, err, "configure health pathways");
    int rc = app_check_text("provider", "the provider", provider, STORE_HEALTH_TEXT_MAX, false,
                        false, err);
    if (rc)
        return rc;
    if (standard_weeks < 1 || standard_weeks > WAIT_STANDARD_MAX_WEEKS)
        return app_fail(err, SH_EINVAL, "standard_weeks",
                        "The standard must be a whole number of weeks from 1 to %d.",
                        WAIT_STANDARD_MAX_WEEKS);
    if (capacity < 0 || capacity > STORE_CAPACITY_MAX)
        return app_fail(err, SH_EINVAL, "capacity",
                        "Capacity must be a whole number from 0 to %d a week.",
                        STORE_CAPACITY_MAX);
    arena *a = arena_create(1 << 16);
    if (!a)
        return app_fail(err, SH_ENOMEM, NULL, "Out of memory.");
    rc = store_tx_begin(s);
    if (rc) {
        arena_destroy(a);
        return app_store_failure(rc, err, "The database");
    }
    store_pathway p;
    rc = store_pathway_get(s, who->la_code, id, a, &p);
    if (rc == SH_OK) {
        p.provider = provider;
        p.standard_weeks = standard_weeks;
        p.capacity_per_week = capacity;
        p.active = active;
        rc = store_pathway_put(s, &p);
    }
    if (rc)
        rc = app_store_failure(rc, err, "The pathway");
    else
        rc = app_audit_write(s, who, "pathway", id, 0, "changed pathway", err);
    arena_destroy(a);
    return app_finish_tx(s, rc, err);
}

/* ---- referrals ----------------------------------------------------------------- */

/* Checks a new referral against its child and pathway (both of the area). */
static int check_new_referral(const store_referral *r, const store_child *c,
                              const store_pathway *p, date_t today, app_error *err)
{
    if (!p->active)
        return app_fail(err, SH_EINVAL, "pathway",
                        "%s is not taking new referrals; choose another pathway.", p->name);
    int rc = app_check_text("referrer", "who made the referral", r->referrer, STORE_HEALTH_TEXT_MAX,
                        false, false, err);
    if (rc == SH_OK)
        rc = check_date("referral_date", r->referral_date, today, c->date_of_birth,
                        "the child's date of birth", err);
    if (rc == SH_OK && strcmp(p->code, "autism") == 0 &&
        r->referral_date >= date_add_months(c->date_of_birth, 12 * 18))
        rc = app_fail(err, SH_EINVAL, "pathway",
                      "The autism assessment pathway is for children under 18; refer a young "
                      "person of 18 or over to the adult service.");
    if (rc == SH_OK && (r->priority < 0 || r->priority >= WAIT_PRIORITY_COUNT))
        rc = app_fail(err, SH_EINVAL, "priority", "Select routine or urgent.");
    return rc;
}

static void referral_blank(store_referral *r)
{
    r->triage = WAIT_TRIAGE_PENDING;
    r->triage_date = r->first_contact = r->assessment_started = DATE_NONE;
    r->assessment_completed = r->discharged = DATE_NONE;
    r->triage_reason = r->outcome = r->outcome_code = "";
}

int app_referral_create(store *s, const app_identity *who, store_referral *r, date_t today,
                        app_error *err)
{
    if (!access_can(who, CAN_RECORD_REFERRALS))
        return deny(who, err, "record referrals");
    arena *a = arena_create(1 << 16);
    if (!a)
        return app_fail(err, SH_ENOMEM, NULL, "Out of memory.");
    int rc = store_tx_begin(s);
    if (rc) {
        arena_destroy(a);
        return app_store_failure(rc, err, "The database");
    }
    store_child c;
    store_pathway p;
    rc = store_child_get(s, who->la_code, r->child_id, a, &c);
    if (rc)
        rc = app_fail(err, rc, "child", rc == SH_ENOTFOUND ? "The child was not found."
                                                           : "The child could not be read.");
    if (rc == SH_OK && (rc = store_pathway_get(s, who->la_code, r->pathway_id, a, &p)))
        rc = app_fail(err, rc, "pathway", rc == SH_ENOTFOUND ? "Select a pathway."
                                                             : "The pathway could not be read.");
    if (rc == SH_OK)
        rc = check_new_referral(r, &c, &p, today, err);
    if (rc == SH_OK) {
        memcpy(r->la_code, who->la_code, sizeof r->la_code);
        referral_blank(r);
        rc = store_referral_insert(s, r);
        if (rc)
            rc = app_store_failure(rc, err, "The referral");
    }
    if (rc == SH_OK) {
        char detail[64];
        snprintf(detail, sizeof detail, "referred to %s", p.code);
        rc = app_audit_write(s, who, "referral", r->id, r->child_id, detail, err);
    }
    arena_destroy(a);
    return app_finish_tx(s, rc, err);
}

static const store_clock_stop *open_stop(const store_clock_stop *st, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (st[i].restarted == DATE_NONE)
            return &st[i];
    return NULL;
}

/* The latest restart of the referral's stops (a new stop cannot start
 * before the clock ran again). */
static date_t last_restart(const store_clock_stop *st, size_t n)
{
    date_t d = DATE_NONE;
    for (size_t i = 0; i < n; i++)
        d = latest(d, st[i].restarted);
    return d;
}

/* Steps that need the referral accepted and the child still waiting or in
 * assessment, with the clock running. */
static int check_open_running(const store_referral *r, const store_clock_stop *st, size_t n,
                              app_error *err)
{
    if (r->triage != WAIT_TRIAGE_ACCEPTED)
        return app_fail(err, SH_EINVAL, "step", "Record the triage decision (accepted) first.");
    if (open_stop(st, n))
        return app_fail(err, SH_EINVAL, "step",
                        "The clock is paused: record that it restarted first.");
    return SH_OK;
}

static int step_triage(store_referral *r, const health_step_input *in, date_t today,
                       app_error *err)
{
    if (r->triage != WAIT_TRIAGE_PENDING)
        return app_fail(err, SH_EINVAL, "triage", "The triage decision is already recorded.");
    if (in->triage != WAIT_TRIAGE_ACCEPTED && in->triage != WAIT_TRIAGE_REJECTED &&
        in->triage != WAIT_TRIAGE_REDIRECTED)
        return app_fail(err, SH_EINVAL, "triage", "Select accepted, rejected or redirected.");
    int rc = check_date("date", in->date, today, r->referral_date, "the referral", err);
    if (rc == SH_OK && in->triage != WAIT_TRIAGE_ACCEPTED)
        rc = app_check_text("reason",
                        in->triage == WAIT_TRIAGE_REJECTED ? "why the referral was rejected"
                                                           : "where the referral was redirected",
                        in->reason, STORE_REASON_MAX, false, true, err);
    if (rc)
        return rc;
    r->triage = in->triage;
    r->triage_date = in->date;
    r->triage_reason = in->triage == WAIT_TRIAGE_ACCEPTED ? "" : in->reason;
    return SH_OK;
}

static int step_stop(store *s, const store_referral *r, date_t seen, const store_clock_stop *st,
                     size_t n, const health_step_input *in, date_t today, arena *a,
                     app_error *err)
{
    if (seen != DATE_NONE)
        return app_fail(err, SH_EINVAL, "step",
                        "The child has been seen: the wait is over and its clock cannot be "
                        "paused.");
    if (open_stop(st, n))
        return app_fail(err, SH_EINVAL, "step", "The clock is already paused.");
    if (in->stop_reason < 0 || in->stop_reason >= HEALTH_STOP_COUNT)
        return app_fail(err, SH_EINVAL, "stop_reason",
                        "Select why the clock is paused: only a delay the family chose can "
                        "pause it.");
    date_t after = latest(latest(r->referral_date, r->triage_date), last_restart(st, n));
    int rc = check_date("date", in->date, today, after,
                        after == r->referral_date ? "the referral" : "the last step", err);
    if (rc == SH_OK)
        rc = app_check_text("reason", "a note", in->reason, STOP_NOTE_MAX, true, true, err);
    if (rc)
        return rc;
    const char *label = health_stop_reason_label((health_stop_reason)in->stop_reason);
    store_clock_stop c = {.referral_id = r->id, .stopped = in->date, .restarted = DATE_NONE,
                          .reason = in->reason && in->reason[0]
                                        ? arena_printf(a, "%s: %s", label, in->reason)
                                        : label};
    memcpy(c.la_code, r->la_code, sizeof c.la_code);
    if (!c.reason)
        return app_fail(err, SH_ENOMEM, NULL, "Out of memory.");
    rc = store_clock_stop_insert(s, &c);
    if (rc == SH_ECONFLICT)
        return app_fail(err, SH_EINVAL, "date", "The clock was already paused on that date.");
    return rc ? app_store_failure(rc, err, "The referral") : SH_OK;
}

static int step_restart(store *s, const store_referral *r, const store_clock_stop *st,
                        size_t n, const health_step_input *in, date_t today, app_error *err)
{
    const store_clock_stop *open = open_stop(st, n);
    if (!open)
        return app_fail(err, SH_EINVAL, "step", "The clock is not paused.");
    int rc = check_date("date", in->date, today, open->stopped + 1, "the day after the pause",
                        err);
    if (rc)
        return rc;
    rc = store_clock_stop_restart(s, r->la_code, r->id, in->date);
    return rc ? app_store_failure(rc, err, "The referral") : SH_OK;
}

/* The milestones, in their one order: first contact, assessment started,
 * assessment completed, outcome; a later one needs the one before it
 * (first contact may be skipped: a diagnostic assessment can be the first
 * contact). */
static int step_milestone(store_referral *r, const store_clock_stop *st, size_t n,
                          const health_step_input *in, date_t today, app_error *err)
{
    int rc = check_open_running(r, st, n, err);
    if (rc)
        return rc;
    date_t *slot = NULL, after = latest(r->referral_date, r->triage_date);
    const char *after_what = "the triage decision";
    switch (in->step) {
    case HEALTH_STEP_FIRST_CONTACT:
        if (r->assessment_started != DATE_NONE)
            return app_fail(err, SH_EINVAL, "step", "The assessment has already started.");
        slot = &r->first_contact;
        break;
    case HEALTH_STEP_ASSESSMENT_STARTED:
        slot = &r->assessment_started;
        if (r->first_contact != DATE_NONE)
            after = r->first_contact, after_what = "the first contact";
        break;
    default:
        if (r->assessment_started == DATE_NONE)
            return app_fail(err, SH_EINVAL, "step", "Record that the assessment started first.");
        slot = &r->assessment_completed;
        after = r->assessment_started, after_what = "the start of the assessment";
        break;
    }
    if (*slot != DATE_NONE)
        return app_fail(err, SH_EINVAL, "step", "%s is already recorded.",
                        health_step_label(in->step));
    rc = check_date("date", in->date, today, after, after_what, err);
    if (rc == SH_OK)
        *slot = in->date;
    return rc;
}

static int step_outcome(store_referral *r, const health_step_input *in, app_error *err)
{
    if (r->assessment_completed == DATE_NONE)
        return app_fail(err, SH_EINVAL, "step", "Record that the assessment was completed first.");
    if (r->outcome[0])
        return app_fail(err, SH_EINVAL, "step", "The outcome is already recorded.");
    int rc = app_check_text("outcome", "the outcome or diagnosis", in->outcome, STORE_OUTCOME_MAX,
                        false, true, err);
    if (rc == SH_OK)
        rc = check_outcome_code(in->outcome_code, err);
    if (rc)
        return rc;
    r->outcome = in->outcome;
    r->outcome_code = in->outcome_code ? in->outcome_code : "";
    return SH_OK;
}

static int step_discharge(store_referral *r, const store_clock_stop *st, size_t n,
                          const health_step_input *in, date_t today, app_error *err)
{
    date_t after = latest(latest(r->referral_date, r->triage_date),
                          latest(latest(r->first_contact, r->assessment_started),
                                 latest(r->assessment_completed, last_restart(st, n))));
    const store_clock_stop *open = open_stop(st, n);
    if (open)
        after = latest(after, open->stopped);
    int rc = check_date("date", in->date, today, after,
                        after == r->referral_date ? "the referral" : "the last step", err);
    if (rc == SH_OK)
        r->discharged = in->date;
    return rc;
}

/* Applies one step to r (read inside the caller's transaction). Clock stops
 * are rows of their own; everything else changes r, stored by the caller. */
static int apply_step(store *s, store_referral *r, const store_pathway *p,
                      const health_step_input *in, date_t today, arena *a, app_error *err)
{
    store_clock_stop *st;
    size_t n;
    int rc = store_clock_stop_list(s, r->la_code, r->id, a, &st, &n);
    if (rc)
        return app_store_failure(rc, err, "The referral");
    if (app_referral_closed(r))
        return app_fail(err, SH_EINVAL, "step",
                        r->discharged != DATE_NONE
                            ? "The child has been discharged: this referral is closed."
                            : "The referral was not accepted: it is closed.");
    switch (in->step) {
    case HEALTH_STEP_TRIAGE:
        return step_triage(r, in, today, err);
    case HEALTH_STEP_CLOCK_STOP:
        return step_stop(s, r, milestone_of(r, p->clock_stop), st, n, in, today, a, err);
    case HEALTH_STEP_CLOCK_RESTART:
        return step_restart(s, r, st, n, in, today, err);
    case HEALTH_STEP_FIRST_CONTACT:
    case HEALTH_STEP_ASSESSMENT_STARTED:
    case HEALTH_STEP_ASSESSMENT_COMPLETED:
        return step_milestone(r, st, n, in, today, err);
    case HEALTH_STEP_OUTCOME:
        return step_outcome(r, in, err);
    case HEALTH_STEP_DISCHARGE:
        return step_discharge(r, st, n, in, today, err);
    default:
        return app_fail(err, SH_EINVAL, "step", "Select what happened.");
    }
}

int app_referral_record(store *s, const app_identity *who, int64_t referral_id,
                        const health_step_input *in, date_t today, app_error *err)
{
    if (!access_can(who, CAN_RECORD_REFERRALS))
        return deny(who, err, "record referrals");
    arena *a = arena_create(1 << 20);
    if (!a)
        return app_fail(err, SH_ENOMEM, NULL, "Out of memory.");
    err->message[0] = '\0';
    int rc = store_tx_begin(s);
    if (rc) {
        arena_destroy(a);
        return app_store_failure(rc, err, "The database");
    }
    store_referral r;
    store_pathway p;
    rc = store_referral_get(s, who->la_code, referral_id, a, &r);
    if (rc == SH_OK)
        rc = store_pathway_get(s, who->la_code, r.pathway_id, a, &p);
    if (rc)
        rc = app_store_failure(rc, err, "The referral");
    else
        rc = apply_step(s, &r, &p, in, today, a, err);
    if (rc == SH_OK && in->step != HEALTH_STEP_CLOCK_STOP && in->step != HEALTH_STEP_CLOCK_RESTART &&
        (rc = store_referral_update(s, &r)))
        rc = app_store_failure(rc, err, "The referral");
    if (rc == SH_OK) {
        char detail[64];
        snprintf(detail, sizeof detail, "recorded %s", health_step_name(in->step));
        rc = app_audit_write(s, who, "referral", r.id, r.child_id, detail, err);
    }
    arena_destroy(a);
    return app_finish_tx(s, rc, err);
}

/* ---- where a referral stands ----------------------------------------------------- */

/* A pathway's whole list as of today: its referrals, every waiting child's
 * queue position, and the forecast model at its capacity (configured, or
 * the rate actually seen when not configured). */
typedef struct {
    store_pathway p;
    wait_set set;
    uint32_t *pos;
    size_t counts[WAIT_PRIORITY_COUNT];
    forecast_rates rates;
    double capacity;
    forecast_model *model;
} pathway_state;

static int build_model(const pathway_state *st, date_t today, double capacity,
                       forecast_model *m)
{
    forecast_input in = {.as_of = today, .capacity_per_week = capacity,
                         .leave_per_week = st->rates.leave_per_week};
    for (int q = 0; q < WAIT_PRIORITY_COUNT; q++) {
        in.arrivals[q] = st->rates.arrivals[q];
        in.waiting[q] = st->counts[q];
    }
    return forecast_build(&in, m);
}

static int pathway_state_load(store *s, const char *la, const store_pathway *p, date_t today,
                              arena *a, pathway_state *st)
{
    memset(st, 0, sizeof *st);
    st->p = *p;
    int rc = store_referrals_load(s, la, p->id, a, &st->set);
    if (rc == SH_OK) {
        st->pos = arena_calloc(a, st->set.n ? st->set.n : 1, sizeof *st->pos);
        st->model = arena_alloc(a, sizeof *st->model);
        rc = st->pos && st->model ? SH_OK : SH_ENOMEM;
    }
    if (rc == SH_OK)
        rc = forecast_positions(&st->set, p->clock_stop, today, st->pos, st->counts);
    if (rc == SH_OK)
        rc = forecast_rates_measure(&st->set, p->clock_stop, today, FORECAST_RATE_WEEKS,
                                    &st->rates);
    if (rc == SH_OK) {
        st->capacity = p->capacity_per_week > 0 ? p->capacity_per_week : st->rates.seen;
        rc = build_model(st, today, st->capacity, st->model);
    }
    return rc;
}

/* The index of referral (date, id) in the set, ordered by (referred, id). */
static long find_in_set(const wait_set *set, date_t referred, int64_t id)
{
    size_t lo = 0, hi = set->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        const wait_referral *m = &set->refs[mid];
        if (m->referred < referred || (m->referred == referred && m->id < id))
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < set->n && set->refs[lo].id == id ? (long)lo : -1;
}

static void fill_view(const pathway_state *st, date_t today, health_referral_view *v)
{
    v->pathway = st->p;
    v->seen = milestone_of(&v->r, st->p.clock_stop);
    long i = find_in_set(&st->set, v->r.referral_date, v->r.id);
    if (i < 0)
        return;
    const wait_referral *w = &st->set.refs[i];
    v->waiting = wait_is_waiting(w, st->p.clock_stop, today);
    v->paused = wait_is_paused(w, st->set.stops, today);
    v->wait_days = wait_days(w, st->set.stops, v->seen != DATE_NONE ? v->seen : today);
    v->position = st->pos[i];
    if (v->waiting && w->priority < WAIT_PRIORITY_COUNT) {
        v->queue_len = st->counts[w->priority];
        v->estimate = v->position ? forecast_seen_date(st->model, (wait_priority)w->priority,
                                                       v->position)
                                  : DATE_NONE;
    }
}

/* The referral in v as core/wait.h counts it: *w, with its clock stops
 * (read into v) copied to *ws from the arena. */
static int own_clock(store *s, const char *la, arena *a, health_referral_view *v,
                     wait_referral *w, wait_stop **ws)
{
    int rc = store_clock_stop_list(s, la, v->r.id, a, &v->stops, &v->n_stops);
    *ws = rc ? NULL : arena_calloc(a, v->n_stops ? v->n_stops : 1, sizeof **ws);
    if (rc || !*ws)
        return rc ? rc : SH_ENOMEM;
    for (size_t i = 0; i < v->n_stops; i++)
        (*ws)[i] = (wait_stop){v->stops[i].stopped, v->stops[i].restarted};
    const store_referral *r = &v->r;
    *w = (wait_referral){.id = r->id, .referred = r->referral_date, .triaged = r->triage_date,
                         .first_contact = r->first_contact,
                         .assessment_started = r->assessment_started,
                         .discharged = r->discharged, .stop_count = (uint16_t)v->n_stops,
                         .triage = (uint8_t)r->triage, .priority = (uint8_t)r->priority};
    return SH_OK;
}

/* Where a referral stands from its own record and clock stops, without its
 * pathway's whole list: all a referral that is not waiting needs (there is
 * no queue place to find and nothing to forecast). */
static int fill_own(store *s, const char *la, const store_pathway *p, date_t today, arena *a,
                    health_referral_view *v)
{
    wait_referral w;
    wait_stop *ws;
    int rc = own_clock(s, la, a, v, &w, &ws);
    if (rc)
        return rc;
    v->pathway = *p;
    v->seen = milestone_of(&v->r, p->clock_stop);
    v->waiting = wait_is_waiting(&w, p->clock_stop, today);
    v->paused = wait_is_paused(&w, ws, today);
    v->wait_days = wait_days(&w, ws, v->seen != DATE_NONE ? v->seen : today);
    return SH_OK;
}

static void view_blank(health_referral_view *v)
{
    memset(v, 0, sizeof *v);
    v->seen = v->estimate = DATE_NONE;
}

int app_referral_get(store *s, const app_identity *who, int64_t id, date_t today, arena *a,
                     health_referral_view *out, app_error *err)
{
    if (!access_can(who, CAN_SEE_WAITING_LISTS))
        return deny(who, err, "see waiting lists");
    view_blank(out);
    pathway_state st;
    int rc = store_read_begin(s);
    if (rc == SH_OK) {
        rc = store_referral_get(s, who->la_code, id, a, &out->r);
        if (rc == SH_OK)
            rc = store_child_get(s, who->la_code, out->r.child_id, a, &out->child);
        if (rc == SH_OK)
            rc = store_clock_stop_list(s, who->la_code, id, a, &out->stops, &out->n_stops);
        if (rc == SH_OK)
            rc = store_pathway_get(s, who->la_code, out->r.pathway_id, a, &out->pathway);
        if (rc == SH_OK)
            rc = pathway_state_load(s, who->la_code, &out->pathway, today, a, &st);
        int end = store_read_end(s);
        rc = rc ? rc : end;
    }
    if (rc)
        return app_store_failure(rc, err, "The referral");
    fill_view(&st, today, out);
    return SH_OK;
}

/* Loads the state of pathway p once per call (a child's referrals may share
 * one). */
static int state_for(store *s, const char *la, const store_pathway *p, date_t today, arena *a,
                     pathway_state *cache, size_t *n_cache, pathway_state **out)
{
    for (size_t i = 0; i < *n_cache; i++)
        if (cache[i].p.id == p->id) {
            *out = &cache[i];
            return SH_OK;
        }
    int rc = pathway_state_load(s, la, p, today, a, &cache[*n_cache]);
    if (rc == SH_OK)
        *out = &cache[(*n_cache)++];
    return rc;
}

/* Who may see the referrals on a child's record they were allowed to open.
 * A family account sees its own children's (the portal checked the link
 * first, as staff pages check the case is within reach). */
static bool sees_child_referrals(const app_identity *who)
{
    return access_can(who, CAN_READ_CASES) || access_can(who, CAN_SEE_WAITING_LISTS) ||
           access_can(who, CAN_USE_PORTAL);
}

int app_referrals_for_child(store *s, const app_identity *who, int64_t child_id,
                            date_t today, arena *a, health_referral_view **out, size_t *n,
                            app_error *err)
{
    *out = NULL;
    *n = 0;
    if (!sees_child_referrals(who))
        return deny(who, err, "see referrals");
    store_referral *rows;
    size_t k;
    int rc = store_read_begin(s);
    if (rc)
        return app_store_failure(rc, err, "The referrals");
    rc = store_referral_list_child(s, who->la_code, child_id, true, a, &rows, &k);
    health_referral_view *v = rc == SH_OK ? arena_calloc(a, k ? k : 1, sizeof *v) : NULL;
    pathway_state *cache = rc == SH_OK ? arena_calloc(a, k ? k : 1, sizeof *cache) : NULL;
    if (rc == SH_OK && (!v || !cache))
        rc = SH_ENOMEM;
    size_t n_cache = 0;
    for (size_t i = 0; rc == SH_OK && i < k; i++) {
        health_referral_view *x = &v[k - 1 - i]; /* the store gives newest first */
        view_blank(x);
        x->r = rows[i];
        store_pathway p;
        rc = store_pathway_get(s, who->la_code, rows[i].pathway_id, a, &p);
        if (rc == SH_OK)
            rc = fill_own(s, who->la_code, &p, today, a, x);
        pathway_state *st; /* a child still waiting: their place in the queue */
        if (rc == SH_OK && x->waiting &&
            (rc = state_for(s, who->la_code, &p, today, a, cache, &n_cache, &st)) == SH_OK)
            fill_view(st, today, x);
    }
    int end = store_read_end(s);
    rc = rc ? rc : end;
    if (rc)
        return app_store_failure(rc, err, "The referrals");
    *out = v;
    *n = k;
    return SH_OK;
}

/* A closed referral's waits (health.h): c->v.r is read, the rest filled. */
static int closed_view(store *s, const char *la, arena *a, health_closed_referral *c)
{
    health_referral_view *v = &c->v;
    wait_referral w;
    wait_stop *ws;
    int rc = store_pathway_get(s, la, v->r.pathway_id, a, &v->pathway);
    if (rc == SH_OK)
        rc = own_clock(s, la, a, v, &w, &ws);
    if (rc)
        return rc;
    const store_referral *r = &v->r;
    wait_milestone m = v->pathway.clock_stop;
    v->seen = milestone_of(r, m);
    c->closed = r->discharged != DATE_NONE ? r->discharged : r->triage_date;
    date_t end = v->seen != DATE_NONE ? v->seen : wait_left_date(&w, m);
    c->wait_days = v->wait_days = wait_days(&w, ws, end);
    c->wait_calendar_days = end != DATE_NONE && end > r->referral_date
                                ? end - r->referral_date : 0;
    c->total_days = wait_days(&w, ws, r->assessment_completed != DATE_NONE
                                          ? r->assessment_completed : c->closed);
    c->within_standard = v->seen != DATE_NONE &&
                         wait_within_standard(c->wait_days, v->pathway.standard_weeks);
    return SH_OK;
}

int app_referral_history_for_child(store *s, const app_identity *who, int64_t child_id,
                                   arena *a, health_closed_referral **out, size_t *n,
                                   size_t *total, app_error *err)
{
    *out = NULL;
    *n = *total = 0;
    if (!sees_child_referrals(who))
        return deny(who, err, "see referrals");
    store_referral *rows;
    size_t k = 0, closed = 0, m = 0;
    int rc = store_read_begin(s);
    if (rc)
        return app_store_failure(rc, err, "The referrals");
    rc = store_referral_list_child(s, who->la_code, child_id, false, a, &rows, &k);
    for (size_t i = 0; rc == SH_OK && i < k; i++)
        closed += app_referral_closed(&rows[i]);
    size_t keep = closed < HEALTH_HISTORY_MAX ? closed : HEALTH_HISTORY_MAX;
    health_closed_referral *c = rc == SH_OK ? arena_calloc(a, keep ? keep : 1, sizeof *c) : NULL;
    if (rc == SH_OK && !c)
        rc = SH_ENOMEM;
    for (size_t i = 0; rc == SH_OK && i < k && m < keep; i++) { /* the store: newest first */
        if (!app_referral_closed(&rows[i]))
            continue;
        view_blank(&c[m].v);
        c[m].v.r = rows[i];
        rc = closed_view(s, who->la_code, a, &c[m++]);
    }
    int end = store_read_end(s);
    rc = rc ? rc : end;
    if (rc)
        return app_store_failure(rc, err, "The referrals");
    *out = c;
    *n = m;
    *total = closed;
    return SH_OK;
}

int app_waiting_list(store *s, const app_identity *who, int64_t pathway_id, date_t today,
                     size_t limit, size_t offset, arena *a, store_pathway *pathway,
                     health_referral_view **out, size_t *n, size_t *total, app_error *err)
{
    if (!access_can(who, CAN_SEE_WAITING_LISTS))
        return deny(who, err, "see waiting lists");
    store_referral_query q = {.la_code = who->la_code, .pathway_id = pathway_id,
                              .state = STORE_REFERRAL_WAITING, .triage = -1,
                              .referred_from = DATE_NONE, .referred_to = DATE_NONE,
                              .limit = limit, .offset = offset};
    store_referral *rows = NULL;
    size_t k = 0;
    pathway_state st;
    health_referral_view *v = NULL;
    int rc = store_read_begin(s);
    if (rc)
        return app_store_failure(rc, err, "The waiting list");
    rc = store_pathway_get(s, who->la_code, pathway_id, a, pathway);
    if (rc == SH_OK)
        rc = store_referral_list(s, &q, a, &rows, &k, total);
    if (rc == SH_OK)
        rc = pathway_state_load(s, who->la_code, pathway, today, a, &st);
    if (rc == SH_OK && !(v = arena_calloc(a, k ? k : 1, sizeof *v)))
        rc = SH_ENOMEM;
    for (size_t i = 0; rc == SH_OK && i < k; i++) {
        view_blank(&v[i]);
        v[i].r = rows[i];
        rc = store_child_get(s, who->la_code, rows[i].child_id, a, &v[i].child);
        fill_view(&st, today, &v[i]);
    }
    int end = store_read_end(s);
    rc = rc ? rc : end;
    if (rc)
        return app_store_failure(rc, err, "The waiting list");
    *out = v;
    *n = k;
    return SH_OK;
}

/* ---- the dashboard ------------------------------------------------------------------ */

/* The report both the pathway's dashboard and the performance dashboard
 * show: the list at the end of today, the last 28 days' flow, and a trend
 * of trend_months months to today's (0: none). */
static int pathway_report(const wait_set *set, const store_pathway *p, date_t today,
                          int trend_months, arena *a, wait_report *out)
{
    wait_params wp = {.as_of = today, .clock_stop = p->clock_stop,
                      .standard_weeks = p->standard_weeks, .window_from = DATE_NONE,
                      .trend_from = date_add_months(today, -(trend_months ? trend_months - 1 : 0)),
                      .trend_months = trend_months};
    return wait_report_compute(set, &wp, a, out);
}

/* The back-test replays the model every four weeks from two years to half
 * a year ago (so most children then waiting have since been seen), with the
 * capacity measured at each date as the service would have known it. */
#define BACKTEST_FROM_DAYS 728
#define BACKTEST_TO_DAYS 182
#define BACKTEST_STEP_WEEKS 4

int app_pathway_stats(store *s, const app_identity *who, int64_t pathway_id, date_t today,
                      int extra, arena *a, health_pathway_stats *out, app_error *err)
{
    if (!access_can(who, CAN_SEE_PATHWAY_STATS))
        return deny(who, err, "see pathway figures");
    if (extra < 0 || extra > HEALTH_EXTRA_CAPACITY_MAX)
        return app_fail(err, SH_EINVAL, "extra",
                        "Extra capacity must be a whole number from 0 to %d a week.",
                        HEALTH_EXTRA_CAPACITY_MAX);
    memset(out, 0, sizeof *out);
    pathway_state st;
    int rc = store_read_begin(s);
    if (rc)
        return app_store_failure(rc, err, "The pathway");
    rc = store_pathway_get(s, who->la_code, pathway_id, a, &out->pathway);
    if (rc == SH_OK)
        rc = pathway_state_load(s, who->la_code, &out->pathway, today, a, &st);
    int end = store_read_end(s);
    rc = rc ? rc : end;
    if (rc)
        return app_store_failure(rc, err, "The pathway");
    rc = pathway_report(&st.set, &out->pathway, today, HEALTH_TREND_MONTHS, a, &out->report);
    forecast_model *what_if = arena_alloc(a, sizeof *what_if);
    if (rc == SH_OK && !what_if)
        rc = SH_ENOMEM;
    out->rates = st.rates;
    out->capacity = st.capacity;
    out->capacity_measured = out->pathway.capacity_per_week == 0;
    out->extra = extra;
    memcpy(out->queue, st.counts, sizeof out->queue);
    if (rc == SH_OK)
        rc = build_model(&st, today, st.capacity + extra, what_if);
    if (rc == SH_OK) {
        out->new_routine = forecast_new_referral(st.model, WAIT_PRIORITY_ROUTINE);
        out->new_urgent = forecast_new_referral(st.model, WAIT_PRIORITY_URGENT);
        out->new_routine_extra = forecast_new_referral(what_if, WAIT_PRIORITY_ROUTINE);
        out->new_urgent_extra = forecast_new_referral(what_if, WAIT_PRIORITY_URGENT);
        out->list_in_year = st.model->list[52];
        out->list_in_year_extra = what_if->list[52];
        forecast_backtest_params bp = {.clock_stop = out->pathway.clock_stop,
                                       .from = today - BACKTEST_FROM_DAYS,
                                       .to = today - BACKTEST_TO_DAYS,
                                       .step_weeks = BACKTEST_STEP_WEEKS,
                                       .rate_weeks = FORECAST_RATE_WEEKS};
        rc = forecast_backtest(&st.set, &bp, &out->backtest);
    }
    if (rc == SH_ELIMIT || rc == SH_ENOMEM)
        return app_fail(err, rc, NULL, "This pathway's history is too large to analyse here.");
    return rc ? app_fail(err, rc, NULL, "The figures could not be computed (%s).",
                         sh_strerror(rc))
              : SH_OK;
}

/* ---- every pathway's list at a glance ---------------------------------------------- */

/* The referrals that left the list before the report's 28-day window count
 * in none of the figures without a trend, so they are not read
 * (store_referrals_load_since). */
#define WINDOW_DAYS 28

/* One pathway's row, its referrals read into `work`. */
static int waiting_row(store *s, const char *la_code, const store_pathway *p, date_t today,
                       arena *work, health_waiting_row *out)
{
    wait_set set;
    wait_report rep;
    arena_reset(work);
    int rc = store_referrals_load_since(s, la_code, p->id, today - (WINDOW_DAYS - 1), work, &set);
    if (rc == SH_OK)
        rc = pathway_report(&set, p, today, 0, work, &rep);
    if (rc == SH_OK) {
        out->pathway_id = p->id;
        snprintf(out->name, sizeof out->name, "%s", p->name);
        out->standard_weeks = p->standard_weeks;
        out->waiting = rep.waiting;
    }
    return rc;
}

int app_health_waiting_lists(store *s, const char *la_code, date_t today,
                             health_waiting_row *out, size_t cap, size_t *n)
{
    *n = 0;
    arena *list = arena_create(1u << 20), *work = arena_create(HEALTH_ARENA_FOR_STATS);
    int rc = list && work ? store_read_begin(s) : SH_ENOMEM;
    if (rc == SH_OK) {
        store_pathway *p = NULL;
        size_t np = 0;
        rc = store_pathway_list(s, la_code, false, list, &p, &np);
        for (size_t i = 0; rc == SH_OK && i < np && *n < cap; i++) {
            rc = waiting_row(s, la_code, &p[i], today, work, &out[*n]);
            if (rc == SH_OK)
                ++*n;
        }
        int end = store_read_end(s);
        rc = rc ? rc : end;
    }
    arena_destroy(work);
    arena_destroy(list);
    return rc;
}

/* ---- a pathway's median wait, month by month ------------------------------------- */

static int months_between(date_t from, date_t to)
{
    int fy, fm, ty, tm;
    date_to_ymd(from, &fy, &fm, NULL);
    date_to_ymd(to, &ty, &tm, NULL);
    return (ty - fy) * 12 + (tm - fm) + 1;
}

int app_health_median_months(store *s, const char *la_code, int64_t pathway_id, date_t from,
                             date_t today, int *days, int *n)
{
    *n = 0;
    int months = from <= today ? months_between(from, today) : 0;
    if (months < 1 || months > WAIT_TREND_MAX_MONTHS)
        return SH_EINVAL;
    arena *a = arena_create(HEALTH_ARENA_FOR_STATS);
    int rc = a ? store_read_begin(s) : SH_ENOMEM;
    if (rc) {
        arena_destroy(a);
        return rc;
    }
    store_pathway p = {0};
    wait_set set;
    rc = store_pathway_get(s, la_code, pathway_id, a, &p);
    if (rc == SH_OK)
        rc = store_referrals_load(s, la_code, pathway_id, a, &set);
    int end = store_read_end(s);
    rc = rc ? rc : end;
    wait_params wp = {.as_of = today, .clock_stop = p.clock_stop,
                      .standard_weeks = p.standard_weeks, .window_from = DATE_NONE,
                      .trend_from = from, .trend_months = months};
    wait_report rep;
    if (rc == SH_OK)
        rc = wait_report_compute(&set, &wp, a, &rep);
    for (int i = 0; rc == SH_OK && i < rep.trend_count; i++)
        days[(*n)++] = rep.trend[i].median_days_end;
    arena_destroy(a);
    return rc;
}

/* ---- CSV import --------------------------------------------------------------------- */

enum {
    COL_NHS, COL_PATHWAY, COL_REFERRER, COL_REFERRAL_DATE, COL_PRIORITY, COL_TRIAGE,
    COL_TRIAGE_DATE, COL_TRIAGE_REASON, COL_FIRST_CONTACT, COL_STARTED, COL_COMPLETED,
    COL_OUTCOME, COL_OUTCOME_CODE, COL_DISCHARGED, COL_COUNT
};
static const char *const columns[COL_COUNT] = {
    "nhs_number", "pathway", "referrer", "referral_date", "priority", "triage",
    "triage_date", "triage_reason", "first_contact", "assessment_started",
    "assessment_completed", "outcome", "outcome_code", "discharged"};

#define CSV_FIELD_MAX 2000

typedef struct {
    const char *p, *end;
    size_t line;      /* of the record being read */
    arena *a;         /* the fields of one record (reset per line by the caller) */
    char *tmp;        /* CSV_FIELD_MAX + 1 bytes for the field being read */
} csv_reader;

/* Moves past the end of the current line (its '\n' included). */
static void csv_skip_line(csv_reader *r)
{
    while (r->p < r->end && *r->p != '\n')
        r->p++;
    r->p += r->p < r->end;
}

/* Reads one line's fields (RFC 4180 quoting, no line breaks inside a
 * field). Returns the number of fields, 0 at the end of the input, or
 * SH_EINVAL with *why set. Blank lines are skipped. */
static int csv_record(csv_reader *r, const char *fields[COL_COUNT + 1], const char **why)
{
    while (r->p < r->end && (*r->p == '\n' || *r->p == '\r')) {
        r->line += *r->p == '\n';
        r->p++;
    }
    if (r->p >= r->end)
        return 0;
    r->line++;
    int n = 0;
    char *tmp = r->tmp;
    for (;;) {
        size_t k = 0;
        bool quoted = r->p < r->end && *r->p == '"';
        r->p += quoted;
        for (; r->p < r->end; r->p++) {
            char c = *r->p;
            if (quoted && c == '"') {
                if (r->p + 1 < r->end && r->p[1] == '"') {
                    r->p++;
                } else {
                    quoted = false;
                    continue;
                }
            } else if (!quoted && (c == ',' || c == '\n' || c == '\r')) {
                break;
            } else if (c == '\n' || c == '\r') {
                *why = "a quoted field runs past the end of the line";
                return SH_EINVAL;
            }
            if (k == CSV_FIELD_MAX) {
                *why = "a field is longer than 2,000 characters";
                return SH_EINVAL;
            }
            tmp[k++] = c;
        }
        if (quoted) {
            *why = "a quoted field is not closed";
            return SH_EINVAL;
        }
        tmp[k] = '\0';
        if (n > COL_COUNT) {
            *why = "the line has more than 14 columns";
            return SH_EINVAL;
        }
        fields[n] = arena_strdup(r->a, tmp);
        if (!fields[n++])
            return SH_ENOMEM;
        if (r->p >= r->end || *r->p != ',')
            break;
        r->p++;
    }
    csv_skip_line(r);
    return n;
}

/* A date column: empty is DATE_NONE. */
static int csv_date(const char *s, int col, date_t *out, app_error *err)
{
    *out = DATE_NONE;
    if (!s[0])
        return SH_OK;
    if (date_parse(s, strlen(s), out) != SH_OK)
        return app_fail(err, SH_EINVAL, columns[col],
                        "%s must be a real date written YYYY-MM-DD.", columns[col]);
    return SH_OK;
}

/* The column an app_error about a step's input refers to. */
static const char *step_column(health_step step, const char *field)
{
    if (field && strcmp(field, "reason") == 0)
        return columns[COL_TRIAGE_REASON];
    if (field && (strcmp(field, "triage") == 0 || strcmp(field, "outcome") == 0 ||
                  strcmp(field, "outcome_code") == 0))
        return field;
    static const int col_of[HEALTH_STEP_COUNT] = {
        [HEALTH_STEP_TRIAGE] = COL_TRIAGE_DATE, [HEALTH_STEP_FIRST_CONTACT] = COL_FIRST_CONTACT,
        [HEALTH_STEP_ASSESSMENT_STARTED] = COL_STARTED,
        [HEALTH_STEP_ASSESSMENT_COMPLETED] = COL_COMPLETED, [HEALTH_STEP_OUTCOME] = COL_OUTCOME,
        [HEALTH_STEP_DISCHARGE] = COL_DISCHARGED};
    return columns[col_of[step]];
}

/* Replays a row's history through the same checks as recording it by hand,
 * in the one order steps happen. */
static int replay_row(store_referral *r, const char *const *f, date_t today, app_error *err)
{
    date_t d[COL_COUNT];
    int rc = SH_OK;
    static const int date_cols[] = {COL_TRIAGE_DATE, COL_FIRST_CONTACT, COL_STARTED,
                                    COL_COMPLETED, COL_DISCHARGED};
    for (size_t i = 0; rc == SH_OK && i < sizeof date_cols / sizeof date_cols[0]; i++)
        rc = csv_date(f[date_cols[i]], date_cols[i], &d[date_cols[i]], err);
    wait_triage t = WAIT_TRIAGE_PENDING;
    if (rc == SH_OK && f[COL_TRIAGE][0] && wait_triage_parse(f[COL_TRIAGE], &t) != SH_OK)
        rc = app_fail(err, SH_EINVAL, "triage",
                      "triage must be pending, accepted, rejected or redirected.");
    if (rc == SH_OK && t == WAIT_TRIAGE_PENDING && d[COL_TRIAGE_DATE] != DATE_NONE)
        rc = app_fail(err, SH_EINVAL, "triage", "A triage date needs a triage decision.");
    if (rc)
        return rc;
    struct {
        health_step step;
        date_t date;
        bool present;
    } steps[] = {
        {HEALTH_STEP_TRIAGE, d[COL_TRIAGE_DATE], t != WAIT_TRIAGE_PENDING},
        {HEALTH_STEP_FIRST_CONTACT, d[COL_FIRST_CONTACT], d[COL_FIRST_CONTACT] != DATE_NONE},
        {HEALTH_STEP_ASSESSMENT_STARTED, d[COL_STARTED], d[COL_STARTED] != DATE_NONE},
        {HEALTH_STEP_ASSESSMENT_COMPLETED, d[COL_COMPLETED], d[COL_COMPLETED] != DATE_NONE},
        {HEALTH_STEP_OUTCOME, DATE_NONE, f[COL_OUTCOME][0] || f[COL_OUTCOME_CODE][0]},
        {HEALTH_STEP_DISCHARGE, d[COL_DISCHARGED], d[COL_DISCHARGED] != DATE_NONE},
    };
    for (size_t i = 0; rc == SH_OK && i < sizeof steps / sizeof steps[0]; i++) {
        if (!steps[i].present)
            continue;
        health_step_input in = {.step = steps[i].step, .date = steps[i].date, .triage = t,
                                .reason = f[COL_TRIAGE_REASON], .outcome = f[COL_OUTCOME],
                                .outcome_code = f[COL_OUTCOME_CODE], .stop_reason = -1};
        if (app_referral_closed(r))
            rc = app_fail(err, SH_EINVAL, "step", "the referral was closed before this step.");
        else if (in.step == HEALTH_STEP_TRIAGE)
            rc = step_triage(r, &in, today, err);
        else if (in.step == HEALTH_STEP_OUTCOME)
            rc = step_outcome(r, &in, err);
        else if (in.step == HEALTH_STEP_DISCHARGE)
            rc = step_discharge(r, NULL, 0, &in, today, err);
        else
            rc = step_milestone(r, NULL, 0, &in, today, err);
        if (rc)
            err->field = step_column(in.step, err->field);
    }
    return rc;
}

/* A child of the area by NHS number, for a long file's look-ups. */
typedef struct {
    char nhs[IDENT_NHS_LEN + 1];
    int64_t id;
    date_t dob;
} nhs_entry;

/* Past this many lines, the area's children are read once and looked up in
 * memory: the store finds a child by NHS number with a scan of the area, so
 * one look-up a line would make a long file quadratic. */
#define IMPORT_PRELOAD_LINES 200

typedef struct {
    store *s;
    const app_identity *who;
    date_t today;
    arena *a;          /* one line's scratch: reset before each line */
    arena *keep;       /* the caller's: the report, the children read once */
    store_pathway *pathways;
    size_t n_pathways;
    nhs_entry *kids;   /* sorted by NHS number when preloaded, else NULL */
    size_t n_kids;
} import_ctx;

static int nhs_cmp(const void *x, const void *y)
{
    return strcmp(((const nhs_entry *)x)->nhs, ((const nhs_entry *)y)->nhs);
}

/* Reads every child of the area that has an NHS number, a page at a time. */
static int preload_children(import_ctx *x)
{
    size_t cap = 0, total = 0;
    for (size_t offset = 0;; offset += STORE_PAGE_MAX) {
        store_child_query q = {.la_code = x->who->la_code, .date_of_birth = DATE_NONE,
                               .limit = STORE_PAGE_MAX, .offset = offset};
        store_child *rows;
        size_t n;
        arena_reset(x->a);
        int rc = store_child_find(x->s, &q, x->a, &rows, &n, &total);
        if (rc)
            return rc;
        if (!x->kids) {
            cap = total ? total : 1;
            if (!(x->kids = arena_calloc(x->keep, cap, sizeof *x->kids)))
                return SH_ENOMEM;
        }
        for (size_t i = 0; i < n && x->n_kids < cap; i++)
            if (rows[i].nhs_number[0]) {
                nhs_entry *e = &x->kids[x->n_kids++];
                memcpy(e->nhs, rows[i].nhs_number, sizeof e->nhs);
                e->id = rows[i].id;
                e->dob = rows[i].date_of_birth;
            }
        if (n < STORE_PAGE_MAX)
            break;
    }
    qsort(x->kids, x->n_kids, sizeof *x->kids, nhs_cmp);
    return SH_OK;
}

/* The child with this (normalised) NHS number: SH_ENOTFOUND when none. */
static int child_by_nhs(const import_ctx *x, const char *nhs, store_child *out)
{
    memset(out, 0, sizeof *out);
    if (x->kids) {
        nhs_entry key;
        memcpy(key.nhs, nhs, sizeof key.nhs);
        const nhs_entry *e = bsearch(&key, x->kids, x->n_kids, sizeof key, nhs_cmp);
        if (!e)
            return SH_ENOTFOUND;
        out->id = e->id;
        out->date_of_birth = e->dob;
        return SH_OK;
    }
    store_child_query q = {.la_code = x->who->la_code, .date_of_birth = DATE_NONE,
                           .nhs_number = nhs, .limit = 1};
    store_child *kids;
    size_t n, total;
    int rc = store_child_find(x->s, &q, x->a, &kids, &n, &total);
    if (rc == SH_OK && n == 0)
        rc = SH_ENOTFOUND;
    if (rc == SH_OK)
        *out = kids[0];
    return rc;
}

/* Is the same referral (child, pathway, date) already stored, from an
 * earlier import or earlier in this file? */
static int already_recorded(const import_ctx *x, const store_referral *r, bool *dup)
{
    store_referral *rows;
    size_t n;
    *dup = false;
    int rc = store_referral_list_child(x->s, x->who->la_code, r->child_id, false, x->a, &rows,
                                       &n);
    for (size_t i = 0; rc == SH_OK && i < n; i++)
        *dup |= rows[i].pathway_id == r->pathway_id && rows[i].referral_date == r->referral_date;
    return rc;
}

/* Reads, checks and stores one data line (the caller's transaction). */
static int import_row(const import_ctx *x, const char *const *f, app_error *err)
{
    char nhs[IDENT_NHS_LEN + 1];
    const char *why = "";
    if (ident_nhs_normalise(f[COL_NHS], strlen(f[COL_NHS]), nhs, &why) != SH_OK)
        return app_fail(err, SH_EINVAL, "nhs_number", "The NHS number is not valid: %s.", why);
    store_child kid;
    int rc = child_by_nhs(x, nhs, &kid);
    if (rc == SH_ENOTFOUND)
        return app_fail(err, SH_EINVAL, "nhs_number",
                        "No child with NHS number %s is recorded in this area; add the child "
                        "first.", nhs);
    if (rc)
        return app_store_failure(rc, err, "The child");
    const store_pathway *p = NULL;
    for (size_t i = 0; i < x->n_pathways && !p; i++)
        if (strcmp(x->pathways[i].code, f[COL_PATHWAY]) == 0)
            p = &x->pathways[i];
    if (!p)
        return app_fail(err, SH_EINVAL, "pathway", "There is no pathway with the code \"%s\".",
                        f[COL_PATHWAY]);
    store_referral r = {.child_id = kid.id, .pathway_id = p->id, .referrer = f[COL_REFERRER]};
    memcpy(r.la_code, x->who->la_code, sizeof r.la_code);
    referral_blank(&r);
    wait_priority pr = WAIT_PRIORITY_ROUTINE;
    if (f[COL_PRIORITY][0] && wait_priority_parse(f[COL_PRIORITY], &pr) != SH_OK)
        return app_fail(err, SH_EINVAL, "priority", "priority must be routine or urgent.");
    r.priority = pr;
    rc = csv_date(f[COL_REFERRAL_DATE], COL_REFERRAL_DATE, &r.referral_date, err);
    if (rc == SH_OK)
        rc = check_new_referral(&r, &kid, p, x->today, err);
    if (rc == SH_OK)
        rc = replay_row(&r, f, x->today, err);
    bool dup = false;
    if (rc == SH_OK && (rc = already_recorded(x, &r, &dup)))
        return app_store_failure(rc, err, "The referrals");
    if (rc == SH_OK && dup)
        rc = app_fail(err, SH_EINVAL, "referral_date",
                      "This child's referral to %s on this date is already recorded.", p->name);
    if (rc == SH_OK && (rc = store_referral_insert(x->s, &r)))
        rc = app_store_failure(rc, err, "The referral");
    if (rc == SH_OK) /* each child's record says it was written, as by hand */
        rc = app_audit_write(x->s, x->who, "referral", r.id, r.child_id, "imported", err);
    return rc;
}

static int check_header(const char *const *f, int n, app_error *err)
{
    if (n != COL_COUNT)
        return app_fail(err, SH_EINVAL, NULL,
                        "The first line must name the %d columns: nhs_number, pathway, ... "
                        "discharged (found %d).", COL_COUNT, n);
    for (int i = 0; i < COL_COUNT; i++)
        if (strcmp(f[i], columns[i]) != 0)
            return app_fail(err, SH_EINVAL, columns[i],
                            "Column %d of the first line must be \"%s\" (found \"%s\").", i + 1,
                            columns[i], f[i]);
    return SH_OK;
}

static void report_error(health_import_report *out, arena *a, size_t line, const app_error *e)
{
    out->n_errors++;
    if (out->errors_shown >= HEALTH_IMPORT_MAX_ERRORS || !out->errors)
        return;
    health_import_error *x = &out->errors[out->errors_shown++];
    x->line = line;
    x->field = e->field;
    x->message = arena_strdup(a, e->message);
    if (!x->message)
        x->message = "";
}

/* Reads every line in the open transaction; errors go to the report. */
static int import_lines(const import_ctx *x, csv_reader *rd, health_import_report *out,
                        app_error *err)
{
    const char *f[COL_COUNT + 1];
    const char *why = "";
    int n = csv_record(rd, f, &why);
    if (n == 0)
        return app_fail(err, SH_EINVAL, NULL, "The file is empty.");
    if (n < 0 || check_header(f, n, err)) {
        if (n < 0)
            app_fail(err, n, NULL, "The first line cannot be read: %s.", why);
        report_error(out, x->keep, rd->line, err);
        return SH_EINVAL;
    }
    for (;;) {
        arena_reset(x->a);
        if ((n = csv_record(rd, f, &why)) == 0)
            break;
        app_error e = {0};
        if (n == SH_ENOMEM)
            return app_fail(err, n, NULL, "The file is too large to import at once.");
        if (++out->lines > HEALTH_IMPORT_MAX_LINES)
            return app_fail(err, SH_ELIMIT, NULL, "The file has more than %d lines; split it.",
                            HEALTH_IMPORT_MAX_LINES);
        int rc = n < 0 ? app_fail(&e, SH_EINVAL, NULL, "The line cannot be read: %s.", why)
                 : n != COL_COUNT
                     ? app_fail(&e, SH_EINVAL, NULL, "The line has %d columns, not %d.", n,
                                COL_COUNT)
                     : import_row(x, f, &e);
        if (rc == SH_EINVAL)
            report_error(out, x->keep, rd->line, &e);
        else if (rc)
            return app_fail(err, rc, NULL, "%s", e.message);
        if (n < 0) /* skip the rest of a line that could not be read */
            csv_skip_line(rd);
    }
    return out->n_errors ? SH_EINVAL : SH_OK;
}

int app_referrals_import(store *s, const app_identity *who, const char *csv, size_t len,
                         date_t today, arena *a, health_import_report *out, app_error *err)
{
    memset(out, 0, sizeof *out);
    err->message[0] = '\0';
    if (!access_can(who, CAN_RECORD_REFERRALS))
        return deny(who, err, "import referrals");
    if (len > HEALTH_IMPORT_MAX_BYTES)
        return app_fail(err, SH_ELIMIT, NULL, "The file is larger than %u MB; split it.",
                        HEALTH_IMPORT_MAX_BYTES >> 20);
    out->errors = arena_calloc(a, HEALTH_IMPORT_MAX_ERRORS, sizeof *out->errors);
    if (!out->errors)
        return app_fail(err, SH_ENOMEM, NULL, "Out of memory.");
    import_ctx x = {.s = s, .who = who, .today = today, .a = arena_create(1 << 20), .keep = a};
    csv_reader rd = {.p = csv, .end = csv + len, .a = x.a, .tmp = arena_alloc(a, CSV_FIELD_MAX + 1)};
    if (!x.a || !rd.tmp) {
        arena_destroy(x.a);
        return app_fail(err, SH_ENOMEM, NULL, "Out of memory.");
    }
    int rc = store_tx_begin(s);
    if (rc) {
        arena_destroy(x.a);
        return app_store_failure(rc, err, "The database");
    }
    rc = store_pathway_list(s, who->la_code, false, a, &x.pathways, &x.n_pathways);
    if (rc)
        rc = app_store_failure(rc, err, "The pathways");
    size_t lines = 0;
    for (size_t i = 0; i < len; i++)
        lines += csv[i] == '\n';
    if (rc == SH_OK && lines > IMPORT_PRELOAD_LINES && (rc = preload_children(&x)))
        rc = app_store_failure(rc, err, "The children");
    if (rc == SH_OK)
        rc = import_lines(&x, &rd, out, err);
    arena_destroy(x.a);
    if (rc == SH_EINVAL && !err->message[0])
        app_fail(err, rc, NULL, "%zu line%s of the file %s wrong, so nothing was imported.",
                 out->n_errors, out->n_errors == 1 ? "" : "s",
                 out->n_errors == 1 ? "is" : "are");
    if (rc == SH_OK) {
        char detail[64];
        snprintf(detail, sizeof detail, "imported %zu referrals", out->lines);
        rc = app_audit_write(s, who, "referral", 0, 0, detail, err);
    }
    rc = app_finish_tx(s, rc, err);
    out->imported = rc == SH_OK ? out->lines : 0;
    return rc;
}
