/* mtu-probe: the path MTU; --once is the book's big_sender. */
#include <errno.h>
#include <netinet/in.h>
#include <stddef.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "../core/aim.h"
#include "../core/book.h"
#include "../core/cli.h"
#include "../core/err.h"
#include "../core/icmp.h"
#include "../core/net.h"
#include "../core/neterr.h"
#include "../core/out.h"
#include "../core/pmtu.h"
#include "../core/probe.h"
#include "../core/repr.h"
#include "applets.h"

struct conf {
	struct common	 c;
	struct aim	 aim;
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
	    "give up after N probes (default 100)", 1, 1000),
	OPT(0, "tries", OPT_INT, C(tries), "N",
	    "misses before a size counts as too big, at least (default 3)",
	    1, 20),
	OPT(0, "min", OPT_INT, C(min), "SIZE",
	    "smallest datagram to probe (default 68; IPv6 1280)",
	    PMTU_FLOOR4, PMTU_MAX6),
	OPT(0, "max", OPT_INT, C(max), "SIZE",
	    "largest datagram to probe (default 65535; IPv6 65575)",
	    PMTU_FLOOR4, PMTU_MAX6),
	OPT('t', "timeout", OPT_SECS, C(timeout), "SECS",
	    "give up after SECS in all (default 20)", 0.1, 3600),
	OPT('w', "wait", OPT_SECS, C(wait), "SECS",
	    "longest wait for an answer to a probe (default 1)", 0.01, 60),
	CLI_AIM_OPTS(struct conf, aim),
	OPT_END
};

/* The book's datagram: larger than any UDP datagram can be. */
#define BIG	999999

static void
once(int fd, const struct sockaddr *to, int v6)
{
	/* Static, not malloc'd: the pages are only mapped, and used, here. */
	static char big[BIG];
	int mtu;
	socklen_t l = sizeof(mtu);

	memset(big, '#', BIG);
	if (send(fd, big, BIG, 0) >= 0) {
		OUT("sent", "The big datagram was sent!", OF_ADDR("to", to),
		    OF_INT("bytes", BIG));
		return;
	}
	/* Like the book, any socket error means it did not make it. */
	OUT("unsent", "Alas, the datagram did not make it", OF_ADDR("to", to),
	    OF_INT("bytes", BIG), OF_INT("errno", errno));
	if (getsockopt(fd, v6 ? IPPROTO_IPV6 : IPPROTO_IP, v6 ? IPV6_MTU :
	    IP_MTU, &mtu, &l) < 0)
		die(EXIT_SYSTEM, errno, "read IP_MTU");
	OUT("mtu", "Actual MTU: {}", OF_INT("mtu", mtu));
}

/* A search and how to name where it went. */
struct run {
	struct probe	 pr;
	char		 where[REPR_ADDR_MAX];	/* them, as a tuple */
};

/*
 * What the answer rests on, as data: why a byte more is too big (ICMP
 * from a router, this host's own link, silence while smaller sizes were
 * answered, or nothing larger probed), and why the answer fits (replies,
 * port unreachable, or nothing: the path MTU is below --min); each with
 * who said it, where someone did.
 */
static void
decided(const struct run *r, int at_most)
{
	const struct probe *pr = &r->pr;
	const struct sockaddr *t = (const void *)&pr->teller;
	const struct sockaddr *b = (const void *)&pr->them;
	enum pmtu_upper up = at_most ? PMTU_BY_WORD : pmtu_upper(&pr->p);
	int icmp = up == PMTU_BY_WORD && !pr->told_local;
	int local = up == PMTU_BY_WORD && pr->told_local;
	int reply = pr->best_reply >= pr->p.lo;
	const char *line, *too_big, *fits;
	struct of fields[5], *f = fields;

	if (icmp)
		line = at_most ? "Decided by: ICMP from {}" : reply ?
		    "Decided by: ICMP from {} and replies from {}" :
		    "Decided by: ICMP from {} and port unreachable from {}";
	else if (local)
		line = at_most ? "Decided by: this host's link MTU" : reply ?
		    "Decided by: this host's link MTU and replies from {}" :
		    "Decided by: this host's link MTU and port unreachable "
		    "from {}";
	else
		line = reply ? "Decided by: replies from {}" :
		    "Decided by: port unreachable from {}";
	too_big = icmp ? "icmp" : local ? "local" :
	    reply && up != PMTU_BY_MAX ? "silence" : "max";
	fits = at_most ? "none" : reply ? "reply" : "port unreachable";
	/* Who said it too big, when a router did; who said it fits. */
	if (icmp)
		*f++ = OF_ADDR("too_big_from", t);
	if (!at_most)
		*f++ = OF_ADDR("fits_from", b);
	*f++ = OF_STR("too_big", too_big);
	*f++ = OF_STR("fits", fits);
	*f = (struct of)OF_END;
	out_event("evidence", line, fields);
}

