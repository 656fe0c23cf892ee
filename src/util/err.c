#include "util/err.h"

const char *sh_strerror(int rc)
{
    switch (rc) {
    case SH_OK: return "ok";
    case SH_EINVAL: return "invalid input";
    case SH_ENOMEM: return "out of memory";
    case SH_ENOTFOUND: return "not found";
    case SH_ECONFLICT: return "conflict";
    case SH_EIO: return "storage or I/O failure";
    case SH_ELIMIT: return "limit exceeded";
    case SH_EDENIED: return "access denied";
    case SH_EUNAVAIL: return "service unavailable";
    default: return "unknown error";
    }
}
