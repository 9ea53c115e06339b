/*
 * The one pseudo-random generator (xorshift64*): small, fast, and the same
 * sequence for the same seed, so --seed makes a scenario's sleeps and an
 * exploration's schedules reproducible. Not for anything secret.
 */
#ifndef PTMON_PRNG_H
#define PTMON_PRNG_H

#include <stdint.h>

struct prng {
	uint64_t	 state;
};

/*
 * Sets the state: 64 well-mixed bits (callers mix their seed, e.g. with a
 * multiply or splitmix64); 0, the one bad state, becomes 1.
 */
void		 prng_seed(struct prng *, uint64_t state);
/* The next 64 random bits. */
uint64_t	 prng_next(struct prng *);
/* A double in [0, 1), as Python's random.random(). */
double		 prng_double(struct prng *);

#endif
