/* A small seeded random number generator, for reproducible drops. */
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

#include "rng.h"

void
rng_seed(struct rng *r, long long seed)
{
	struct timespec ts;
	uint64_t s;

	if (seed >= 0)
		s = (uint64_t)seed;
	else if (getrandom(&s, sizeof(s), GRND_NONBLOCK) != sizeof(s)) {
		/* No kernel entropy yet: the clock and the process. */
		clock_gettime(CLOCK_REALTIME, &ts);
		s = (uint64_t)ts.tv_sec ^ ((uint64_t)ts.tv_nsec << 32) ^
		    (uint64_t)getpid();
	}
	r->state = s;
}

/* splitmix64: tiny, fast, and good enough to decide drops. */
double
rng_next(struct rng *r)
{
	uint64_t z = r->state += 0x9e3779b97f4a7c15ULL;

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return (double)((z ^ (z >> 31)) >> 11) * 0x1.0p-53;
}
