/*
 * err.h — the one return-code vocabulary of sendhub.
 *
 * Every function that can fail returns int: 0 (SH_OK) on success and one of
 * the negative codes below on failure. Callers name the value `rc` and pass
 * it on unchanged, so the code that reaches the edge (HTTP status, exit code)
 * is the code that was raised where the problem was found.
 */
#ifndef SH_ERR_H
#define SH_ERR_H

enum {
    SH_OK = 0,
    SH_EINVAL = -1,    /* the input failed validation; a message says why */
    SH_ENOMEM = -2,    /* an allocation failed */
    SH_ENOTFOUND = -3, /* the thing asked for does not exist (or is not visible) */
    SH_ECONFLICT = -4, /* the write conflicts with what is stored */
    SH_EIO = -5,       /* the storage layer or the OS failed */
    SH_ELIMIT = -6,    /* a ceiling (size, count, depth) was exceeded */
    SH_EDENIED = -7,   /* the caller is not allowed to do this */
    SH_EUNAVAIL = -8,  /* a dependency (e.g. the database) is unavailable now */
};

/* A short English name for an rc, for logs and error bodies. Never NULL. */
const char *sh_strerror(int rc);

#endif
