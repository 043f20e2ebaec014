/* mtu-probe: the path MTU; --once is the book's big_sender. */
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "../core/book.h"
#include "../core/cli.h"
#include "../core/clock.h"
#include "../core/err.h"
#include "../core/icmp.h"
#include "../core/net.h"
#include "../core/neterr.h"
#include "../core/out.h"
#include "../core/pmtu.h"
#include "../core/repr.h"
#include "../core/wait.h"
#include "applets.h"

struct conf {
	struct common	 c;
	int		 once;
	long long	 max_probes;
	long long	 tries;
	long long	 min;
	long long	 max;
	double		 timeout;
	double		 wait;
};

#define C(f) offsetof(struct conf, f)

static const struct opt opts[] = {
	OPT(0, "once", OPT_FLAG, C(once), "",
	    "the book's one shot: one oversize datagram, then the kernel's MTU",
	    0, 0),
	OPT('m', "max-probes", OPT_INT, C(max_probes), "N",
	    "give up after N probes (default 50)", 1, 1000),
	OPT(0, "tries", OPT_INT, C(tries), "N",
	    "misses before a size counts as lost (default 3)", 1, 20),
	OPT(0, "min", OPT_INT, C(min), "SIZE",
	    "smallest datagram to probe (default 68; IPv6 1280)",
	    PMTU_FLOOR4, 65535),
	OPT(0, "max", OPT_INT, C(max), "SIZE",
	    "largest datagram to probe (default 65535)", PMTU_FLOOR4, 65535),
	OPT('t', "timeout", OPT_SECS, C(timeout), "SECS",
	    "give up after SECS in all (default 20)", 0.1, 3600),
	OPT('w', "wait", OPT_SECS, C(wait), "SECS",
	    "longest wait for an answer to a probe (default 1)", 0.01, 60),
	OPT_END
};

/* The book's datagram: larger than any UDP datagram can be. */
#define BIG	999999

static void
once(int fd, int v6)
{
	/* Static, not malloc'd: the pages are only mapped, and used, here. */
	static char big[BIG];
	int mtu;
	socklen_t l = sizeof(mtu);

	memset(big, '#', BIG);
	if (send(fd, big, BIG, 0) >= 0) {
		OUT("sent", "The big datagram was sent!");
		return;
	}
	/* Like the book, any socket error means it did not make it. */
	OUT("toobig", "Alas, the datagram did not make it",
	    OF_INT("errno", errno));
	if (getsockopt(fd, v6 ? IPPROTO_IPV6 : IPPROTO_IP, v6 ? IPV6_MTU :
	    IP_MTU, &mtu, &l) < 0)
		die(EXIT_SYSTEM, errno, "read IP_MTU");
	OUT("mtu", "Actual MTU: {}", OF_INT("mtu", mtu));
}

/* One search: the socket, the state, and what the evidence was. */
struct run {
	int		 fd;
	struct sockaddr_storage them;
	char		 where[REPR_ADDR_MAX];	/* them, as a tuple */
	int		 hdr;		/* IP + UDP headers: 28 or 48 */
	struct pmtu	 p;
	int		 probes, max_probes;
	long long	 start, deadline;
	int		 wait_ms;	/* per probe: 0 until a round trip */
	int		 max_wait_ms;
	/* The probe in flight. */
	int		 sent;		/* its size, or 0 */
	long long	 t0;		/* when it was sent */
	int		 got;		/* it was answered */
	/* The evidence. */
	int		 best_reply;	/* largest size a UDP reply confirmed */
	int		 told_local;	/* hi_told came from this host */
	struct sockaddr_storage teller;	/* who said hi_told */
};

/*
 * The size a UDP reply confirms: a udp-server's "Your data was N bytes
 * long" (N + hdr), or an echoed probe's tag; 0 when it says neither.
 */
static int
reply_size(const void *d, size_t n, int hdr)
{
	long long v = book_reply_size(d, n);

	if (v < 0)
		return pmtu_tagged(d, n);
	return v + hdr > 65535 ? 0 : (int)v + hdr;
}

static unsigned char pkt[65536], rbuf[65536];

/* An answer to the probe in flight: its round trip sets later waits. */
static void
answered(struct run *r, int size, int local)
{
	int rtt = (int)(clock_ms() - r->t0);

	if (r->sent == 0 || size != r->sent)
		return;
	r->got = 1;
	/* This host's own answers say nothing of the network's round trip;
	   four round trips, but 50 ms at least on a busy machine. */
	if (!local && (rtt = 4 * rtt < 50 ? 50 : 4 * rtt) > r->wait_ms)
		r->wait_ms = rtt < r->max_wait_ms ? rtt : r->max_wait_ms;
}

