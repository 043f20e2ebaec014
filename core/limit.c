/* Per-source reply budgets: token buckets in a fixed table, for servers. */
#include <netinet/in.h>
#include <string.h>

#include "limit.h"
#include "rng.h"

void
limit_init(struct limit *l, double per_second, long long now_ms)
{
	struct rng r;

	rng_seed(&r, -1);
	l->key = r.state;
	l->per_ms = per_second / 1000;
	l->burst = per_second < 1 ? 1 : (float)per_second;
	for (int i = 0; i < LIMIT_SLOTS; i++) {
		l->tokens[i] = l->burst;
		l->last_ms[i] = now_ms;
	}
}

/* The source's bucket: its address (never its port) through a keyed mix. */
static unsigned
slot(const struct limit *l, const struct sockaddr *sa)
{
	uint64_t h = l->key, w[2] = { 0, 0 };

	if (sa->sa_family == AF_INET6)
		memcpy(w, &((const struct sockaddr_in6 *)(const void *)sa)->
		    sin6_addr, 16);
	else
		memcpy(w, &((const struct sockaddr_in *)(const void *)sa)->
		    sin_addr, 4);
	for (int i = 0; i < 2; i++) {
		h ^= w[i];
		h *= 0xbf58476d1ce4e5b9ULL;
		h ^= h >> 31;
	}
	h *= 0x94d049bb133111ebULL;
	h ^= h >> 29;
	return (unsigned)(h & (LIMIT_SLOTS - 1));
}

int
limit_take(struct limit *l, const struct sockaddr *sa, long long now_ms)
{
	unsigned i = slot(l, sa);
	float t = l->tokens[i];

	if (now_ms > l->last_ms[i]) {
		t += (float)((double)(now_ms - l->last_ms[i]) * l->per_ms);
		if (t > l->burst)
			t = l->burst;
		l->last_ms[i] = now_ms;
	}
	if (t < 1) {
		l->tokens[i] = t;
		return 0;
	}
	l->tokens[i] = t - 1;
	return 1;
}
