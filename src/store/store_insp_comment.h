/*
 * store_insp_comment.h — comments on an improvement plan's actions (issue 9,
 * co-production), written once over the portable SQL layer (store/sql.h),
 * migration 009.
 *
 * A comment is from a member of the parent carer forum or from the staff
 * who reply; it is kept as written (the database refuses to change or
 * remove one) with its author as they were then: username, name, role and
 * organisation (the forum's name for the forum).
 *
 * Tenancy: every call takes the caller's la_code; an action of another area
 * is "not found" (its foreign key). Memory: text in rows read comes from the
 * arena passed in. Errors: as store.h (SH_ENOTFOUND, SH_EUNAVAIL, SH_EIO,
 * SH_ENOMEM).
 */
#ifndef SH_STORE_INSP_COMMENT_H
#define SH_STORE_INSP_COMMENT_H

#include <stddef.h>
#include <stdint.h>

#include "store/store.h"
#include "store/store_portal.h"
#include "util/arena.h"

#define STORE_COMMENT_BODY_MAX 2000
#define STORE_COMMENTS_MAX 200      /* comments on one action */
#define STORE_PLAN_COMMENTS_MAX 20  /* the latest of a plan, on its progress page */

typedef struct {
    int64_t id;
    int64_t action_id;
    const char *action_title; /* read from the plan's list only, else NULL */
    const char *body;
    const char *author;       /* username */
    const char *author_name;
    const char *author_role;  /* wire name (app/access.h) */
    const char *organisation; /* "" if none */
    int64_t created_at;       /* unix seconds */
} store_insp_comment;

/* Adds a comment to action c->action_id of the area, dated c->created_at
 * (the caller's clock: the application's, which tests and the demo set):
 * sets c->id. */
int store_insp_comment_insert(store *s, const char *la_code, store_insp_comment *c);
/* How many comments action_id has. */
int store_insp_comment_count(store *s, const char *la_code, int64_t action_id, int64_t *n);
/* An action's comments, oldest first, as the conversation ran (at most
 * STORE_COMMENTS_MAX). */
int store_insp_comment_list(store *s, const char *la_code, int64_t action_id, arena *a,
                            store_insp_comment **out, size_t *n);
/* The latest comments on any action of inspection_id's plan, newest first,
 * with their action's title (at most STORE_PLAN_COMMENTS_MAX). */
int store_insp_comment_plan(store *s, const char *la_code, int64_t inspection_id, arena *a,
                            store_insp_comment **out, size_t *n);
/* The forum members who have commented on action_id, each once, whose
 * account is enabled and has an e-mail address: who is told of a reply. */
int store_insp_comment_forum_to(store *s, const char *la_code, int64_t action_id, arena *a,
                                store_recipient **out, size_t *n);

#endif
