/* Per-source reply budgets: token buckets in a fixed table, for servers. */
#ifndef NETDEMO_LIMIT_H
#define NETDEMO_LIMIT_H

#include <stdint.h>
#include <sys/socket.h>

/*
 * A fixed number of buckets, whatever the number of sources: a source
 * address picks its bucket by a hash keyed with a secret drawn at start, so
 * spoofed sources cannot make the table grow, nor aim at a victim's bucket.
 * Sources that share a bucket share its budget, which errs on the side of
 * sending less.
 */
#define LIMIT_SLOTS	4096

/*
 * A bucket holds what its sources have spent, so that a zeroed table is
 * one of full buckets: nothing to fill at start.
 */
struct limit {
	double		 per_ms;	/* tokens back each millisecond */
	float		 burst;		/* bucket size */
	uint64_t	 key;
	float		 used[LIMIT_SLOTS];
	long long	 last_ms[LIMIT_SLOTS];
};

/*
 * per_second replies to each source, bursts of as many; l zeroed before
 * (static), its buckets full.
 */
void	limit_init(struct limit *l, double per_second);
/* 1: the source may have a reply now (one token taken); 0: not yet. */
int	limit_take(struct limit *l, const struct sockaddr *sa,
	    long long now_ms);

#endif