/* Everything on the error queue; returns how many records there were. */
static int
drain_errors(struct run *r)
{
	char from[REPR_ADDR_MAX];
	struct icmp_report ir;
	struct net_err e;
	size_t n;
	int k, count = 0, size;

	while ((k = icmp_read(r->fd, &ir, rbuf, sizeof(rbuf), &n, &e)) > 0) {
		count++;
		if ((size = pmtu_tagged(rbuf, n)) == 0)
			size = r->sent;
		switch (icmp_meaning(&ir)) {
		case ICMP_TOO_BIG:
			answered(r, size, ir.origin == ICMP_ORIGIN_LOCAL);
			/* About no probe we can name: the MTU still holds. */
			if (!pmtu_told(&r->p, size ? size : r->p.max + 1,
			    (int)ir.info))
				break;
			r->told_local = ir.origin == ICMP_ORIGIN_LOCAL;
			r->teller = ir.offender;
			if (r->told_local)
				OUT("toobig", "This host says the next hop MTU "
				    "is {}", OF_INT("mtu", ir.info));
			else
				OUT("toobig", "Router {} says the next hop MTU "
				    "is {}", OF_ADDR("router", &ir.offender),
				    OF_INT("mtu", ir.info));
			break;
		case ICMP_REFUSED:
			if (size == 0)
				break;
			answered(r, size, 0);
			OUT("refused", "Port unreachable from {}: the {}-byte "
			    "datagram arrived", OF_ADDR("from", &ir.offender),
			    OF_INT("size", size));
			pmtu_arrived(&r->p, size, 0);
			break;
		case ICMP_UNREACHABLE:
			if (ir.offender.ss_family == 0)
				die(EXIT_SYSTEM, ir.err, "probe to %s",
				    r->where);
			repr_addr(from, sizeof(from),
			    (struct sockaddr *)&ir.offender);
			die(EXIT_SYSTEM, ir.err, "probe to %s: ICMP from %s",
			    r->where, from);
		case ICMP_IGNORED:
			break;
		}
	}
	if (k < 0)
		neterr_die(&e);
	return count;
}

/* UDP replies: the udp-server's byte count, or our own probe echoed. */
static void
drain_replies(struct run *r)
{
	ssize_t n;
	int size;

	for (;;) {
		n = recv(r->fd, rbuf, sizeof(rbuf), MSG_DONTWAIT);
		if (n < 0) {
			if (errno == EAGAIN || errno == EWOULDBLOCK)
				return;
			if (errno == EINTR) {
				err_check_signal();
				continue;
			}
			/* The error is queued too: read it from there. */
			size = errno;
			if (drain_errors(r) == 0)
				die(EXIT_SYSTEM, size, "recv from %s",
				    r->where);
			continue;
		}
		size = reply_size(rbuf, (size_t)n, r->hdr);
		/* An echo of a whole probe is too long to show in full. */
		OUT("reply", "The server {} replied {}",
		    OF_ADDR("from", &r->them),
		    OF_TEXT("data", rbuf, n > 64 ? 64 : (size_t)n),
		    OF_INT("size", size));
		if (size == 0)
			continue;
		answered(r, size, 0);
		if (size > r->best_reply)
			r->best_reply = size;
		pmtu_arrived(&r->p, size, 1);
	}
}

/* Send the probe; 1 when there is nothing to wait for (refused here). */
static int
send_probe(struct run *r)
{
	int size = r->sent;
	size_t len = pmtu_fill(pkt, size, r->hdr);
	int tries, err = 0;

	r->probes++;
	for (tries = 0; tries < 3; tries++) {
		if (send(r->fd, pkt, len, 0) >= 0)
			return 0;
		err = errno;
		if (err == EINTR) {
			err_check_signal();
			continue;
		}
		/*
		 * EMSGSIZE is data: the local link's MTU, queued with it.
		 * Other errors may be an earlier ICMP message surfacing.
		 */
		if (drain_errors(r) == 0)
			break;
		if (r->p.cur != size || r->p.end != PMTU_SEARCHING)
			return 1;
	}
	die(EXIT_SYSTEM, err, "send to %s", r->where);
}

