/* The path-MTU search: which size to probe next, from what came back. */
#ifndef NETDEMO_PMTU_H
#define NETDEMO_PMTU_H

#include <stddef.h>

/* No link may have a smaller MTU than this (RFC 791); IPv6 says 1280. */
#define PMTU_FLOOR4	68
#define PMTU_FLOOR6	1280

enum pmtu_end {
	PMTU_SEARCHING,
	PMTU_FOUND,	/* lo is the path MTU */
	PMTU_SILENT,	/* not even the smallest size drew an answer */
	PMTU_UNSURE	/* a size went unanswered, but the only answers
			   were ICMP port unreachable, which kernels
			   rate-limit (six, then one a second): silence
			   proves nothing */
};

/*
 * Sizes are whole IP datagrams, as an MTU counts them.  The search keeps
 * lo < cur < hi: lo arrived, hi does not.  It starts at the top, believes
 * a router's "next hop MTU is N" at once, and where sizes vanish without a
 * word (a black hole) bisects between lo and hi, but only when the host
 * has sent real replies, whose absence means something.
 */
struct pmtu {
	int		 min;		/* smallest size worth probing */
	int		 max;
	int		 tries;		/* unanswered probes that make a loss */
	int		 lo;		/* largest size that arrived; 0: none */
	int		 hi;		/* smallest size that does not */
	int		 hi_told;	/* the same, counting only what ICMP or
					   this host said, never silence */
	int		 cur;		/* size to probe next; 0 once over */
	int		 misses;	/* unanswered probes of cur */
	int		 held;		/* top size set aside while min is
					   tried, to tell loss from silence */
	int		 held_misses;
	int		 min_tried;
	int		 trusted;	/* a real reply came: misses are loss */
	int		 gone;		/* the last size counted as lost */
	enum pmtu_end	 end;
};

void	pmtu_init(struct pmtu *p, int min, int max, int tries);

/*
 * A router or this host said size does not fit and the next hop takes mtu
 * (0 or nonsense when it did not say).  Returns 1 when that is the smallest
 * such word so far, so the caller can remember who said it.
 */
int	pmtu_told(struct pmtu *p, int size, int mtu);

/* A datagram of size arrived: a reply (reply=1) or a port unreachable. */
void	pmtu_arrived(struct pmtu *p, int size, int reply);

/* The probe of size drew no answer in time. */
void	pmtu_missed(struct pmtu *p, int size);

/*
 * A probe's payload (size less hdr, the IP and UDP headers) starts with a
 * tag naming its size, so an ICMP message quoting it or an echo of it says
 * which probe it answers.  pmtu_fill writes one into buf (room for 65535)
 * and returns the payload length.
 */
size_t	pmtu_fill(void *buf, int size, int hdr);
/* The size in a tag at the start of d, or 0. */
int	pmtu_tagged(const void *d, size_t n);

#endif