/* The closing lines: the answer, how it is bounded, what it rests on. */
static void
report(const struct run *r)
{
	const struct probe *pr = &r->pr;
	int below = pr->p.end == PMTU_BELOW;
	int mtu = below ? pr->p.hi_told - 1 : pr->p.lo;
	int at_least = !below && pmtu_upper(&pr->p) == PMTU_BY_MAX;
	double secs = (double)pr->ms / 1000.0;

	/* Below --min: at most; nothing above --max probed: at least. */
	OUT("pmtu", below ? "Path MTU: at most {}" : at_least ?
	    "Path MTU: at least {}" : "Path MTU: {}", OF_INT("mtu", mtu),
	    OF_STR("bound", below ? "min" : at_least ? "max" : "none"));
	OUT("payload", below ? "Largest UDP payload: at most {}" : at_least ?
	    "Largest UDP payload: at least {}" : "Largest UDP payload: {}",
	    OF_INT("bytes", mtu - pr->hdr));
	decided(r, below);
	OUT("done", pr->probes == 1 ? "{} probe in {} seconds" :
	    "{} probes in {} seconds", OF_INT("probes", pr->probes),
	    OF_REAL("seconds", secs));
}

/* An ICMP error that no probe gets past: exit 1, naming who sent it. */
static void
unreachable(const struct run *r)
{
	const struct icmp_report *ir = &r->pr.icmp;
	char what[REPR_ADDR_MAX + 64], hint[256];

	if (ir->offender.ss_family == 0)
		die(EXIT_SYSTEM, ir->err, "probe to %s", r->where);
	if (icmp_hint(ir, (const struct sockaddr *)&r->pr.them, hint,
	    sizeof(hint)))
		err_set_hint("%s", hint);
	die(EXIT_SYSTEM, ir->err, "probe to %s: %s", r->where,
	    icmp_describe(ir, what, sizeof(what)));
}

/* The search ended without an answer: what is known, and why, exit 3. */
static void
give_up(const struct run *r)
{
	const struct pmtu *p = &r->pr.p;
	char teller[REPR_ADDR_MAX];
	double secs = (double)r->pr.ms / 1000.0;
	int fitting, lost, n = r->pr.probes;

	pmtu_loss(p, &fitting, &lost);
	if (p->end == PMTU_UNSURE) {
		err_set_hint("nothing answers with UDP at %s, and port "
		    "unreachable is rate-limited; run netdemo udp-server there "
		    "to measure the black hole", r->where);
		die(EXIT_GAVE_UP, 0, "%d-byte datagrams reach %s, %d-byte ones "
		    "vanish and no router says why: a black hole", p->lo,
		    r->where, p->hi);
	}
	if (lost > 0) {
		err_set_hint("the path MTU is between %d and %d; measure again "
		    "when the path is quieter, or give it more --max-probes "
		    "and --timeout", p->lo, p->hi_told - 1);
		die(EXIT_GAVE_UP, 0, "the path to %s loses datagrams at random "
		    "(%d of %d probes that fit went unanswered, %d%%): cannot "
		    "tell its MTU", r->where, lost, fitting,
		    (100 * lost + fitting / 2) / fitting);
	}
	if (p->lo == 0) {
		repr_addr(teller, sizeof(teller),
		    (const struct sockaddr *)&r->pr.teller);
		if (p->hi_told <= p->max && !r->pr.told_local &&
		    p->told_mtu)
			err_set_hint("%s said the next hop MTU is %d; "
			    "beyond it nothing answered", teller,
			    p->hi_told - 1);
		else if (p->hi_told <= p->max && !r->pr.told_local)
			err_set_hint("%s said %d bytes is too big, naming no "
			    "MTU; beyond it nothing answered", teller,
			    p->hi_told);
		else
			err_set_hint("is the host up? a netdemo udp-server at "
			    "%s would confirm sizes by its replies", r->where);
		die(EXIT_GAVE_UP, 0, n == 1 ? "no answer from %s to %d probe "
		    "in %.1f seconds" : "no answer from %s to %d probes in "
		    "%.1f seconds", r->where, n, secs);
	}
	err_set_hint("more --max-probes or a longer --timeout would narrow "
	    "it down");
	die(EXIT_GAVE_UP, 0, n == 1 ? "gave up after %d probe in %.1f "
	    "seconds: the path MTU to %s is between %d and %d" : "gave up "
	    "after %d probes in %.1f seconds: the path MTU to %s is between "
	    "%d and %d", n, secs, r->where, p->lo, p->hi_told - 1);
}

