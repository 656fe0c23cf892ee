/*
 * audit.c — the audit log's writer (audit.h).
 *
 * Queued entries are deep copies in a singly linked list (one malloc per
 * entry, strings packed after it), guarded by one mutex. The writer thread
 * sleeps on a condition variable until the first entry arrives, then waits
 * at most AUDIT_FLUSH_MS (less when AUDIT_BATCH entries pile up, a sync is
 * asked for, or the log is stopping), takes the whole list and writes it in
 * one transaction on its own connection, without holding the mutex. A
 * failed write puts the batch back at the head of the queue (order kept) and
 * is retried after AUDIT_FLUSH_MS; when stopping, after AUDIT_STOP_TRIES
 * attempts what is left goes to stderr, the service log, rather than
 * vanishing.
 *
 * The queue's memory is bounded: at most AUDIT_QUEUE_MAX entries of at most
 * AUDIT_TEXT_BYTES of text. Strings are cut to the audit table's column
 * limits on the way in (callers pass short phrases; the cut only keeps a
 * runaway caller from writing an entry the database would refuse, which
 * would block every entry queued behind it).
 */
#include "app/audit.h"

#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "app/access.h"
#include "util/err.h"

#define AUDIT_BATCH 256       /* queued entries that wake the writer early */
#define AUDIT_CHUNK 64        /* entries per store_audit_append call */
/* The audit table's column ceilings (store schema): longer strings are cut. */
#define AUDIT_NAME_MAX 64     /* username, remote */
#define AUDIT_WORD_MAX 32     /* role, action, object */
#define AUDIT_DETAIL_MAX 200
#define AUDIT_TEXT_BYTES (3 * (AUDIT_WORD_MAX + 1) + 2 * (AUDIT_NAME_MAX + 1) + \
                          AUDIT_DETAIL_MAX + 1)
#define AUDIT_STOP_TRIES 3    /* writes tried at shutdown before giving up to stderr */

typedef struct audit_node {
    struct audit_node *next;
    store_audit e;  /* its strings point into text */
    char text[];
} audit_node;

/* One entry with its strings in its own buffer. */
typedef struct {
    store_audit e;
    char text[AUDIT_TEXT_BYTES];
    size_t len; /* bytes of text used */
} audit_text;

struct audit_log {
    pthread_mutex_t mu;
    pthread_cond_t wake;    /* the writer: entries, a sync or stop */
    pthread_cond_t written; /* sync waiters: progress or failure */
    audit_node *head, **tail;
    size_t queued;          /* nodes in the list, never above AUDIT_QUEUE_MAX */
    uint64_t enqueued;      /* entries ever queued */
    uint64_t done;          /* entries ever written; entries are written in order */
    uint64_t failures;      /* failed batch writes */
    int last_rc;
    bool flush_now, stop;
    store *s;
    pthread_t thread;
};

/* The role's wire name; "" for no valid role (a failed sign-in by an
 * unknown name). */
static const char *role_name(int role)
{
    return role >= 0 && role < ROLE_COUNT ? access_role_name((app_role)role) : "";
}

/* Bytes of s to keep: all of it up to max, else cut back to the start of
 * a UTF-8 character. */
static size_t kept(const char *s, size_t max)
{
    size_t n = strnlen(s, max + 1);
    if (n <= max)
        return n;
    n = max;
    while (n > 0 && ((unsigned char)s[n] & 0xc0) == 0x80)
        n--;
    return n;
}

/* Copies s (cut to max bytes) into text at *at. */
static const char *pack(char *text, size_t *at, const char *s, size_t max)
{
    size_t n = kept(s ? s : "", max);
    char *dst = text + *at;
    memcpy(dst, s ? s : "", n);
    dst[n] = '\0';
    *at += n + 1;
    return dst;
}

/* Builds an entry with its own copy of every string, each cut to its
 * column's ceiling, so no entry can fail the table's checks and block the
 * queue behind it. SH_EINVAL without an identity, an action or an object, or
 * when the identity has no 3-digit area. */
static int entry_build(audit_text *x, const app_identity *who, const char *action,
                       const char *object, int64_t object_id, int64_t child_id,
                       const char *detail, int64_t now)
{
    if (!who || !action || !*action || !object ||
        strnlen(who->la_code, sizeof who->la_code) != STORE_LA_LEN)
        return SH_EINVAL;
    size_t at = 0;
    store_audit *e = &x->e;
    *e = (store_audit){.at = now, .object_id = object_id, .child_id = child_id};
    memcpy(e->la_code, who->la_code, sizeof e->la_code);
    e->username = pack(x->text, &at, who->username, AUDIT_NAME_MAX);
    e->role = pack(x->text, &at, role_name(who->role), AUDIT_WORD_MAX);
    e->action = pack(x->text, &at, action, AUDIT_WORD_MAX);
    e->object = pack(x->text, &at, object, AUDIT_WORD_MAX);
    e->detail = pack(x->text, &at, detail, AUDIT_DETAIL_MAX);
    e->remote = pack(x->text, &at, who->remote, AUDIT_NAME_MAX);
    x->len = at;
    return SH_OK;
}

