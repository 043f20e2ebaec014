/* The path-MTU search: which size to probe next, from what came back. */
#ifndef NETDEMO_PMTU_H
#define NETDEMO_PMTU_H

#include <stddef.h>

/* No link may have a smaller MTU than this (RFC 791); IPv6 says 1280. */
#define PMTU_FLOOR4	68
#define PMTU_FLOOR6	1280
/*
 * The largest datagrams there are: IPv4's total length is 16 bits; IPv6's
 * payload length is, and its 40-byte header comes on top.
 */
#define PMTU_MAX4	65535
#define PMTU_MAX6	65575

/* Sizes a search keeps a record of (a bisection of 16 bits needs 17). */
#define PMTU_SIZES	48
/*
 * The most misses, each followed by an answer to a smaller size, that a
 * size may need before it is taken as too big: past it the path loses
 * too much to tell.
 */
#define PMTU_NEED_MAX	14

enum pmtu_end {
	PMTU_SEARCHING,
	PMTU_FOUND,	/* lo is the path MTU (at least lo when lo is max) */
	PMTU_BELOW,	/* a router or this host says even min does not fit:
			   the path MTU is at most hi_told - 1 */
	PMTU_SILENT,	/* not even the smallest size drew an answer */
	PMTU_UNSURE,	/* a size went unanswered, but the only answers
			   were ICMP port unreachable, which kernels
			   rate-limit (six, then one a second): silence
			   proves nothing */
	PMTU_LOSSY	/* sizes that fit went unanswered so often that
			   silence proves nothing either */
};

/* What a search knows of one size it probed. */
struct pmtu_size {
	int		 size;
	int		 sent;		/* probes of it */
	int		 answered;	/* answers to them, late ones too */
	int		 clean;		/* misses after which the next probe,
					   smaller, was answered: the path was
					   up */
};

/*
 * Sizes are whole IP datagrams, as an MTU counts them.  Arrivals are proof
 * (lo arrived); a router's or this host's "next hop MTU is N" is believed
 * at once (hi_told does not fit); silence is only evidence.  The search
 * starts at the top, probes the MTU a router names, and bisects between
 * lo and the smallest size that went unanswered.  A size is taken as too
 * big only once it went unanswered `tries` times (more when sizes that fit
 * were lost too), each time while the next, smaller probe was answered;
 * and only when real replies came, whose absence means something.
 */
struct pmtu {
	int		 min;		/* smallest size worth probing */
	int		 max;
	int		 tries;		/* misses that make a loss */
	int		 lo;		/* largest size that arrived; 0: none */
	int		 hi;		/* smallest size above lo that went
					   unanswered, else hi_told: the top
					   of what is left to search */
	int		 hi_told;	/* the same, counting only what ICMP or
					   this host said: max + 1 until then */
	int		 told_mtu;	/* the MTU the last word named, or 0 */
	int		 cur;		/* size to probe next; 0 once over */
	int		 inflight;	/* the probe on its way, or 0 */
	int		 pend;		/* a size whose last miss waits for the
					   next probe's answer to count */
	int		 trusted;	/* a real reply came: misses are loss */
	int		 lost;		/* misses of sizes that fit (<= lo) */
	int		 arrived;	/* answers to sizes that fit */
	int		 folded_sent;	/* the records given up for room */
	int		 folded_answered;
	int		 n;
	struct pmtu_size s[PMTU_SIZES];
	enum pmtu_end	 end;
};

void	pmtu_init(struct pmtu *p, int min, int max, int tries);

/* The probe of cur is on its way. */
void	pmtu_sent(struct pmtu *p);

/*
 * A router or this host said size does not fit and the next hop takes mtu
 * (0 or nonsense when it did not say).  Returns 1 when that is the smallest
 * such word so far, so the caller can remember who said it.
 */
int	pmtu_told(struct pmtu *p, int size, int mtu);

/*
 * A datagram of size arrived: a reply (reply=1) or a port unreachable.  An
 * answer after the search ended on silence reopens it.
 */
void	pmtu_arrived(struct pmtu *p, int size, int reply);

/* The probe in flight, of size, drew no answer in time. */
void	pmtu_missed(struct pmtu *p, int size);

/* How the answer is bounded from above. */
enum pmtu_upper {
	PMTU_BY_WORD,		/* ICMP or this host said lo + 1 is too big */
	PMTU_BY_SILENCE,	/* lo + 1 went unanswered while lo was not */
	PMTU_BY_MAX		/* lo is max: nothing larger was probed */
};
enum pmtu_upper pmtu_upper(const struct pmtu *p);

/* Probes of sizes that fit: how many were sent, how many went unanswered. */
void	pmtu_loss(const struct pmtu *p, int *fitting, int *lost);

/*
 * A probe's payload (size less hdr, the IP and UDP headers) starts with a
 * tag naming its size, so an ICMP message quoting it or an echo of it says
 * which probe it answers.  pmtu_fill writes one into buf (room for the
 * largest payload, 65527 bytes) and returns the payload length.
 */
size_t	pmtu_fill(void *buf, int size, int hdr);
/* The size in a tag at the start of d, or 0. */
int	pmtu_tagged(const void *d, size_t n);

#endif