int
mtu_probe_main(const struct applet *ap, const struct alias *al,
    const char *prog, int argc, char **argv)
{
	struct conf cf = { .c.port = BOOK_PORT, .aim = AIM_INIT };
	char *operand[OPT_MAX_OPERANDS];
	static struct run r;
	struct net_err e;
	int family, v6, floor, top;

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
	family = cli_family(ap, al, prog, &cf.c, operand[0], cf.aim.source);
	if ((r.pr.fd = probe_socket(&cf.aim, operand[0], cf.c.port, family,
	    !cf.once, &e)) < 0)
		neterr_die(&e);
	net_peername(r.pr.fd, &r.pr.them);
	net_sockname(r.pr.fd, &r.pr.self);
	v6 = r.pr.them.ss_family == AF_INET6;
	if (cf.once) {
		once(r.pr.fd, (struct sockaddr *)&r.pr.them, v6);
		close(r.pr.fd);
		return EXIT_OK;
	}
	repr_addr(r.where, sizeof(r.where), (struct sockaddr *)&r.pr.them);
	r.pr.hdr = v6 ? 48 : 28;
	/*
	 * IPv6 links all carry 1280: probing below says nothing.  No IPv4
	 * datagram is larger than 65535, whatever --max says.
	 */
	floor = v6 ? PMTU_FLOOR6 : PMTU_FLOOR4;
	top = v6 ? PMTU_MAX6 : PMTU_MAX4;
	r.pr.max = cf.max && cf.max < top ? (int)cf.max : top;
	r.pr.min = cf.min > floor ? (int)cf.min : floor;
	if (r.pr.min > r.pr.max)
		r.pr.min = r.pr.max;
	r.pr.tries = cf.tries ? (int)cf.tries : 3;
	r.pr.max_probes = cf.max_probes ? (int)cf.max_probes : 100;
	r.pr.timeout_ms = cf.timeout ? (int)(cf.timeout * 1000) : 20000;
	r.pr.wait_ms = cf.wait ? (int)(cf.wait * 1000) : 1000;
	OUT("start", "Probing the path MTU to {}",
	    OF_ADDR("to", &r.pr.them), OF_INT("min", r.pr.min),
	    OF_INT("max", r.pr.max));
	if (probe_run(&r.pr, &e) < 0)
		neterr_die(&e);
	if (r.pr.end == PROBE_ICMP)
		unreachable(&r);
	if (r.pr.p.end != PMTU_FOUND && r.pr.p.end != PMTU_BELOW)
		give_up(&r);
	report(&r);
	close(r.pr.fd);
	return EXIT_OK;
}

const struct applet mtu_probe_applet = {
	"mtu-probe", "HOST",
	"find the path MTU to HOST (--once: the book's big_sender)",
	opts, 1, 1
};
