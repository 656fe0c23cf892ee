/*
 * plan_json.h — an EHC plan as a JSON document: how a working draft and
 * every issued version are stored (store_plan.h), and what the API returns.
 *
 * The document (one key per statutory section, every section present):
 *   {"format": "sendhub-plan/1",
 *    "sections": {
 *      "A": [{"id": 1, "text": "..."}],              also J
 *      "B": [{"id": 1, "text": "..."}],              also C, D (needs)
 *      "E": [{"id": 1, "text": "...", "needs": ["B1", "C2"]}],
 *      "F": [{"id": 1, "what": "...", "who": "...", "times": 3, "per": "week",
 *             "minutes": 30, "weeks": 12, "until_review": false,
 *             "needs": ["B1"]}],                     also G, H1, H2
 *      "I": {"urn": "123456" | null, "type": "special" | null},
 *      "K": [{"id": 1, "agency": "health", "date": "2026-03-02",
 *             "summary": "..."}]}}
 * Quantities not given are null (or absent); "who" may be "". Any other key
 * is rejected by name, so a typo never passes silently.
 *
 * Ceilings: PLAN_JSON_MAX_BYTES of text, PLAN_JSON_MAX_DEPTH of nesting
 * (checked before parsing, so jansson's recursion is bounded), and the
 * plan's own (core/plan.h): items per section, links per item, text bytes.
 * Decoding checks shape, names, ranges and duplicates; the plan's rules
 * (links to needs that exist, URN format) are plan_check's, which callers
 * run on the result, so there is one definition of a valid plan.
 *
 * Memory: the decoded plan's items and strings live in the caller's arena.
 * Writing follows jsonw's sticky-error rule (returns w->rc).
 */
#ifndef SH_PLAN_JSON_H
#define SH_PLAN_JSON_H

#include <stddef.h>

#include "core/plan.h"
#include "util/arena.h"
#include "util/jsonw.h"

#define PLAN_JSON_MAX_BYTES (2u * 1024 * 1024)
#define PLAN_JSON_MAX_DEPTH 6 /* {sections {F [{needs [...]}]}} is 5 */
#define PLAN_JSON_FORMAT "sendhub-plan/1"

typedef struct {
    int rc;           /* SH_EINVAL, SH_ELIMIT or SH_ENOMEM */
    char field[64];   /* where: "sections.F[2].times", "" for the document */
    char message[300];
} plan_json_error;

/* Parses and decodes a document into *out. SH_OK, or the error with *err
 * filled (SH_EINVAL bad shape or value, SH_ELIMIT a ceiling, SH_ENOMEM). */
int plan_json_decode(const char *text, size_t len, arena *a, plan *out, plan_json_error *err);

/* Writes the document (compact or pretty as w was started). */
int plan_json_write(jsonw *w, const plan *p);

#endif
