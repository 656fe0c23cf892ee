#include "core/sample.h"

#include "util/err.h"

/* SplitMix64 (Steele, Lea and Flood 2014): one 64-bit state, every seed
 * good, the same numbers on every platform. */
static uint64_t next(uint64_t *state)
{
    uint64_t z = (*state += 0x9e3779b97f4a7c15u);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
    return z ^ (z >> 31);
}

/* Uniform in [0, m), m > 0: draws above the last whole multiple of m are
 * thrown away, so no value is favoured. */
static size_t below(uint64_t *state, size_t m)
{
    uint64_t limit = UINT64_MAX - UINT64_MAX % (uint64_t)m;
    uint64_t x;
    do
        x = next(state);
    while (x >= limit);
    return (size_t)(x % (uint64_t)m);
}

/* Places per stratum: floor of the proportional share, then one more each
 * to the strata with the largest remainders until k are given (the shares
 * sum to k, so the strata with a remainder are always enough; and floor + 1
 * never exceeds a stratum's size). */
static void allocate(const size_t count[SAMPLE_STRATA_MAX], size_t n, size_t k,
                     size_t quota[SAMPLE_STRATA_MAX])
{
    size_t given = 0;
    for (int s = 0; s < SAMPLE_STRATA_MAX; s++) {
        quota[s] = k * count[s] / n;
        given += quota[s];
    }
    while (given < k) {
        int best = -1;
        size_t best_rem = 0;
        for (int s = 0; s < SAMPLE_STRATA_MAX; s++) {
            size_t rem = k * count[s] % n;
            /* quota * n < k * count: not yet given its extra place */
            if (quota[s] * n < k * count[s] && rem > best_rem) {
                best = s;
                best_rem = rem;
            }
        }
        if (best < 0)
            break;
        quota[best]++;
        given++;
    }
}

int sample_draw(const int *strata, size_t n, size_t want, uint64_t seed, size_t *scratch,
                size_t out[SAMPLE_MAX], size_t *n_out)
{
    *n_out = 0;
    if (want < 1 || want > SAMPLE_MAX)
        return SH_EINVAL;
    size_t count[SAMPLE_STRATA_MAX] = {0}, quota[SAMPLE_STRATA_MAX];
    for (size_t i = 0; i < n; i++) {
        if (strata[i] < 0 || strata[i] >= SAMPLE_STRATA_MAX)
            return SH_EINVAL;
        count[strata[i]]++;
    }
    if (n == 0)
        return SH_OK;
    size_t k = want < n ? want : n;
    allocate(count, n, k, quota);
    uint64_t state = seed;
    for (int s = 0; s < SAMPLE_STRATA_MAX; s++) {
        if (quota[s] == 0)
            continue;
        size_t m = 0;
        for (size_t i = 0; i < n; i++)
            if (strata[i] == s)
                scratch[m++] = i;
        for (size_t j = 0; j < quota[s]; j++) {
            size_t pick = j + below(&state, m - j);
            size_t t = scratch[j];
            scratch[j] = scratch[pick];
            scratch[pick] = t;
            out[(*n_out)++] = scratch[j];
        }
    }
    return SH_OK;
}
