/* udp-client: send a datagram, wait for the answer with backoff, or many. */
#include <errno.h>
#include <netdb.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "../core/aim.h"
#include "../core/book.h"
#include "../core/cli.h"
#include "../core/dgram.h"
#include "../core/err.h"
#include "../core/flood.h"
#include "../core/floodrep.h"
#include "../core/load.h"
#include "../core/net.h"
#include "../core/neterr.h"
#include "../core/out.h"
#include "../core/repr.h"
#include "../core/series.h"
#include "../core/summary.h"
#include "applets.h"

struct conf {
	struct common	 c;
	const char	*message;
	int		 promiscuous;
	double		 backoff[2];
	int		 broadcast;
	int		 send_only;
	long long	 count;
	double		 interval, wait;
	int		 loop;
	struct aim	 aim;
	double		 flood;
	long long	 window;
	double		 report;
};

#define C(f) offsetof(struct conf, f)

static const struct opt opts[] = {
	OPT('m', "message", OPT_STR, C(message), "TEXT",
	    "what to send (default: The time is <now>)", 0, 0),
	OPT(0, "promiscuous", OPT_FLAG, C(promiscuous), "",
	    "unconnected: take a reply from anyone (the danger)", 0, 0),
	OPT(0, "backoff", OPT_BACKOFF, C(backoff), "FIRST,MAX",
	    "wait FIRST s, doubling to MAX (0.1,2.0; 0: forever)", 0, 0),
	OPT(0, "broadcast", OPT_FLAG, C(broadcast), "",
	    "allow a broadcast address; collect every answer", 0, 0),
	OPT(0, "send-only", OPT_FLAG, C(send_only), "",
	    "send, and wait for nothing (udp_broadcast's client)", 0, 0),
	OPT('c', "count", OPT_INT, C(count), "N",
	    "send N requests, one per --interval, and summarize like ping",
	    1, 1000000),
	OPT('i', "interval", OPT_SECS, C(interval), "SECS",
	    "series: seconds between requests (default 1)", 0.01, 3600),
	OPT('W', "wait", OPT_SECS, C(wait), "SECS",
	    "each request's wait for answers (default 2)", 0.01, 3600),
	OPT(0, "loop", OPT_FLAG, C(loop), "",
	    "a multicast group's members on this host hear us too", 0, 0),
	CLI_AIM_OPTS(struct conf, aim),
	OPT(0, "flood", OPT_SECS, C(flood), "SECS",
	    "send for SECS, many in flight; print rate, loss, latency",
	    0.01, 3600),
	OPT(0, "window", OPT_INT, C(window), "N",
	    "--flood: datagrams in flight (default 64)", 1, LOAD_MAX_SOCKETS),
	OPT(0, "report", OPT_SECS, C(report), "SECS",
	    "report every SECS as a long run goes (default 1; 0: only at "
	    "the end)", 0, 3600),
	OPT_END
};

/* One address being tried, and its socket. */
struct try {
	const struct conf *cf;
	const struct addrinfo *ai;
	const char	*host;
	int		 last;		/* no other address to go on to */
	struct dgram	 d;
};

static struct series run;

/*
 * This address gave no reply: what (a failure with err, status 1), or
 * the server kept silent (err 0, status 3).  On the last address, the end;
 * else say so, and on to the next.
 */
static int
give_up_on(struct try *t, int status, int err, const char *what)
{
	if (t->last || t->ai->ai_next == NULL)
		die(status, err, "%s", what);
	neterr_hint_next(t->host, t->ai->ai_next->ai_addr);
	warn(err, "%s", what);
	return -1;
}

/* A call on this address failed: said with the ICMP message behind it. */
static int
fail(struct try *t, const struct net_err *e)
{
	char what[768];

	if (e->err == EINTR)
		err_check_signal();
	dgram_blame(&t->d, e, t->cf->broadcast, what, sizeof(what));
	return give_up_on(t, EXIT_SYSTEM, e->err, what);
}

/*
 * What the run on this address came to, the book's request or a series:
 * EXIT_OK when anything answered; else its last failure; else no answer
 * at all: from a group or a broadcast (exit 3), or datagrams came from
 * another address instead (exit 4), or nothing did (exit 3).
 */
