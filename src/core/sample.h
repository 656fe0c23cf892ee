/*
 * sample.h — choosing children for an inspection deep dive: N of a
 * population, at random but reproducibly from a seed, optionally spread
 * over strata (plan status, primary need) in proportion to their sizes.
 *
 * Why reproducible: inspectors pick the children, and anyone (the council,
 * a later reviewer) must be able to check that the sample was not chosen by
 * hand. The same population in the same order with the same seed always
 * gives the same children; the seed is shown beside the sample. Callers
 * pass the population in a fixed order (case id), not in an order that
 * changes from day to day.
 *
 * How: each stratum gets N * size / population places, rounded down; the
 * places left go to the strata with the largest remainders (ties: the lower
 * stratum number), so no stratum gets more than it holds. Within a stratum
 * the children are a partial Fisher-Yates shuffle driven by SplitMix64 from
 * the seed. Without strata, pass every member the same stratum.
 *
 * Pure: no I/O, no clock, no allocation (the caller passes scratch space).
 */
#ifndef SH_CORE_SAMPLE_H
#define SH_CORE_SAMPLE_H

#include <stddef.h>
#include <stdint.h>

#define SAMPLE_MAX 20          /* children in one sample */
#define SAMPLE_STRATA_MAX 64   /* distinct strata numbers 0..SAMPLE_STRATA_MAX-1 */

/* Draws min(want, n) distinct members of a population of n, member i in
 * stratum strata[i]. Writes their indices (0..n-1) to out (room for
 * SAMPLE_MAX), stratum by stratum in stratum order and in the order drawn
 * within one; *n_out their number. scratch holds n entries.
 * SH_EINVAL when want is not 1..SAMPLE_MAX or a stratum is out of range. */
int sample_draw(const int *strata, size_t n, size_t want, uint64_t seed, size_t *scratch,
                size_t out[SAMPLE_MAX], size_t *n_out);

#endif