/* Wait for the answer to the probe in flight, or note its silence. */
static void
await(struct run *r)
{
	long long t0 = r->t0, now;
	long long until = t0 + (r->wait_ms ? r->wait_ms : r->max_wait_ms);
	int size = r->sent, ev, full = until <= r->deadline, soerr;
	socklen_t l = sizeof(soerr);

	if (!full)
		until = r->deadline;
	r->got = 0;
	while ((now = clock_ms()) < until) {
		ev = wait_fd(r->fd, POLLIN, (int)(until - now));
		if (ev == 0)
			break;
		/* An error with nothing queued would wake us forever. */
		if ((ev & POLLERR) && drain_errors(r) == 0)
			(void)getsockopt(r->fd, SOL_SOCKET, SO_ERROR, &soerr,
			    &l);
		if (ev & POLLIN)
			drain_replies(r);
		if (r->got || r->p.cur != size || r->p.end != PMTU_SEARCHING)
			return;
	}
	/* Cut short by the overall deadline, silence proves nothing. */
	if (full) {
		OUT("miss", "No answer to the {}-byte datagram in {} seconds",
		    OF_INT("size", size),
		    OF_REAL("wait", (double)(until - t0) / 1000.0));
		pmtu_missed(&r->p, size);
	}
}

/* The closing lines: the answer, and the evidence it rests on. */
static void
report(struct run *r, double secs)
{
	int mtu = r->p.lo, reply = r->best_reply >= mtu;
	int told = r->p.hi == r->p.hi_told && r->p.hi_told <= r->p.max;
	const char *ev = !told ? (reply ? "replies" : "icmp") : reply ?
	    "both" : r->told_local ? "local" : "icmp";
	char teller[REPR_ADDR_MAX], up[REPR_ADDR_MAX + 32];

	/* What bounded it from above, if a word did. */
	up[0] = '\0';
	if (told && r->told_local)
		snprintf(up, sizeof(up), "this host's link MTU and ");
	else if (told) {
		repr_addr(teller, sizeof(teller),
		    (struct sockaddr *)&r->teller);
		snprintf(up, sizeof(up), "ICMP from %s and ", teller);
	}
	OUT("pmtu", "Path MTU: {}", OF_INT("mtu", mtu),
	    OF_STR("evidence", ev));
	OUT("payload", "Largest UDP payload: {}",
	    OF_INT("payload", mtu - r->hdr));
	OUT("evidence", "Decided by: {}{} from {}", OF_STR("told", up),
	    OF_STR("arrival", reply ? "replies" : "port unreachable"),
	    OF_ADDR("from", &r->them), OF_STR("evidence", ev));
	OUT("done", "{} {} in {} seconds", OF_INT("probes", r->probes),
	    OF_STR("unit", r->probes == 1 ? "probe" : "probes"),
	    OF_REAL("seconds", secs));
}

/* The search failed to end with an answer: say what is known, exit 3. */
static void
give_up(struct run *r, double secs)
{
	char teller[REPR_ADDR_MAX];

	if (r->p.end == PMTU_UNSURE) {
		warn(0, "%d-byte datagrams reach %s, %d-byte ones vanish "
		    "and no router says why: a black hole", r->p.lo,
		    r->where, r->p.gone);
		err_hint("nothing answers with UDP at %s, and port unreachable "
		    "is rate-limited; run netdemo udp-server there to measure "
		    "the black hole", r->where);
	} else if (r->p.lo == 0) {
		warn(0, "no answer from %s to %d probes in %.1f seconds",
		    r->where, r->probes, secs);
		repr_addr(teller, sizeof(teller), (struct sockaddr *)&r->teller);
		if (r->p.hi_told <= r->p.max && !r->told_local)
			err_hint("%s said the next hop MTU is %d; beyond it "
			    "nothing answered", teller, r->p.hi_told - 1);
		else
			err_hint("is the host up? a netdemo udp-server at %s "
			    "would confirm sizes by its replies", r->where);
	} else
		warn(0, "gave up after %d probes in %.1f seconds: the path MTU "
		    "to %s is between %d and %d", r->probes, secs, r->where,
		    r->p.lo, r->p.hi - 1);
	err_exit(EXIT_GAVE_UP);
}

