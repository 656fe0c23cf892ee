/*
 * store_review.h — annual review records and phase-transfer consultations
 * (issue 4), written once over the portable SQL layer (store/sql.h).
 *
 * A review row holds what the journey's event log does not: when the
 * invitations went and to whom, the meeting date they gave, when advice was
 * circulated, who attended, and the setting's report. The statutory dates
 * (meeting held, report received, decision, proposals, amended plan) are
 * events; the app keeps both in one transaction.
 *
 * Tenancy: every call takes the caller's la_code; a row of another area is
 * "not found". Memory: text in records read comes from the arena passed in.
 * Errors: as store.h (SH_ENOTFOUND, SH_EUNAVAIL, SH_EIO, SH_ENOMEM); a case
 * that does not exist in the area is SH_ENOTFOUND (its foreign key).
 */
#ifndef SH_STORE_REVIEW_H
#define SH_STORE_REVIEW_H

#include <stddef.h>
#include <stdint.h>

#include "core/date.h"
#include "core/ident.h"
#include "store/store.h"
#include "util/arena.h"

#define STORE_REVIEW_OTHER_MAX 500     /* "others invited" */
#define STORE_REVIEW_ATTENDEES_MAX 2000
#define STORE_REVIEW_TEXT_MAX 10000    /* report text, recommendations */
#define STORE_CONSULT_MAX 20           /* settings consulted for one child */

typedef struct {
    int64_t id;
    int64_t case_id;
    date_t invited_on;          /* DATE_NONE until invitations are sent */
    unsigned invitees;          /* bit (1u << review_invitee) */
    const char *invitees_other; /* "" if none */
    date_t meeting_on;          /* the date the invitations gave */
    date_t advice_on;           /* advice circulated, DATE_NONE if not yet */
    const char *attendees;      /* "" until the meeting is recorded */
    date_t report_on;           /* the setting's report, DATE_NONE if not yet */
    const char *report_text, *recommendations, *report_by; /* "" if none */
    int64_t created_at;         /* unix seconds */
} store_review;

/* Starts a review record (invitations sent): sets r->id. */
int store_review_insert(store *s, const char *la_code, store_review *r);
/* The case's latest review record; SH_ENOTFOUND when it has none. */
int store_review_latest(store *s, const char *la_code, int64_t case_id, arena *a,
                        store_review *out);
/* Each sets its fields of review `id` (of that case in that area). */
int store_review_set_advice(store *s, const char *la_code, int64_t id, date_t advice_on);
int store_review_set_meeting(store *s, const char *la_code, int64_t id, date_t meeting_on,
                             const char *attendees);
int store_review_set_report(store *s, const char *la_code, int64_t id, date_t report_on,
                            const char *text, const char *recommendations,
                            const char *by);

typedef struct {
    int64_t id;
    int64_t case_id;
    const char *setting_name;
    char setting_urn[IDENT_URN_MAX + 1]; /* "" if not given */
    date_t consulted_on;
    int response;                        /* review_consult_response */
    date_t response_on;                  /* DATE_NONE while awaited */
} store_consultation;

/* Adds a consultation: sets c->id. */
int store_consultation_insert(store *s, const char *la_code, store_consultation *c);
/* Records a setting's answer to consultation `id` of case `case_id`. */
int store_consultation_respond(store *s, const char *la_code, int64_t case_id, int64_t id,
                               int response, date_t response_on);
/* A case's consultations in the order they were made (at most
 * STORE_CONSULT_MAX). */
int store_consultation_list(store *s, const char *la_code, int64_t case_id, arena *a,
                            store_consultation **out, size_t *n);

/* Per case of the area with any consultation: how many, and how many
 * answered "can meet" (for the transfers list), ordered by case id. */
typedef struct {
    int64_t case_id;
    int consulted, can_meet;
} store_consultation_count;

int store_consultation_counts(store *s, const char *la_code, arena *a,
                              store_consultation_count **out, size_t *n);

#endif
