/* A small seeded random number generator, for reproducible drops. */
#include <sys/random.h>
#include <time.h>

#include "rng.h"

void
rng_seed(struct rng *r, long long seed)
{
	struct timespec ts;
	uint64_t s;

	if (seed >= 0)
		s = (uint64_t)seed;
	else if (getrandom(&s, sizeof(s), GRND_NONBLOCK) != sizeof(s)) {
		/*
		 * No kernel entropy yet: the clock to the nanosecond, and
		 * where ASLR put our stack, which differs per process as
		 * a pid would (the clock is already linked; time() and
		 * getpid() would be two more imports).
		 */
		clock_gettime(CLOCK_REALTIME, &ts);
		s = (uint64_t)ts.tv_sec ^ ((uint64_t)ts.tv_nsec << 32) ^
		    (uint64_t)(uintptr_t)&ts;
	}
	r->state = s;
}

/* splitmix64's output mix: a bijection that scatters every input bit. */
uint64_t
rng_mix(uint64_t z)
{
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* splitmix64: tiny, fast, and good enough to decide drops. */
double
rng_next(struct rng *r)
{
	return (double)(rng_mix(r->state += 0x9e3779b97f4a7c15ULL) >> 11) *
	    0x1.0p-53;
}