static int
verdict(struct try *t)
{
	char what[3 * REPR_ADDR_MAX + 64], hint[3 * REPR_ADDR_MAX + 160];

	err_check_signal();
	if (run.total.received)
		return EXIT_OK;
	t->d.icmp = run.last_icmp;
	if (run.total.errors)
		return fail(t, &run.last_err);
	/* Answers after their wait are not a server that is down. */
	if (run.total.late && !run.collect) {
		err_set_hint("raise -W/--wait above the round trip");
		snprintf(what, sizeof(what), run.total.late == 1 ?
		    "the server answered, but too late: %lld reply came after "
		    "its wait" : "the server answered, but too late: %lld "
		    "replies came after their wait", run.total.late);
		return give_up_on(t, EXIT_GAVE_UP, 0, what);
	}
	err_set_hint("%s", summary_silence(&run, hint, sizeof(hint)));
	if (run.collect)
		die(EXIT_GAVE_UP, 0, "nobody answered");
	if (t->d.strays == 0)
		return give_up_on(t, EXIT_GAVE_UP, 0,
		    "I think the server is down");
	dgram_elsewhere(&t->d, what, sizeof(what));
	return give_up_on(t, EXIT_ELSEWHERE, 0, what);
}

/*
 * An interval's figures (a line when -i is below --report), or the end of
 * a series in ping's terms and its verdict: EXIT_OK, or the end.
 */
static int
figures(struct try *t, const struct series_stats *st)
{
	struct summary_figures f;

	summary_figures(st, run.total.start_ns, &f);
	if (st != &run.total) {
		OUT("interval", run.interval < run.report ? "[{} s] {} "
		    "sent, {} received, {} failed, {}% loss, {} late, round "
		    "trip min/avg/max/mdev {}/{}/{}/{} ms" : NULL,
		    OF_REAL("seconds", f.seconds), OF_INT("sent", st->sent),
		    OF_INT("received", st->received),
		    OF_INT("failed", st->errors), OF_REAL("loss", f.loss),
		    OF_INT("late", st->late), OF_MEASURE("min_ms", f.min_ms),
		    OF_MEASURE("avg_ms", f.avg_ms),
		    OF_MEASURE("max_ms", f.max_ms),
		    OF_MEASURE("mdev_ms", f.mdev_ms), OF_INT("lost", st->lost));
		return -1;
	}
	OUT(NULL, "--- {} statistics ---", OF_ADDR("to", t->ai->ai_addr));
	if (run.collect && run.nwho)
		OUT(NULL, "Answered by {}",
		    OF_ADDRS("responders", run.who, (size_t)run.nwho));
	OUT("summary", st->received ? "{} sent, {} received, {} failed, {}% "
	    "loss, {} late, in {} seconds\nround trip min/avg/max/mdev = "
	    "{}/{}/{}/{} ms" : "{} sent, {} received, {} failed, {}% loss, "
	    "{} late, in {} seconds", OF_INT("sent", st->sent),
	    OF_INT("received", st->received), OF_INT("failed", st->errors),
	    OF_REAL("loss", f.loss), OF_INT("late", st->late),
	    OF_REAL("seconds", f.seconds), OF_MEASURE("min_ms", f.min_ms),
	    OF_MEASURE("avg_ms", f.avg_ms), OF_MEASURE("max_ms", f.max_ms),
	    OF_MEASURE("mdev_ms", f.mdev_ms), OF_INT("lost", st->lost),
	    OF_ADDRS("responders", run.who, (size_t)run.nwho));
	return verdict(t);
}

/*
 * The run on this address, as lines: the book's (count 0), or a series'
 * or a group's, a line per answer and per miss, and a summary; or with
 * --send-only, the datagram alone (the book's udp_broadcast).  0 when
 * something answered, -1 when the next address may be tried.
 */
