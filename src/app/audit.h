/*
 * audit.h — recording who read or changed a child's record, and every
 * sign-in, in the append-only audit log.
 *
 * Writes are audited inside the transaction that makes them (the entry
 * cannot be lost while the change survives). Reads, denials and sign-ins are
 * queued and written by a background writer in batches (one transaction per
 * batch, at least every AUDIT_FLUSH_MS and at shutdown), so auditing every
 * page view does not cost an fsync per request. A crash can lose at most the
 * reads of the last AUDIT_FLUSH_MS; docs/OPERATIONS.md says so.
 */
#ifndef SH_APP_AUDIT_H
#define SH_APP_AUDIT_H

#include <stdint.h>

#include "app/app.h"
#include "store/store.h"

#define AUDIT_FLUSH_MS 200
#define AUDIT_QUEUE_MAX 65536 /* entries waiting; beyond it callers write directly */

typedef struct audit_log audit_log;

/* Starts the background writer on its own database connection (db URL).
 * NULL on failure (message on stderr). */
audit_log *audit_log_create(const char *db);
/* Flushes what is queued and stops the writer. Safe on NULL. */
void audit_log_destroy(audit_log *log);

/* Queues one entry about `who` (copied; the caller's strings may die).
 * With log NULL (command line, tests) the entry is written at once to s. */
int audit_record(audit_log *log, store *s, const app_identity *who, const char *action,
                 const char *object, int64_t object_id, int64_t child_id,
                 const char *detail, int64_t now);

/* Writes one entry now, on s, inside the caller's transaction: for writes. */
int audit_record_now(store *s, const app_identity *who, const char *action,
                     const char *object, int64_t object_id, int64_t child_id,
                     const char *detail, int64_t now);

/* Waits until everything queued before the call is in the database (tests,
 * exports that must include the latest entries). */
int audit_log_sync(audit_log *log);

#endif