/* A copy of a built entry in one allocation; NULL when out of memory. */
static audit_node *node_copy(const audit_text *x)
{
    audit_node *node = malloc(sizeof *node + x->len);
    if (!node)
        return NULL;
    node->next = NULL;
    memcpy(node->text, x->text, x->len);
    node->e = x->e;
    node->e.username = node->text + (x->e.username - x->text);
    node->e.role = node->text + (x->e.role - x->text);
    node->e.action = node->text + (x->e.action - x->text);
    node->e.object = node->text + (x->e.object - x->text);
    node->e.detail = node->text + (x->e.detail - x->text);
    node->e.remote = node->text + (x->e.remote - x->text);
    return node;
}

static void nodes_free(audit_node *n)
{
    while (n) {
        audit_node *next = n->next;
        free(n);
        n = next;
    }
}

/* ---- the writer --------------------------------------------------------- */

static struct timespec deadline_after(long ms)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    t.tv_sec += ms / 1000;
    t.tv_nsec += (ms % 1000) * 1000000L;
    if (t.tv_nsec >= 1000000000L) {
        t.tv_sec++;
        t.tv_nsec -= 1000000000L;
    }
    return t;
}

/* With mu held: sleeps until there is something to write, then at most
 * AUDIT_FLUSH_MS more while the batch fills (the first entry woke us, so
 * no entry waits longer than that), unless a sync or stop cuts it short. */
static void wait_for_batch(audit_log *log)
{
    while (!log->stop && !log->head)
        pthread_cond_wait(&log->wake, &log->mu);
    struct timespec deadline = deadline_after(AUDIT_FLUSH_MS);
    while (!log->stop && !log->flush_now && log->queued < AUDIT_BATCH)
        if (pthread_cond_timedwait(&log->wake, &log->mu, &deadline) == ETIMEDOUT)
            break;
}

/* Writes a list in one transaction (appended AUDIT_CHUNK entries at a
 * time), all or nothing. No lock held. */
static int write_batch(store *s, const audit_node *list)
{
    store_audit chunk[AUDIT_CHUNK];
    int rc = store_tx_begin(s);
    while (rc == SH_OK && list) {
        size_t n = 0;
        for (; list && n < AUDIT_CHUNK; list = list->next)
            chunk[n++] = list->e;
        rc = store_audit_append(s, chunk, n);
    }
    if (rc) {
        store_tx_rollback(s);
        return rc;
    }
    return store_tx_commit(s);
}

/* With mu held: puts a batch that could not be written back in front of
 * the queue, so the order of entries is kept. */
static void requeue(audit_log *log, audit_node *batch, size_t n)
{
    audit_node *last = batch;
    while (last->next)
        last = last->next;
    last->next = log->head;
    if (!log->head)
        log->tail = &last->next;
    log->head = batch;
    log->queued += n;
}

/* Shutdown after repeated failures: the entries go to stderr, one line
 * each, so the service log still holds them. */
static void dump_unwritten(audit_log *log)
{
    size_t n = 0;
    for (audit_node *x = log->head; x; x = x->next, n++)
        fprintf(stderr,
                "audit: unwritten: at=%lld la=%s user=%s role=%s action=%s object=%s "
                "object_id=%lld child_id=%lld remote=%s detail=%s\n",
                (long long)x->e.at, x->e.la_code, x->e.username, x->e.role, x->e.action,
                x->e.object, (long long)x->e.object_id, (long long)x->e.child_id,
                x->e.remote, x->e.detail);
    fprintf(stderr, "audit: %zu entries could not be written (%s)\n", n,
                sh_strerror(log->last_rc));
    nodes_free(log->head);
    log->head = NULL;
    log->tail = &log->head;
    log->queued = 0;
}

/* With mu held: a failed batch goes back, waiters hear of it, and the
 * writer pauses AUDIT_FLUSH_MS before trying again (the database may be
 * locked or the disk full; spinning would not help). */
static void batch_failed(audit_log *log, audit_node *batch, size_t n, int rc, int *stop_tries)
{
    if (log->failures++ % 50 == 0)
        fprintf(stderr, "audit: writing %zu entries failed (%s); retrying\n", n,
                sh_strerror(rc));
    requeue(log, batch, n);
    log->last_rc = rc;
    if (log->stop && ++*stop_tries >= AUDIT_STOP_TRIES)
        dump_unwritten(log);
    pthread_cond_broadcast(&log->written);
    struct timespec retry = deadline_after(AUDIT_FLUSH_MS);
    pthread_cond_timedwait(&log->wake, &log->mu, &retry);
}

