/*
 * fragment_cache.h — rendered fragments (HTML or JSON) kept per worker
 * thread, reused only while the database is unchanged.
 *
 * An answer whose expensive part depends only on what the database holds
 * and on a few request values (a caseload table: its query and "today"; a
 * case's JSON: the case, as_of and "today"; the plan editor's content: the
 * case, the area, whether the person may edit, and "today") can keep that
 * part here and copy it on the next identical request. An entry is
 * found by its key (the caller spells out everything the fragment depends
 * on, the database aside) and is used only when the store_data_version the
 * caller read now equals the one it was made under: any commit by anyone,
 * or any change on this thread's connection, makes every entry stale. So a
 * hit returns exactly what rendering again would, and a backend that cannot
 * tell its version (store_data_version fails) is never cached for.
 *
 * What the cache never does: decide access or audit. The caller has
 * resolved the person, put in the key whatever decides what they may see
 * (the scoped caseload query; for a case or its plan, only people who see
 * their whole area, and the area), and audits every request, hit or not.
 * Nor may a fragment hold anything of one person's session (a CSRF
 * token), since people with the same key share it: a fragment with a form
 * keeps the place where the token goes among its numbers, and the caller
 * writes the requester's own token there on every answer.
 *
 * Each entry keeps FRAGMENT_CACHE_EXTRA numbers beside its fragment for what
 * the caller needs on a hit without reading the database (a caseload's
 * total; the child a case belongs to, for the audit entry; where a form's
 * CSRF field goes).
 *
 * Memory: FRAGMENT_CACHE_SLOTS entries per thread, each at most
 * FRAGMENT_CACHE_MAX bytes of fragment and FRAGMENT_CACHE_KEY_MAX of key
 * (bigger ones are not kept); the least recently used entry is replaced.
 * The thread's entries are freed when the thread ends. Thread-confined, so
 * no locks; the data version is per connection, and each worker thread has
 * its own.
 */
#ifndef SH_WEB_FRAGMENT_CACHE_H
#define SH_WEB_FRAGMENT_CACHE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "store/store.h"
#include "util/buf.h"

#define FRAGMENT_CACHE_SLOTS 4
#define FRAGMENT_CACHE_MAX (256u << 10)
#define FRAGMENT_CACHE_KEY_MAX 2048
#define FRAGMENT_CACHE_EXTRA 2 /* numbers kept with a fragment */

/* On a hit (same key, same version) appends the fragment to out, copies
 * the numbers stored with it into extra and returns true. A stale entry
 * for the key is dropped. False on a miss, or when out cannot take it (out
 * and extra are then unchanged). */
bool fragment_cache_get(const char *key, const int64_t version[STORE_VERSION_LEN], buf *out,
                        size_t extra[FRAGMENT_CACHE_EXTRA]);

/* Keeps a copy of fragment [p, p + len) and of the numbers in extra under
 * key and version, replacing the key's entry or the least recently used
 * one. Best effort: too big, or no memory, and nothing is kept. */
void fragment_cache_put(const char *key, const int64_t version[STORE_VERSION_LEN], const char *p,
                        size_t len, const size_t extra[FRAGMENT_CACHE_EXTRA]);

#endif
