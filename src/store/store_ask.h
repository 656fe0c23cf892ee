/*
 * store_ask.h — requests for an EHC needs assessment made online by a
 * family without an account (issue 7), written once over the portable SQL
 * layer (store/sql.h); and the submissions per client address behind the
 * flood limit.
 *
 * A request belongs to the area the family chose. It is 'open' until a
 * coordinator starts the statutory request from it ('started', linked to
 * the case) or closes it with a reason ('closed'): both changes happen only
 * while it is still open (store_ask_start / store_ask_close change no row
 * otherwise), so two people handling it at once cannot both win.
 *
 * Each request is stored under the hash of a random key its check page
 * carried (the unique send_key), so the same page sent twice is one request
 * (and one acknowledgement e-mail, queued with it).
 *
 * Memory: text in records read comes from the arena passed in. Errors: as
 * store.h (SH_ENOTFOUND, SH_ECONFLICT, SH_EUNAVAIL, SH_EIO, SH_ENOMEM).
 */
#ifndef SH_STORE_ASK_H
#define SH_STORE_ASK_H

#include <stddef.h>
#include <stdint.h>

#include "core/date.h"
#include "store/store.h"
#include "util/arena.h"

#define STORE_ASK_LIST_MAX 200  /* open requests shown to an area at once */
#define STORE_ASK_AREAS_MAX 200 /* areas offered on the public form */

typedef struct {
    int64_t id;
    char la_code[STORE_LA_LEN + 1];
    int64_t received_at;
    date_t received_on;
    const char *asker_role, *relationship, *asker_name, *email, *phone;
    const char *forename, *surname;
    date_t date_of_birth;
    const char *postcode, *setting_name, *upn, *nhs_number;
    const char *needs, *tried;
    const char *status;        /* "open", "started", "closed" */
    int64_t case_id;           /* 0 unless started */
    const char *closed_reason; /* "" unless closed */
    const char *closed_note;
    const char *handled_by;    /* "" while open */
    int64_t handled_at;
} store_ask;

/* Stores a new open request under the hash of the key its check page
 * carried: sets r->id. SH_ECONFLICT when that key was used already. */
int store_ask_insert(store *s, const unsigned char key[STORE_TOKEN_HASH_LEN], store_ask *r);
/* The request sent with that key (in any area); SH_ENOTFOUND for none. */
int store_ask_by_key(store *s, const unsigned char key[STORE_TOKEN_HASH_LEN], arena *a,
                     store_ask *out);
/* One request of the area; SH_ENOTFOUND for none (or another area's). */
int store_ask_get(store *s, const char *la_code, int64_t id, arena *a, store_ask *out);
/* The area's open requests, oldest received first (at most
 * STORE_ASK_LIST_MAX); *total counts them all. */
int store_ask_open_list(store *s, const char *la_code, arena *a, store_ask **out, size_t *n,
                        int64_t *total);
/* Marks an open request started, linked to case_id: SH_ENOTFOUND when it
 * is not open any more (or not the area's). */
int store_ask_start(store *s, const char *la_code, int64_t id, int64_t case_id,
                    const char *by, int64_t now);
/* Closes an open request with a reason and note: SH_ENOTFOUND as above. */
int store_ask_close(store *s, const char *la_code, int64_t id, const char *reason,
                    const char *note, const char *by, int64_t now);

/* Queues the acknowledgement of request `id` in the portal's outbox (016),
 * to the e-mail address the request gave, to be sent by app/notify.h like
 * every portal e-mail: sets *outbox_id. SH_ENOTFOUND for no such request;
 * SH_ECONFLICT when it has one already (one per request). */
int store_ask_ack_insert(store *s, int64_t id, const char *subject, const char *body,
                         int64_t now, int64_t *outbox_id);

/* The areas a family may choose, by name. */
typedef struct {
    char la_code[STORE_LA_LEN + 1];
    const char *name;
} store_ask_area;
int store_ask_areas(store *s, arena *a, store_ask_area **out, size_t *n);

/* Records a submission from `remote` at `now` (forgetting those before
 * `forget_before`); counts those from `remote` since `since`. */
int store_ask_sender_add(store *s, const char *remote, int64_t now, int64_t forget_before);
int store_ask_senders(store *s, const char *remote, int64_t since, int64_t *n);

#endif