static int
play(struct try *t, int flags)
{
	const struct conf *cf = t->cf;
	struct sockaddr_storage me;
	struct series_event ev;
	struct net_err e;
	char text[REPR_ADDR_MAX + 128];
	int rc = -1, n, named;

	if (dgram_open(&t->d, &cf->aim, t->ai->ai_addr, flags, &e) < 0)
		return fail(t, &e);
	/* Our name, known before anything is sent: dgram_open() binds. */
	named = net_sockname(t->d.fd, &me) == 0;
	if (cf->send_only) {
		/* fail() reads the ICMP error off the socket: close after. */
		if (dgram_send(&t->d, run.msg, run.len, &e) < 0)
			rc = fail(t, &e);
		else {
			OUT("sent", NULL, OF_ADDR("to", t->ai->ai_addr),
			    OF_ADDR("address", &me), OF_STR("text", run.msg));
			rc = 0;
		}
		dgram_close(&t->d);
		return rc;
	}
	if (named)
		OUT("sockname", t->d.connected ? "Client socket name is {}" :
		    "The OS assigned me the address {}",
		    OF_ADDR("address", &me), OF_ADDR("to", t->ai->ai_addr));
	run.d = &t->d;
	series_start(&run);
	while (rc < 0 && (n = series_next(&run, &ev, &e)) != 0) {
		/* die() says first what stdout failed, if it did. */
		if (n < 0)
			neterr_die(&e);
		if (ev.what == SERIES_WAITING)
			OUT("retry", "Waiting up to {} seconds for a reply",
			    OF_REAL("delay", ev.delay),
			    OF_INT("attempt", ev.attempt),
			    OF_ADDR("to", t->ai->ai_addr));
		else if (ev.what == SERIES_REPLY && run.count)
			OUT("reply", "Reply from {}: seq {}, {} ms, {}",
			    OF_ADDR("from", ev.from), OF_INT("seq", ev.seq),
			    OF_REAL("rtt_ms", ev.rtt_ms),
			    OF_TEXT("data", ev.data, ev.len),
			    OF_INT("bytes", (long long)ev.len));
		else if (ev.what == SERIES_REPLY && !t->d.connected)
			OUT("reply", "The server {} replied {}",
			    OF_ADDR("from", ev.from),
			    OF_TEXT("data", ev.data, ev.len),
			    OF_INT("bytes", (long long)ev.len));
		else if (ev.what == SERIES_REPLY)
			OUT("reply", "The server says {}",
			    OF_TEXT("data", ev.data, ev.len),
			    OF_ADDR("from", ev.from),
			    OF_INT("bytes", (long long)ev.len));
		else if (ev.what == SERIES_LATE)
			OUT("late", "Late reply from {}: {}",
			    OF_ADDR("from", ev.from),
			    OF_TEXT("data", ev.data, ev.len),
			    OF_INT("bytes", (long long)ev.len));
		else if (ev.what == SERIES_LOST)
			OUT("lost", "No reply to seq {} within {} seconds",
			    OF_INT("seq", ev.seq), OF_REAL("wait", run.wait));
		else if (ev.what == SERIES_ABSENT)
			OUT("absent", "No reply from {} to seq {} within {} "
			    "seconds", OF_ADDR("from", ev.from),
			    OF_INT("seq", ev.seq), OF_REAL("wait", run.wait));
		else if (ev.what == SERIES_ERROR && run.count)
			OUT("failed", "seq {}: {}", OF_INT("seq", ev.seq),
			    OF_STR("error", dgram_error_text(&t->d, &e, text,
			    sizeof(text))));
		else if (ev.what == SERIES_INTERVAL || (ev.what ==
		    SERIES_DONE && run.count))
			rc = figures(t, ev.stats ? ev.stats : &run.total);
		else if (ev.what == SERIES_DONE)
			rc = verdict(t);
	}
	dgram_close(&t->d);
	return rc;
}

/* --flood: the first address of the name, window requests in flight. */
static int
flood(const struct conf *cf, const struct addrinfo *ai)
{
	static struct flood u;
	struct net_err e;
	int rc;

	u.to = ai->ai_addr;
	u.tolen = ai->ai_addrlen;
	u.msg = run.msg;
	u.len = run.len;
	u.window = cf->window ? (int)cf->window : 64;
	u.secs = cf->flood;
	u.report_ns = (long long)(cf->report * 1e9);
	u.interval = floodrep_interval;
	floodrep_start(&u);
	rc = flood_run(&u, &e);
	return floodrep_end(&u, rc, &e);
}

/* The options that cannot go together, one line each, as argparse would. */
static void
conflicts(const struct applet *ap, const struct alias *al, const char *prog,
    const struct conf *cf)
{
	int backoff = cf->backoff[0] >= 0, aimed = cf->aim.source ||
	    cf->aim.iface || cf->aim.tos >= 0 || cf->aim.ttl;

	if (cf->broadcast && cf->promiscuous)
		cli_usage_error(ap, al, prog,
		    "cannot use --broadcast with --promiscuous");
	if (backoff && cf->broadcast)
		cli_usage_error(ap, al, prog,
		    "cannot use --backoff with --broadcast");
	if (cf->broadcast && cf->c.ipv6)
		cli_usage_error(ap, al, prog,
		    "cannot use --broadcast with -6");
	if (cf->c.port == 0)
		cli_usage_error(ap, al, prog, "argument -p/--port: a client "
		    "needs a port from 1 to 65535");
	if (cf->window && !cf->flood)
		cli_usage_error(ap, al, prog,
		    "cannot use --window without --flood");
	if (backoff && cf->flood)
		cli_usage_error(ap, al, prog,
		    "cannot use --backoff with --flood");
	if (cf->flood && cf->broadcast)
		cli_usage_error(ap, al, prog,
		    "cannot use --flood with --broadcast");
	if (cf->flood && cf->promiscuous)
		cli_usage_error(ap, al, prog,
		    "cannot use --flood with --promiscuous");
	if (cf->flood && (cf->count || cf->wait))
		cli_usage_error(ap, al, prog,
		    "cannot use --flood with --count or --wait");
	if (cf->flood && aimed)
		cli_usage_error(ap, al, prog, "cannot use --flood with "
		    "--source, --interface, --tos or --ttl");
	if (cf->interval && !cf->count)
		cli_usage_error(ap, al, prog,
		    "cannot use --interval without --count");
	if (backoff && (cf->count || cf->wait))
		cli_usage_error(ap, al, prog,
		    "cannot use --backoff with --count or --wait");
	if (cf->send_only && (cf->count || cf->wait || backoff || cf->flood))
		cli_usage_error(ap, al, prog, "cannot use --send-only with "
		    "--count, --wait, --backoff or --flood");
}

