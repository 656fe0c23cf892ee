/*
 * demo_casefile.h — one demo child whose case file (issue 9, the
 * inspection deep dive) has something in every part: an issued plan,
 * advice, an annual review record, open and closed health referrals and
 * messages with the family, so the demo and the end-to-end test can open
 * a full case file.
 */
#ifndef SH_APP_DEMO_CASEFILE_H
#define SH_APP_DEMO_CASEFILE_H

#include <stdint.h>

#include "core/date.h"
#include "store/store.h"

/* Picks the open case of lowest id in area `la` with an issued plan
 * version and a review record (the generator made them), gives its advice
 * steps their request rows and answers when it has none (the generator
 * keeps them for the last 400 days only), links the family account `family` (a parent) to its child, and adds the
 * family's views, a short message thread (family and the case's
 * coordinator, in the weeks before as_of), when the child has no open
 * referral, one to the first active pathway, and when it has no closed one
 * a discharged speech and language therapy referral with a clock stop the
 * family asked for. Deterministic for the data.
 * *case_id the case (0 when no case qualifies: nothing is added). Not in a
 * transaction of its own: the demo's accounts step calls it. */
int demo_casefile_example(store *s, const char *la, const char *family, date_t as_of,
                          int64_t now, int64_t *case_id);

#endif
