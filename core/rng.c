/* A small seeded random number generator, for reproducible drops. */
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

#include "rng.h"

void
rng_seed(struct rng *r, long long seed)
{
	uint64_t s;

	if (seed >= 0)
		s = (uint64_t)seed;
	else if (getrandom(&s, sizeof(s), GRND_NONBLOCK) != sizeof(s))
		s = (uint64_t)time(NULL) ^ ((uint64_t)getpid() << 32);
	r->state = s;
}

/* splitmix64: tiny, fast, and good enough to decide drops. */
double
rng_next(struct rng *r)
{
	uint64_t z = (r->state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	z ^= z >> 31;
	return (double)(z >> 11) * 0x1.0p-53;
}
