/*
 * advice.h — the advice use cases (SEND Regulations 2014 regs 6 and 8): a
 * coordinator asks services for advice in one step; each service sees what
 * it has been asked, reads what it needs to know about the child and sends
 * its advice (needs, outcomes, recommended provision, optional PDFs); the
 * partnership sees who answers on time.
 *
 * The journey stays the truth for the clock: a request records an
 * advice_requested event per service and an answer an advice_received
 * event, through app_case_append in the same transaction as the
 * rows of store_advice.h, so the timeline, the caseload summary (open_advice,
 * which also opens the child's record to health and social care) and the
 * audit log cannot disagree with the advice stored. Each request's due date
 * is the engine's (the "advice" rule, 6 weeks).
 *
 * Access is decided in app/access.c (access_advice_*): a request outside
 * the person's reach is SH_EDENIED here; the edges audit that denial and
 * answer "not found". Writes are audited in their transaction; reads are
 * audited by the edge that shows them.
 *
 * The plan's section K (advice and information gathered) reads the advice
 * of a case with app_advice_for_case.
 */
#ifndef SH_APP_ADVICE_H
#define SH_APP_ADVICE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "app/app.h"
#include "core/advice.h"
#include "store/store_advice.h"

#define APP_ADVICE_ASKS_MAX 8 /* services asked in one step */

/* One service to ask. */
typedef struct {
    event_agency agency;
    const char *service;     /* the team or provider: "Designated Clinical Officer",
                                "Northfield Community Paediatrics"; for education
                                "" means the setting's name (from its URN) */
    const char *setting_urn; /* education: the school or setting asked (required);
                                ignored for other agencies */
} app_advice_ask;

/* Checks a request before anything is stored: 1..APP_ADVICE_ASKS_MAX asks,
 * each a known agency with a service name of 1..100 characters (education:
 * a valid URN instead; "other": the name is required), no service asked
 * twice, the question within ADVICE_TEXT_MAX without control characters,
 * the date not after as_of. Fields named in err: "agencies",
 * "service_<agency>", "setting_urn", "question", "date". */
int app_advice_check_request(const app_advice_ask *asks, size_t n, date_t requested_on,
                             const char *question, date_t as_of, app_error *err);

/* Asks every service in asks[] about the case, on requested_on: one
 * advice_requested event and one request row each, all in one transaction
 * (all or nothing). ids[] (n entries) receives the new request ids. Only
 * people who may write (coordinators, managers). A date before the request
 * for assessment is SH_EINVAL from the engine (field "date"). */
int app_advice_request(store *s, const app_identity *who, int64_t case_id,
                       const app_advice_ask *asks, size_t n, date_t requested_on,
                       const char *question, date_t as_of, arena *a, int64_t *ids,
                       app_error *err);

/* A PDF sent with the advice (the bytes are checked, not the client's type). */
typedef struct {
    const char *filename;      /* as the browser sent it; cleaned before storing */
    const unsigned char *data;
    size_t len;
} app_advice_upload;

typedef struct {
    const char *needs, *outcomes, *provision; /* each required, <= ADVICE_TEXT_MAX */
    date_t received_on;                       /* DATE_NONE: as_of */
    const app_advice_upload *files;
    size_t n_files;                           /* <= ADVICE_FILES_MAX */
} app_advice_answer;

/* Checks an answer: the three sections present and within their ceiling,
 * the date between the request and as_of, every file a PDF within
 * ADVICE_FILE_MAX (advice_pdf_check). Fields: "needs", "outcomes",
 * "provision", "received_on", "files". */
int app_advice_check_answer(const app_advice_answer *ans, date_t requested_on, date_t as_of,
                            app_error *err);

/* Stores the advice on an open request with its files and records
 * advice_received on the case, in one transaction. SH_EDENIED for people who
 * may not answer it (access_advice_may_answer), SH_ECONFLICT when it has
 * already been answered, SH_EINVAL for a bad answer (nothing stored). */
int app_advice_submit(store *s, const app_identity *who, int64_t request_id,
                      const app_advice_answer *ans, date_t as_of, arena *a, app_error *err);

/* One request as a service sees it: the request, and only what it needs to
 * know about the child to give its advice. */
typedef struct {
    store_advice r;
    advice_state state;                   /* at as_of */
    const char *child_name;               /* "Forename Surname" */
    date_t date_of_birth;
    int primary_need;                     /* sen_type, -1 not recorded */
    char setting_urn[IDENT_URN_MAX + 1];  /* the child's current setting, "" if none */
    const char *setting_name;             /* "" when unknown */
    const char *coordinator;              /* display name of the case's coordinator,
                                             or of who asked when none */
    const char *coordinator_email;        /* "" if none */
    store_advice_file *files;
    size_t n_files;
    bool may_answer;                      /* open and access_advice_may_answer */
} app_advice_view;

int app_advice_get(store *s, const app_identity *who, int64_t request_id, date_t as_of,
                   arena *a, app_advice_view *out, app_error *err);

typedef struct {
    bool open_only;           /* not yet answered */
    event_agency agency;      /* AGENCY_NONE any (scoped roles: always their own) */
    size_t limit, offset;     /* limit <= STORE_PAGE_MAX */
} app_advice_filter;

typedef struct {
    store_advice r;
    advice_state state;
    const char *child_name;
} app_advice_row;

/* The requests a person may see, earliest due first: for health, social
 * care and settings "advice requested from my service". */
int app_advice_list(store *s, const app_identity *who, const app_advice_filter *f,
                    date_t as_of, arena *a, app_advice_row **out, size_t *n, app_error *err);

/* Every advice request of a case that the person may see, with the advice
 * received (needs, outcomes, provision, submitted_by, received_on) and
 * empty text for those still open; ordered by due date. The source of the
 * plan's section K. SH_EDENIED when the person cannot read cases. */
int app_advice_for_case(store *s, const app_identity *who, int64_t case_id, arena *a,
                        store_advice **out, size_t *n, app_error *err);

/* One attachment with its bytes, if the person may see its request
 * (SH_EDENIED otherwise, SH_ENOTFOUND when it does not belong to it). */
int app_advice_file(store *s, const app_identity *who, int64_t request_id, int64_t file_id,
                    arena *a, store_advice_file *out, store_advice *request, app_error *err);

/* The dashboard within the person's scope (area-wide readers: every agency;
 * a service: its own), from the requests open now or made in the last 12
 * months: per agency and per team (advice_tally_compute). */
int app_advice_dashboard(store *s, const app_identity *who, date_t as_of, arena *a,
                         advice_tally **out, size_t *n, app_error *err);

#endif