/* The search, from the first probe to the report. */
static void
probe(struct run *r, const struct conf *cf, int v6)
{
	/* IPv6 links all carry 1280: probing below says nothing. */
	int floor = v6 ? PMTU_FLOOR6 : PMTU_FLOOR4;
	int min = cf->min > floor ? (int)cf->min : floor, last = 0, size;
	int max = cf->max ? (int)cf->max : 65535;
	double secs;
	struct net_err e;

	if (icmp_listen(r->fd, r->them.ss_family, &e) < 0)
		neterr_die(&e);
	r->hdr = v6 ? 48 : 28;
	repr_addr(r->where, sizeof(r->where), (void *)&r->them);
	max = max < min ? min : max;
	pmtu_init(&r->p, min, max, cf->tries ? (int)cf->tries : 3);
	r->max_probes = cf->max_probes ? (int)cf->max_probes : 50;
	r->max_wait_ms = cf->wait ? (int)(cf->wait * 1000) : 1000;
	r->start = clock_ms();
	r->deadline = r->start + (cf->timeout ? (long long)(cf->timeout *
	    1000) : 20000);
	OUT("start", "Probing the path MTU to {}", OF_ADDR("to", &r->them),
	    OF_INT("min", min), OF_INT("max", max));
	while (r->p.end == PMTU_SEARCHING && r->probes < r->max_probes &&
	    clock_ms() < r->deadline) {
		size = r->p.cur;
		if (size != last)
			OUT("probe", "Probing with {}-byte datagrams",
			    OF_INT("size", size),
			    OF_INT("payload", size - r->hdr));
		last = size;
		/* What is queued from before answers no probe in flight. */
		r->sent = 0;
		drain_errors(r);
		r->sent = size;
		r->t0 = clock_ms();
		if (send_probe(r) == 0)
			await(r);
	}
	secs = (double)(clock_ms() - r->start) / 1000.0;
	if (r->p.end != PMTU_FOUND)
		give_up(r, secs);
	report(r, secs);
}

int
mtu_probe_main(const struct applet *ap, const struct alias *al,
    const char *prog, int argc, char **argv)
{
	struct conf cf = { .c.port = BOOK_PORT };
	char *operand[OPT_MAX_OPERANDS];
	struct run r = { 0 };
	struct net_err e;
	int family, v6, mode;

	cli_parse(ap, al, prog, argc, argv, &cf, operand);
	/* The search's options mean nothing to the one shot. */
	if (cf.once && cf.max_probes)
		cli_usage_error(ap, al, prog,
		    "cannot use --max-probes with --once");
	if (cf.once && cf.tries)
		cli_usage_error(ap, al, prog, "cannot use --tries with --once");
	if (cf.once && cf.min)
		cli_usage_error(ap, al, prog, "cannot use --min with --once");
	if (cf.once && cf.max)
		cli_usage_error(ap, al, prog, "cannot use --max with --once");
	if (cf.once && cf.timeout)
		cli_usage_error(ap, al, prog,
		    "cannot use --timeout with --once");
	if (cf.once && cf.wait)
		cli_usage_error(ap, al, prog, "cannot use --wait with --once");
	if (cf.max && cf.min > cf.max)
		cli_usage_error(ap, al, prog, "--min %lld is larger than "
		    "--max %lld", cf.min, cf.max);
	family = cf.c.ipv4 ? AF_INET : cf.c.ipv6 ? AF_INET6 : 0;
	if ((r.fd = net_connect(operand[0], cf.c.port, family, SOCK_DGRAM,
	    &e)) < 0)
		neterr_die(&e);
	net_peername(r.fd, &r.them);
	family = r.them.ss_family;
	v6 = family == AF_INET6;
	/*
	 * Don't fragment, so the kernel refuses what does not fit the path;
	 * PROBE, for the search, also ignores what the kernel has cached.
	 */
	mode = cf.once ? (v6 ? IPV6_PMTUDISC_DO : IP_PMTUDISC_DO) :
	    (v6 ? IPV6_PMTUDISC_PROBE : IP_PMTUDISC_PROBE);
	if (setsockopt(r.fd, v6 ? IPPROTO_IPV6 : IPPROTO_IP, v6 ?
	    IPV6_MTU_DISCOVER : IP_MTU_DISCOVER, &mode, sizeof(mode)) < 0)
		die(EXIT_SYSTEM, errno, "set don't-fragment");
	if (cf.once)
		once(r.fd, v6);
	else
		probe(&r, &cf, v6);
	close(r.fd);
	return EXIT_OK;
}

const struct applet mtu_probe_applet = {
	"mtu-probe", "HOST",
	"find the path MTU to HOST (--once: the book's big_sender)",
	opts, 1, 1
};
