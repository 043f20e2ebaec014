/* mtu-probe's engine: don't-fragment probes sent, their answers read. */
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "aim.h"
#include "book.h"
#include "clock.h"
#include "icmp.h"
#include "net.h"
#include "out.h"
#include "pmtu.h"
#include "probe.h"
#include "wait.h"

/*
 * Probes leave at most PACE_RATE a second after a burst of PACE_BURST:
 * a netdemo udp-server bound beyond loopback answers each source 10 times
 * a second, in bursts of 10, and a reply it holds back looks like loss.
 * Probes that drew no reply (lost, too big) were not answered, so they
 * give their turn back.
 */
#define PACE_RATE	8
#define PACE_BURST	3
#define TURN_MS		(1000 / PACE_RATE)

/* The shortest wait for an answer, round trips or not: a busy machine. */
#define WAIT_MIN_MS	50

static unsigned char pkt[65536], rbuf[65536];

/*
 * How long to wait for the answer to a probe: the full wait until the
 * host answered once, then twice its slowest round trip, or the smoothed
 * round trip and four deviations (as TCP reckons), whichever is longer.
 */
static long long
wait_for(const struct probe *r)
{
	double w = r->srtt + 4 * r->rttvar;

	if (r->rtts == 0)
		return r->wait_ms;
	if (w < 2 * r->rtt_max)
		w = 2 * r->rtt_max;
	if (w < WAIT_MIN_MS)
		w = WAIT_MIN_MS;
	return w < r->wait_ms ? (long long)w : r->wait_ms;
}

/*
 * The host answered the probe in flight: a round trip to learn from.  A
 * router's word never is one: it comes from nearer, and sooner.
 */
static void
round_trip(struct probe *r, int size)
{
	double rtt;

	if (size != r->sent || size != r->p.inflight)
		return;
	rtt = (double)(clock_ms() - r->t0);
	if (r->rtts++ == 0) {
		r->srtt = rtt;
		r->rttvar = rtt / 2;
	} else {
		r->rttvar += ((rtt > r->srtt ? rtt - r->srtt : r->srtt - rtt) -
		    r->rttvar) / 4;
		r->srtt += (rtt - r->srtt) / 8;
	}
	if (rtt > r->rtt_max)
		r->rtt_max = rtt;
}

/*
 * A turn to send; the wait in ms until one comes when none is left.  The
 * bucket holds time: a turn is TURN_MS of it.
 */
static long long
pace(struct probe *r)
{
	long long now = clock_ms();

	r->credit_ms += now - r->credit_t0;
	if (r->credit_ms > PACE_BURST * TURN_MS)
		r->credit_ms = PACE_BURST * TURN_MS;
	r->credit_t0 = now;
	if (r->credit_ms >= TURN_MS) {
		r->credit_ms -= TURN_MS;
		return 0;
	}
	return TURN_MS - r->credit_ms + 1;
}

/* A probe that drew no reply gives its turn back. */
static void
turn_back(struct probe *r)
{
	if ((r->credit_ms += TURN_MS) > PACE_BURST * TURN_MS)
		r->credit_ms = PACE_BURST * TURN_MS;
}

/* What an error record says; 1 when it ends the run (PROBE_ICMP). */
static int
heard(struct probe *r, const struct icmp_report *ir, int size)
{
	int local = ir->origin == ICMP_ORIGIN_LOCAL;

	switch (icmp_meaning(ir)) {
	case ICMP_TOO_BIG:
		if (size == r->sent)
			turn_back(r);
		/* About no probe we can name: the MTU still holds. */
		if (!pmtu_told(&r->p, size ? size : r->p.max + 1,
		    (int)ir->info))
			return 0;
		r->told_local = local;
		r->teller = ir->offender;
		/* The size is 0 when the message names no probe. */
		if (!local && r->p.told_mtu == 0)
			OUT("toobig", "Router {} says the {}-byte datagram is "
			    "too big, and names no MTU",
			    OF_ADDR("from", &ir->offender),
			    OF_INT("ip_bytes", size), OF_INT("mtu", ir->info),
			    OF_STR("origin", "router"));
		else if (local)
			OUT("toobig", "This host says the next hop MTU is {}",
			    OF_INT("mtu", ir->info), OF_STR("origin", "local"),
			    OF_ADDR("from", &r->self),
			    OF_INT("ip_bytes", size));
		else
			OUT("toobig", "Router {} says the next hop MTU is {}",
			    OF_ADDR("from", &ir->offender),
			    OF_INT("mtu", ir->info), OF_STR("origin", "router"),
			    OF_INT("ip_bytes", size));
		return 0;
	case ICMP_REFUSED:
		if (size == 0)
			return 0;
		round_trip(r, size);
		OUT("refused", "Port unreachable from {}: the {}-byte datagram "
		    "arrived", OF_ADDR("from", &ir->offender),
		    OF_INT("ip_bytes", size));
		pmtu_arrived(&r->p, size, 0);
		return 0;
	case ICMP_UNREACHABLE:
		break;
	case ICMP_IGNORED:
		/* Time exceeded, a parameter problem: no probe gets there. */
		if (ir->origin != ICMP_ORIGIN_ICMP &&
		    ir->origin != ICMP_ORIGIN_ICMP6)
			return 0;
		break;
	}
	r->icmp = *ir;
	r->end = PROBE_ICMP;
	return 1;
}

