/* xorshift64* (Vigna): three shifts and a multiply per number. */
#include "config.h"

#include "prng.h"

void
prng_seed(struct prng *p, uint64_t state)
{
	/* xorshift stays at 0 for ever. */
	p->state = state != 0 ? state : 1;
}

uint64_t
prng_next(struct prng *p)
{
	p->state ^= p->state >> 12;
	p->state ^= p->state << 25;
	p->state ^= p->state >> 27;
	return p->state * 0x2545f4914f6cdd1dULL;
}

double
prng_double(struct prng *p)
{
	return (double)(prng_next(p) >> 11) / (double)(1ULL << 53);
}