static void *writer_main(void *arg)
{
    audit_log *log = arg;
    int stop_tries = 0;
    pthread_mutex_lock(&log->mu);
    for (;;) {
        wait_for_batch(log);
        if (!log->head)
            break; /* stopping, and everything is written */
        audit_node *batch = log->head;
        size_t n = log->queued;
        log->head = NULL;
        log->tail = &log->head;
        log->queued = 0;
        log->flush_now = false;
        pthread_mutex_unlock(&log->mu);
        int rc = write_batch(log->s, batch);
        if (rc == SH_OK)
            nodes_free(batch);
        pthread_mutex_lock(&log->mu);
        if (rc == SH_OK)
            log->done += n;
        else
            batch_failed(log, batch, n, rc, &stop_tries);
        pthread_cond_broadcast(&log->written);
    }
    pthread_mutex_unlock(&log->mu);
    return NULL;
}

/* ---- the interface ------------------------------------------------------ */

static int sync_init(audit_log *log)
{
    pthread_condattr_t attr;
    if (pthread_condattr_init(&attr))
        return SH_ENOMEM;
    int bad = pthread_condattr_setclock(&attr, CLOCK_MONOTONIC) ||
              pthread_mutex_init(&log->mu, NULL);
    if (!bad && pthread_cond_init(&log->wake, &attr)) {
        pthread_mutex_destroy(&log->mu);
        bad = 1;
    }
    if (!bad && pthread_cond_init(&log->written, NULL)) {
        pthread_cond_destroy(&log->wake);
        pthread_mutex_destroy(&log->mu);
        bad = 1;
    }
    pthread_condattr_destroy(&attr);
    return bad ? SH_ENOMEM : SH_OK;
}

static void sync_destroy(audit_log *log)
{
    pthread_cond_destroy(&log->written);
    pthread_cond_destroy(&log->wake);
    pthread_mutex_destroy(&log->mu);
}

audit_log *audit_log_create(const char *db)
{
    audit_log *log = calloc(1, sizeof *log);
    if (!log) {
        fprintf(stderr, "audit: out of memory\n");
        return NULL;
    }
    log->tail = &log->head;
    int rc = store_open(db, &log->s);
    if (rc) {
        fprintf(stderr, "audit: cannot open %s: %s\n", db, sh_strerror(rc));
        free(log);
        return NULL;
    }
    rc = sync_init(log);
    if (rc == SH_OK && pthread_create(&log->thread, NULL, writer_main, log) != 0) {
        sync_destroy(log);
        rc = SH_ENOMEM;
    }
    if (rc) {
        fprintf(stderr, "audit: cannot start the writer thread: %s\n", sh_strerror(rc));
        store_close(log->s);
        free(log);
        return NULL;
    }
    return log;
}

void audit_log_destroy(audit_log *log)
{
    if (!log)
        return;
    pthread_mutex_lock(&log->mu);
    log->stop = true;
    pthread_cond_signal(&log->wake);
    pthread_mutex_unlock(&log->mu);
    pthread_join(log->thread, NULL);
    nodes_free(log->head); /* empty: the writer leaves only after writing or dumping */
    store_close(log->s);
    sync_destroy(log);
    free(log);
}

int audit_record(audit_log *log, store *s, const app_identity *who, const char *action,
                 const char *object, int64_t object_id, int64_t child_id,
                 const char *detail, int64_t now)
{
    audit_text x;
    int rc = entry_build(&x, who, action, object, object_id, child_id, detail, now);
    if (rc)
        return rc;
    audit_node *node = log ? node_copy(&x) : NULL;
    if (node) {
        pthread_mutex_lock(&log->mu);
        bool full = log->queued >= AUDIT_QUEUE_MAX || log->stop;
        if (!full) {
            *log->tail = node;
            log->tail = &node->next;
            log->enqueued++;
            if (++log->queued == 1 || log->queued == AUDIT_BATCH)
                pthread_cond_signal(&log->wake);
        }
        pthread_mutex_unlock(&log->mu);
        if (!full)
            return SH_OK;
        free(node);
    }
    /* no log, no memory for a copy, or the queue is full: written now on the
     * caller's connection, never dropped */
    return s ? store_audit_append(s, &x.e, 1) : SH_EINVAL;
}

int audit_record_now(store *s, const app_identity *who, const char *action,
                     const char *object, int64_t object_id, int64_t child_id,
                     const char *detail, int64_t now)
{
    audit_text x;
    int rc = entry_build(&x, who, action, object, object_id, child_id, detail, now);
    if (rc)
        return rc;
    return s ? store_audit_append(s, &x.e, 1) : SH_EINVAL;
}

int audit_log_sync(audit_log *log)
{
    if (!log)
        return SH_OK;
    pthread_mutex_lock(&log->mu);
    uint64_t target = log->enqueued, failures = log->failures;
    log->flush_now = true;
    pthread_cond_signal(&log->wake);
    while (log->done < target && log->failures == failures)
        pthread_cond_wait(&log->written, &log->mu);
    int rc = log->done >= target ? SH_OK : log->last_rc;
    pthread_mutex_unlock(&log->mu);
    return rc;
}