/*
 * Everything on the error queue: how many records there were, or -1 with
 * e filled.  A record names its probe by the tag the ICMP message quotes,
 * else it is about the probe in flight.
 */
static int
drain_errors(struct probe *r, struct net_err *e)
{
	struct icmp_report ir;
	size_t n;
	int k, count = 0, size;

	while ((k = icmp_read(r->fd, &ir, rbuf, sizeof(rbuf), &n, e)) > 0) {
		count++;
		if ((size = pmtu_tagged(rbuf, n)) == 0)
			size = r->sent;
		if (heard(r, &ir, size))
			return count;
	}
	return k < 0 ? -1 : count;
}

/*
 * The size a UDP reply confirms: a udp-server's "Your data was N bytes
 * long" (N + hdr), or an echoed probe's tag; 0 when it says neither.
 */
static int
reply_size(const void *d, size_t n, int hdr)
{
	long long v = book_reply_size(d, n);
	int top = hdr == 48 ? PMTU_MAX6 : PMTU_MAX4;

	if (v < 0)
		return pmtu_tagged(d, n);
	return v > top - hdr ? 0 : (int)v + hdr;
}

/* UDP replies: the udp-server's byte count, or our own probe echoed. */
static int
drain_replies(struct probe *r, struct net_err *e)
{
	ssize_t n;
	int size, err;

	for (;;) {
		n = recv(r->fd, rbuf, sizeof(rbuf), MSG_DONTWAIT);
		if (n < 0) {
			if (errno == EAGAIN || errno == EWOULDBLOCK ||
			    errno == EINTR)
				return 0;
			/* The error is queued too: read it from there. */
			err = errno;
			if ((size = drain_errors(r, e)) < 0)
				return -1;
			if (size == 0)
				return net_fail(e, err, "recv from",
				    (struct sockaddr *)&r->them, NULL, 0);
			if (r->end == PROBE_ICMP)
				return 0;
			continue;
		}
		size = reply_size(rbuf, (size_t)n, r->hdr);
		/*
		 * An echo of a whole probe is too long to show in full; size
		 * 0: the reply names no probe.
		 */
		OUT("reply", "The server {} replied {}",
		    OF_ADDR("from", &r->them),
		    OF_TEXT("data", rbuf, n > 64 ? 64 : (size_t)n),
		    OF_INT("bytes", n), OF_INT("ip_bytes", size));
		if (size == 0)
			continue;
		round_trip(r, size);
		if (size > r->best_reply)
			r->best_reply = size;
		pmtu_arrived(&r->p, size, 1);
	}
}

/*
 * Take answers until until_ms (the run's deadline at the latest), or until
 * one changes the plan: the probe in flight answered, another size to
 * probe next, the search over or opened again.
 */
static int
listen_until(struct probe *r, long long until_ms, struct net_err *e)
{
	long long now;
	int ev, soerr, size = r->sent, cur = r->p.cur;
	enum pmtu_end end = r->p.end;
	socklen_t l = sizeof(soerr);

	if (until_ms > r->deadline)
		until_ms = r->deadline;
	while ((now = clock_ms()) < until_ms) {
		ev = wait_fd(r->fd, POLLIN, (int)(until_ms - now));
		if (ev == 0)
			break;
		if (ev & POLLERR) {
			if ((soerr = drain_errors(r, e)) < 0)
				return -1;
			/* An error with nothing queued would wake us
			   forever. */
			if (soerr == 0)
				(void)getsockopt(r->fd, SOL_SOCKET, SO_ERROR,
				    &soerr, &l);
		}
		if ((ev & POLLIN) && drain_replies(r, e) < 0)
			return -1;
		if (r->end == PROBE_ICMP || r->p.end != end ||
		    (size ? r->p.inflight != size : r->p.cur != cur))
			return 0;
	}
	return 0;
}

/* Send the probe of cur; 1 when there is nothing to wait for. */
static int
send_probe(struct probe *r, struct net_err *e)
{
	int size = r->p.cur, tries, err = 0, n;
	size_t len = pmtu_fill(pkt, size, r->hdr);

	r->sent = size;
	r->t0 = clock_ms();
	pmtu_sent(&r->p);
	r->probes++;
	for (tries = 0; tries < 3; tries++) {
		if (send(r->fd, pkt, len, 0) >= 0)
			return 0;
		if ((err = errno) == EINTR)
			continue;
		/*
		 * EMSGSIZE is data: the local link's MTU, queued with it.
		 * Other errors may be an earlier ICMP message surfacing.
		 */
		if ((n = drain_errors(r, e)) < 0)
			return -1;
		if (n == 0)
			break;
		if (r->end == PROBE_ICMP || r->p.inflight != size)
			return 1;
	}
	return net_fail(e, err, "send to", (struct sockaddr *)&r->them, NULL,
	    0);
}

