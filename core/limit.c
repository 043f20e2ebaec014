/* Per-source reply budgets: token buckets in a fixed table, for servers. */
#include <netinet/in.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>

#include "limit.h"

void
limit_init(struct limit *l, double per_second)
{
	struct timespec ts;

	/* Without entropy yet, the clock is a key a peer cannot aim at. */
	if (getrandom(&l->key, sizeof(l->key), GRND_NONBLOCK) !=
	    sizeof(l->key)) {
		clock_gettime(CLOCK_REALTIME, &ts);
		l->key = (uint64_t)ts.tv_sec ^ ((uint64_t)ts.tv_nsec << 32);
	}
	l->per_ms = per_second / 1000;
	l->burst = per_second < 1 ? 1 : (float)per_second;
}

/* splitmix64's output mix: a bijection that scatters every input bit. */
static uint64_t
mix(uint64_t z)
{
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* The source's bucket: its address (never its port) through a keyed mix. */
static unsigned
slot(const struct limit *l, const struct sockaddr *sa)
{
	uint64_t w[2] = { 0, 0 };

	if (sa->sa_family == AF_INET6)
		memcpy(w, &((const struct sockaddr_in6 *)(const void *)sa)->
		    sin6_addr, 16);
	else
		memcpy(w, &((const struct sockaddr_in *)(const void *)sa)->
		    sin_addr, 4);
	return (unsigned)mix(mix(l->key ^ w[0]) ^ w[1]) &
	    (LIMIT_SLOTS - 1);
}

int
limit_take(struct limit *l, const struct sockaddr *sa, long long now_ms)
{
	unsigned i = slot(l, sa);
	float used = l->used[i];

	/* A bucket never used has last_ms 0: long enough ago to be full. */
	if (now_ms > l->last_ms[i]) {
		used -= (float)((double)(now_ms - l->last_ms[i]) * l->per_ms);
		if (used < 0)
			used = 0;
		l->last_ms[i] = now_ms;
	}
	if (used + 1 > l->burst) {
		l->used[i] = used;
		return 0;
	}
	l->used[i] = used + 1;
	return 1;
}
