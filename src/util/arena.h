/*
 * arena.h — region allocator with a ceiling.
 *
 * One arena per unit of work (an HTTP request, one journey computed by the
 * CLI, one benchmark iteration). Everything allocated from it is freed at
 * once by arena_destroy() or arena_reset(); nothing allocated from an arena is
 * ever freed individually. The ceiling bounds what an attacker-influenced
 * input can make us allocate: once `limit` bytes are in use every further
 * allocation fails (returns NULL) and the caller turns that into SH_ELIMIT.
 *
 * An arena is not thread-safe; it belongs to the one thread doing the work.
 */
#ifndef SH_ARENA_H
#define SH_ARENA_H

#include <stdarg.h>
#include <stddef.h>

typedef struct arena arena;

/* Creates an arena that will hand out at most `limit` bytes in total.
 * Returns NULL only when the first block cannot be allocated. */
arena *arena_create(size_t limit);

/* Frees every block. Safe on NULL. */
void arena_destroy(arena *a);

/* Forgets every allocation but keeps the first block for reuse, so a loop
 * that resets per iteration does not touch malloc in the steady state. */
void arena_reset(arena *a);

/* Returns `n` bytes aligned for any type, or NULL when the ceiling would be
 * exceeded or memory is exhausted. The bytes are not zeroed. */
void *arena_alloc(arena *a, size_t n);

/* As arena_alloc, zeroed. Checks count*size for overflow. */
void *arena_calloc(arena *a, size_t count, size_t size);

/* Copies `n` bytes of `s` and a terminating NUL. NULL on failure. */
char *arena_strndup(arena *a, const char *s, size_t n);

/* Copies a NUL-terminated string. NULL on failure (or when s is NULL). */
char *arena_strdup(arena *a, const char *s);

/* Room for one more element in a growing array: returns v itself when
 * n < *cap, else a new array of twice the capacity (`first` elements for
 * the first) holding v's n elements, and updates *cap. The old block stays
 * in the arena until reset (arrays built once per unit of work, such as a
 * report's rows). NULL on the ceiling or an overflowing size. */
void *arena_grow(arena *a, void *v, size_t n, size_t *cap, size_t size, size_t first);

/* printf into the arena. NULL on failure. */
char *arena_printf(arena *a, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
char *arena_vprintf(arena *a, const char *fmt, va_list ap)
    __attribute__((format(printf, 2, 0)));

/* Bytes handed out so far (for tests and limits). */
size_t arena_used(const arena *a);

#endif
