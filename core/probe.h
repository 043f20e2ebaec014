/* mtu-probe's engine: don't-fragment probes sent, their answers read. */
#ifndef NETDEMO_PROBE_H
#define NETDEMO_PROBE_H

#include <stddef.h>
#include <sys/socket.h>

#include "icmp.h"
#include "pmtu.h"

struct aim;
struct net_err;

/* Why the run stopped. */
enum probe_end {
	PROBE_OVER,	/* the search ended: p.end says how */
	PROBE_BUDGET,	/* max_probes were sent */
	PROBE_TIMEOUT,	/* timeout_ms went by */
	PROBE_ICMP	/* an ICMP error other than "too big" or "port
			   unreachable" (icmp): probes cannot get there */
};

/*
 * One run.  The caller sets the first block; probe_run() fills the rest.
 * Sizes are whole IP datagrams (the headers are hdr bytes of them).
 */
struct probe {
	int		 fd;		/* connected to them, don't-fragment */
	struct sockaddr_storage them;
	int		 hdr;		/* IP and UDP headers: 28, IPv6 48 */
	int		 min, max, tries;	/* for the search (pmtu.h) */
	int		 max_probes;
	int		 timeout_ms;
	int		 wait_ms;	/* the longest wait for an answer */
	struct sockaddr_storage self;	/* our end: "this host" */

	struct pmtu	 p;
	enum probe_end	 end;
	int		 probes;
	long long	 ms;		/* how long it took */
	int		 best_reply;	/* largest size a UDP reply confirmed */
	int		 told_local;	/* hi_told came from this host */
	struct sockaddr_storage teller;	/* the router that said hi_told */
	struct icmp_report icmp;	/* PROBE_ICMP: what came */

	/* Inside: the probe in flight, round trips, pacing. */
	long long	 deadline;	/* start + timeout_ms */
	int		 told;		/* the size last announced */
	int		 sent;		/* the size in flight, or 0 */
	long long	 t0;		/* when it left */
	long long	 missed_t0;	/* when the last unanswered one left */
	int		 rtts;		/* round trips measured */
	double		 srtt, rttvar, rtt_max;	/* in ms */
	long long	 credit_ms;	/* the pace's bucket, in ms of turns */
	long long	 credit_t0;	/* when it was last filled */
};

/*
 * A UDP socket for probes to host: aimed as a says (core/aim.h), connected
 * to the first address of host (of family, or any when 0) that takes it,
 * don't-fragment: for a search (search 1), also blind to the path MTU the
 * kernel has cached; else as the book's big_sender has it, so that IP_MTU
 * reads what the kernel knows.  The fd, or -1 with e filled.
 */
int	probe_socket(const struct aim *a, const char *host, int port,
	    int family, int search, struct net_err *e);

/*
 * Turn on ICMP errors on r->fd and search: probes bounded by max_probes
 * and timeout_ms, each answer waited for as long as the host's own round
 * trips say (wait_ms before any came, and at most), none sent faster than
 * a rate-limited server answers.  What happens is told as it happens, as
 * events (out.h): probe (a new size), toobig, refused, reply, miss.  0
 * with r->end set, or -1 with e filled when the system fails us.  SIGINT
 * and SIGTERM end the process (wait.h).
 */
int	probe_run(struct probe *r, struct net_err *e);

#endif
