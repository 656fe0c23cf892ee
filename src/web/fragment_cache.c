/*
 * fragment_cache.c — per-thread rendered fragments (fragment_cache.h).
 *
 * Each thread's slots hang off a pthread key whose destructor frees them
 * when the thread ends. A slot owns one heap block holding its key and its
 * fragment.
 */
#include "web/fragment_cache.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "util/err.h"

typedef struct {
    char *key;      /* NUL-terminated, in the same block as data; NULL: empty */
    char *data;
    size_t len;
    size_t extra[FRAGMENT_CACHE_EXTRA];
    int64_t version[STORE_VERSION_LEN];
    uint64_t used;  /* when last hit or filled, in the thread's own clock */
} slot;

typedef struct {
    slot s[FRAGMENT_CACHE_SLOTS];
    uint64_t clock;
} slots;

static pthread_key_t slots_key;
static pthread_once_t slots_once = PTHREAD_ONCE_INIT;
static bool slots_ok;

static void slots_free(void *p)
{
    slots *t = p;
    for (int i = 0; i < FRAGMENT_CACHE_SLOTS; i++)
        free(t->s[i].key);
    free(t);
}

static void slots_key_make(void)
{
    slots_ok = pthread_key_create(&slots_key, slots_free) == 0;
}

/* This thread's slots, made on first use; NULL without memory or a key. */
static slots *thread_slots(void)
{
    pthread_once(&slots_once, slots_key_make);
    if (!slots_ok)
        return NULL;
    slots *t = pthread_getspecific(slots_key);
    if (t)
        return t;
    t = calloc(1, sizeof *t);
    if (t && pthread_setspecific(slots_key, t) != 0) {
        free(t);
        t = NULL;
    }
    return t;
}

static slot *find(slots *t, const char *key)
{
    for (int i = 0; i < FRAGMENT_CACHE_SLOTS; i++)
        if (t->s[i].key && strcmp(t->s[i].key, key) == 0)
            return &t->s[i];
    return NULL;
}

static void drop(slot *e)
{
    free(e->key);
    memset(e, 0, sizeof *e);
}

bool fragment_cache_get(const char *key, const int64_t version[STORE_VERSION_LEN], buf *out,
                        size_t extra[FRAGMENT_CACHE_EXTRA])
{
    slots *t = thread_slots();
    slot *e = t ? find(t, key) : NULL;
    if (!e)
        return false;
    if (memcmp(e->version, version, sizeof e->version) != 0) {
        drop(e);
        return false;
    }
    if (buf_append(out, e->data, e->len) != SH_OK)
        return false;
    e->used = ++t->clock;
    memcpy(extra, e->extra, sizeof e->extra);
    return true;
}

void fragment_cache_put(const char *key, const int64_t version[STORE_VERSION_LEN], const char *p,
                        size_t len, const size_t extra[FRAGMENT_CACHE_EXTRA])
{
    size_t klen = strlen(key);
    slots *t = len <= FRAGMENT_CACHE_MAX && klen < FRAGMENT_CACHE_KEY_MAX ? thread_slots() : NULL;
    if (!t)
        return;
    slot *e = find(t, key);
    for (int i = 0; !e && i < FRAGMENT_CACHE_SLOTS; i++)
        if (!t->s[i].key)
            e = &t->s[i];
    if (!e) { /* all full: the least recently used goes */
        e = &t->s[0];
        for (int i = 1; i < FRAGMENT_CACHE_SLOTS; i++)
            if (t->s[i].used < e->used)
                e = &t->s[i];
    }
    drop(e);
    char *block = malloc(klen + 1 + len);
    if (!block)
        return;
    memcpy(block, key, klen + 1);
    memcpy(block + klen + 1, p, len);
    e->key = block;
    e->data = block + klen + 1;
    e->len = len;
    memcpy(e->extra, extra, sizeof e->extra);
    memcpy(e->version, version, sizeof e->version);
    e->used = ++t->clock;
}
