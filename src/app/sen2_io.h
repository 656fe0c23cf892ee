/*
 * sen2_io.h — the SEN2 return read from the store and written out: one XML
 * document (schema docs/sen2.xsd) or one CSV file per module (RFC 4180,
 * with the published field names), plus the notes, the headline figures and
 * the validation report as CSV. Shared by `sendhub export sen2` and the
 * /returns/sen2 page, so both give byte-identical files.
 *
 * Writers append to a `buf` (its maximum bounds the output; SH_ELIMIT past
 * it) and never read the clock: the caller passes the header's datetime.
 */
#ifndef SH_APP_SEN2_IO_H
#define SH_APP_SEN2_IO_H

#include <stddef.h>

#include "core/sen2.h"
#include "store/store.h"
#include "util/arena.h"
#include "util/buf.h"

#define SEN2_IO_ARENA_LIMIT ((size_t)2 << 30) /* one area's return, all in memory */

/* Reads every child with a case and every journey of the area (one bulk
 * scan) and builds the return for collection year `year` into `a`.
 * SH_EINVAL for a year out of range or a bad LA code; store errors. */
int sen2_io_load(store *s, const char *la_code, int year, arena *a, sen2_return *out);

/* The files of a return. */
typedef enum {
    SEN2_FILE_HEADER, SEN2_FILE_PERSON, SEN2_FILE_REQUESTS, SEN2_FILE_ASSESSMENT,
    SEN2_FILE_NAMEDPLAN, SEN2_FILE_PLANDETAIL, SEN2_FILE_ACTIVEPLANS,
    SEN2_FILE_PLACEMENTDETAIL, SEN2_FILE_SENNEED,
    SEN2_FILE_NOTES, SEN2_FILE_FIGURES, SEN2_FILE_ISSUES,
    SEN2_FILE_COUNT
} sen2_file;

/* "person" (the module's published name; file "person.csv"), "notes", ... */
const char *sen2_io_file_name(sen2_file f);
/* -1 when the name is not a file. */
int sen2_io_file_parse(const char *name);

/* The header's identity of this run: when it was made. */
typedef struct {
    const char *datetime; /* "2026-01-20T10:15:00Z" */
} sen2_io_meta;

/* One CSV file: a header row then one row per record, CRLF line ends. */
int sen2_io_csv(const sen2_return *r, const sen2_io_meta *m, sen2_file f, buf *b);

/* The whole return as one XML document. */
int sen2_io_xml(const sen2_return *r, const sen2_io_meta *m, buf *b);

#endif
