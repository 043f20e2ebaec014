/* A small seeded random number generator, for reproducible drops. */
#ifndef NETDEMO_RNG_H
#define NETDEMO_RNG_H

#include <stdint.h>

struct rng {
	uint64_t	 state;
};

/* seed < 0: seed from the kernel, so every run differs. */
void	rng_seed(struct rng *r, long long seed);
/* A double in [0, 1), like Python's random.random(). */
double	rng_next(struct rng *r);

#endif