/* One probe of cur, paced, and its answer or its silence. */
static int
probe_one(struct probe *r, struct net_err *e)
{
	long long until, turn;
	int size = r->p.cur, rc;

	/* What is queued from before answers no probe in flight. */
	r->sent = 0;
	if (drain_errors(r, e) < 0)
		return -1;
	while (r->end != PROBE_ICMP && size == r->p.cur &&
	    clock_ms() < r->deadline && (turn = pace(r)) > 0)
		if (listen_until(r, clock_ms() + turn, e) < 0)
			return -1;
	/* An answer while it waited its turn may have changed the plan. */
	if (r->end == PROBE_ICMP || size != r->p.cur ||
	    clock_ms() >= r->deadline)
		return 0;
	if (size != r->told)
		OUT("probe", "Probing with {}-byte datagrams",
		    OF_INT("ip_bytes", size), OF_INT("bytes", size - r->hdr));
	r->told = size;
	if ((rc = send_probe(r, e)) != 0)
		return rc < 0 ? -1 : 0;
	until = r->t0 + wait_for(r);
	if (listen_until(r, until, e) < 0)
		return -1;
	/* Cut short by the overall deadline, silence proves nothing. */
	if (r->p.inflight == size && until <= r->deadline &&
	    r->end != PROBE_ICMP) {
		OUT("miss", "No answer to the {}-byte datagram in {} seconds",
		    OF_INT("ip_bytes", size),
		    OF_REAL("seconds", (double)(until - r->t0) / 1000.0));
		turn_back(r);
		r->missed_t0 = r->t0;
		pmtu_missed(&r->p, size);
	}
	r->sent = 0;
	return 0;
}

/*
 * Don't fragment, so the kernel refuses what does not fit the path; a
 * search's PROBE also ignores what the kernel has cached for it.
 */
static int
dont_fragment(int fd, const struct sockaddr *to, int search,
    struct net_err *e)
{
	int v6 = to->sa_family == AF_INET6, mode = search ?
	    (v6 ? IPV6_PMTUDISC_PROBE : IP_PMTUDISC_PROBE) :
	    (v6 ? IPV6_PMTUDISC_DO : IP_PMTUDISC_DO);

	return net_setopt(fd, v6 ? IPPROTO_IPV6 : IPPROTO_IP, v6 ?
	    IPV6_MTU_DISCOVER : IP_MTU_DISCOVER, mode, "set don't-fragment on",
	    to, e);
}

int
probe_socket(const struct aim *a, const char *host, int port, int family,
    int search, struct net_err *e)
{
	struct addrinfo *res, *ai;
	struct net_err first = { 0 };
	int fd = -1;

	if (net_resolve(host, port, family, SOCK_DGRAM, 0, &res, e) < 0)
		return -1;
	for (ai = res; ai; ai = ai->ai_next) {
		fd = aim_socket(a, ai->ai_addr, SOCK_DGRAM, e);
		if (fd >= 0 && connect(fd, ai->ai_addr, ai->ai_addrlen) < 0)
			net_fail(e, errno, "connect to", ai->ai_addr, NULL, 0);
		else if (fd >= 0 && dont_fragment(fd, ai->ai_addr, search,
		    e) == 0)
			break;
		if (!first.err)
			first = *e;
		if (fd >= 0)
			close(fd);
		fd = -1;
	}
	freeaddrinfo(res);
	if (fd < 0)
		*e = first;
	return fd;
}

int
probe_run(struct probe *r, struct net_err *e)
{
	long long start = clock_ms();

	if (icmp_listen(r->fd, r->them.ss_family, e) < 0)
		return -1;
	pmtu_init(&r->p, r->min, r->max, r->tries);
	r->credit_ms = PACE_BURST * TURN_MS;
	r->credit_t0 = start;
	r->end = PROBE_OVER;
	r->deadline = start + r->timeout_ms;
	for (;;) {
		while (r->p.end == PMTU_SEARCHING && r->end == PROBE_OVER) {
			if (r->probes >= r->max_probes)
				r->end = PROBE_BUDGET;
			else if (clock_ms() >= r->deadline)
				r->end = PROBE_TIMEOUT;
			else if (probe_one(r, e) < 0)
				return -1;
		}
		/*
		 * An answer decided by silence waits out the full wait for
		 * the last probe that drew none: an answer later than that
		 * reopens the search.
		 */
		if (r->end != PROBE_OVER || r->p.end != PMTU_FOUND ||
		    pmtu_upper(&r->p) != PMTU_BY_SILENCE)
			break;
		if (listen_until(r, r->missed_t0 + r->wait_ms, e) < 0)
			return -1;
		if (r->p.end == PMTU_FOUND)
			break;
	}
	r->ms = clock_ms() - start;
	return 0;
}
