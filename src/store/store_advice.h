/*
 * store_advice.h — advice requests, the advice given, its attachments and the
 * reminders about them (schema 004_advice), written once over sql.h for
 * both backends.
 *
 * A request row mirrors an advice_requested event of the case's journey (the
 * event drives the 6-week clock; the row says which service was asked, the
 * question and the due date the engine gave). Receiving advice fills the
 * row's advice columns once, with the advice_received event's id; the row is
 * never edited after that (a correction is a new request).
 *
 * Conventions as store.h: la_code scopes every read (another area's row is
 * SH_ENOTFOUND); strings filled by the store live in the arena passed in;
 * errors are SH_ENOTFOUND, SH_ECONFLICT, SH_EUNAVAIL, SH_EIO, SH_ENOMEM.
 * Callers (app/advice.c) decide access and audit; the store does neither.
 */
#ifndef SH_STORE_ADVICE_H
#define SH_STORE_ADVICE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/date.h"
#include "core/event.h"
#include "core/ident.h"
#include "store/store.h"
#include "util/arena.h"

typedef struct {
    int64_t id;
    char la_code[STORE_LA_LEN + 1];
    int64_t case_id, child_id;
    event_agency agency;
    const char *service;                 /* team, provider or setting asked */
    char setting_urn[IDENT_URN_MAX + 1]; /* education: the setting asked; "" otherwise */
    const char *question;                /* what the coordinator asked, may be "" */
    const char *requested_by;            /* username */
    date_t requested_on, due;
    int64_t requested_event;             /* the advice_requested event */
    date_t received_on;                  /* DATE_NONE while open */
    int64_t received_event;              /* 0 while open */
    const char *submitted_by;            /* "" while open */
    const char *needs, *outcomes, *provision; /* the advice; "" while open */
    int64_t created_at;                  /* unix seconds, set by the store */
} store_advice;

typedef struct {
    const char *la_code;     /* NULL: every area (the reminder job) */
    int64_t case_id;         /* 0 any */
    const char *agency;      /* wire name, NULL any */
    const char *setting_urn; /* exact, NULL any */
    bool open_only;          /* not yet received */
    date_t since;            /* requested on or after, or still open; DATE_NONE any */
    date_t due_by;           /* due on or before; DATE_NONE any */
    size_t limit, offset;    /* list: limit <= STORE_PAGE_MAX; scan ignores them */
} store_advice_query;

/* Stores a new request (received columns empty); sets r->id and created_at.
 * SH_ENOTFOUND when the case is not in the area. */
int store_advice_insert(store *s, store_advice *r);
int store_advice_get(store *s, const char *la_code, int64_t id, arena *a, store_advice *out);
/* Ordered by due date, then id. */
int store_advice_list(store *s, const store_advice_query *q, arena *a, store_advice **out,
                      size_t *n);
/* Streams every matching row in due-date order; the row's strings are valid
 * only during the call. fn returning non-zero stops the scan with that rc. */
typedef int (*store_advice_fn)(void *ctx, const store_advice *r);
int store_advice_scan(store *s, const store_advice_query *q, store_advice_fn fn, void *ctx);

/* Records the advice on an open request: SH_ENOTFOUND when there is no such
 * request in the area or it has already been answered. */
int store_advice_receive(store *s, const char *la_code, int64_t id, date_t received_on,
                         int64_t received_event, const char *submitted_by, const char *needs,
                         const char *outcomes, const char *provision);

typedef struct {
    int64_t id;
    int64_t request_id;
    const char *filename;
    size_t size;
    const unsigned char *content; /* NULL in lists */
    int64_t created_at;
} store_advice_file;

int store_advice_file_insert(store *s, const char *la_code, store_advice_file *f);
/* The files of a request, without their content, by id. */
int store_advice_file_list(store *s, const char *la_code, int64_t request_id, arena *a,
                           store_advice_file **out, size_t *n);
/* One file with its content. */
int store_advice_file_get(store *s, const char *la_code, int64_t id, arena *a,
                          store_advice_file *out);

/* ---- reminders ------------------------------------------------------------- */

typedef struct {
    int64_t id;
    char la_code[STORE_LA_LEN + 1];
    int64_t request_id;
    date_t chase_on;
    const char *kind;        /* "due_soon" | "overdue" */
    const char *recipients;  /* comma-separated addresses, "" for none */
    const char *status;      /* "recorded" | "sent" | "failed" */
    const char *error;       /* the relay's answer when failed, else "" */
    int64_t sent_at;         /* unix seconds, 0 unless sent */
    /* of the request, for lists */
    int64_t case_id;
    event_agency agency;
    const char *service;
    date_t due;
} store_advice_chase;

/* Records that a request must be chased on a day, once: *added is false (and
 * nothing changes) when that request already has a chase that day. Sets
 * c->id either way (the existing row's id when not added). */
int store_advice_chase_add(store *s, store_advice_chase *c, bool *added);
/* Sets a chase's e-mail status, error ("" for none) and sent_at. */
int store_advice_chase_set(store *s, const char *la_code, int64_t id, const char *status,
                           const char *error, int64_t sent_at);

typedef struct {
    const char *la_code;  /* NULL: every area (the reminder job) */
    date_t chase_on;      /* DATE_NONE any */
    const char *status;   /* exact, NULL any */
    size_t limit, offset; /* limit <= STORE_PAGE_MAX */
} store_advice_chase_query;

/* Newest day first, then id descending. */
int store_advice_chase_list(store *s, const store_advice_chase_query *q, arena *a,
                            store_advice_chase **out, size_t *n);

#endif