int
udp_client_main(const struct applet *ap, const struct alias *al,
    const char *prog, int argc, char **argv)
{
	struct conf cf = { .c.port = BOOK_PORT, .backoff = { -1, -1 },
	    .aim = AIM_INIT, .report = -1 };
	char *operand[OPT_MAX_OPERANDS], text[64];
	const char *host = NULL, *msg;
	struct addrinfo *res;
	struct net_err e;
	struct try t = { .cf = &cf };
	int family, group, flags, status = EXIT_OK;

	if (cli_parse(ap, al, prog, argc, argv, &cf, operand) > 0)
		host = operand[0];
	conflicts(ap, al, prog, &cf);
	family = cli_family(ap, al, prog, &cf.c, host, cf.aim.source);
	if (cf.broadcast && family == AF_INET6)
		cli_usage_error(ap, al, prog,
		    "cannot use --broadcast with an IPv6 address");
	if (host == NULL)
		host = family == AF_INET6 ? "::1" : "127.0.0.1";
	book_time_text(text, sizeof(text));
	run.msg = cf.message ? cf.message : cf.broadcast ?
	    BOOK_BROADCAST_TEXT : text;
	run.len = strlen(run.msg);
	/* One try of --wait seconds, or the backoff (-1: the book's). */
	if (cf.wait)
		run.backoff[0] = run.backoff[1] = run.wait = cf.wait;
	else {
		memcpy(run.backoff, cf.backoff, sizeof(run.backoff));
		run.wait = 2;
	}
	run.interval = cf.interval ? cf.interval : 1;
	if ((msg = series_check(cf.count, run.interval, run.wait)) != NULL)
		cli_usage_error(ap, al, prog, "%s", msg);
	if (net_resolve(host, cf.c.port, cf.broadcast ? AF_INET : family,
	    SOCK_DGRAM, 0, &res, &e) < 0)
		neterr_die(&e);
	group = aim_is_multicast(res->ai_addr);
	if (group && (cf.backoff[0] >= 0 || cf.promiscuous || cf.flood))
		cli_usage_error(ap, al, prog, "cannot use --backoff, "
		    "--promiscuous or --flood with a multicast group");
	if (!group && cf.loop)
		cli_usage_error(ap, al, prog,
		    "cannot use --loop without a multicast group");
	if ((msg = dgram_scope(&cf.aim, res->ai_addr)) != NULL)
		cli_usage_error(ap, al, prog, "%s", msg);
	/* Only a series (-c) and a flood report as they go. */
	cf.report = cf.report >= 0 ? cf.report : 1;
	run.report = cf.count ? cf.report : 0;
	/* A series, a group and --broadcast use the first address only. */
	run.collect = cf.broadcast || group;
	run.count = cf.count ? cf.count : run.collect;
	t.last = run.count > 0;
	t.host = host;
	t.ai = res;
	flags = run.collect ? (cf.broadcast ? DGRAM_BROADCAST : 0) |
	    (cf.loop ? DGRAM_LOOP : 0) : cf.promiscuous ? 0 : DGRAM_CONNECT;
	if (cf.flood)
		status = flood(&cf, res);
	else
		/* Each address in getaddrinfo's order, until one answers. */
		for (; t.ai && play(&t, flags) < 0; t.ai = t.ai->ai_next)
			;
	freeaddrinfo(res);
	return status;
}

const struct applet udp_client_applet = {
	"udp-client", "[HOST]",
	"send a datagram and wait for the reply, with backoff",
	opts, 0, 1
};
