/* tcp-client: sixteen octets, the upper-casing stream, or the handshake. */
#include <errno.h>
#include <netdb.h>
#include <poll.h>
#include <signal.h>
#include <stddef.h>
#include <sys/socket.h>
#include <unistd.h>

#include "../core/aim.h"
#include "../core/book.h"
#include "../core/cli.h"
#include "../core/clock.h"
#include "../core/dial.h"
#include "../core/err.h"
#include "../core/load.h"
#include "../core/net.h"
#include "../core/neterr.h"
#include "../core/out.h"
#include "../core/repeat.h"
#include "../core/repr.h"
#include "../core/stream.h"
#include "../core/wait.h"
#include "applets.h"

struct conf {
	struct common	 c;
	int		 mode;
	long long	 bytes;
	int		 full_duplex;
	double		 stall;
	long long	 repeat;
	long long	 parallel;
	double		 interval;
	double		 report;
	struct aim	 aim;
};

/* The order of --mode's words. */
enum { MODE_SIXTEEN, MODE_UPPER, MODE_CONNECT };

#define C(f) offsetof(struct conf, f)
#define MAXBYTES 1e15

static const struct opt opts[] = {
	OPT(0, "mode", OPT_CHOICE, C(mode), "{sixteen,upper,connect}",
	    "sixteen (default), upper (-n, --full-duplex), or connect: the "
	    "handshake alone", 0, 0),
	OPT('n', "bytes", OPT_INT, C(bytes), "N",
	    "upper: bytes to send, rounded up to 16 (default 16)", 0, MAXBYTES),
	OPT(0, "full-duplex", OPT_FLAG, C(full_duplex), "",
	    "upper: read while sending, the cure for the deadlock", 0, 0),
	OPT(0, "stall", OPT_SECS, C(stall), "SECS",
	    "give up after SECS without an answer or progress (5; 0: never)",
	    0, 86400),
	OPT(0, "repeat", OPT_INT, C(repeat), "N",
	    "N exchanges (connect: handshakes); print rate and latency",
	    1, 1e9),
	OPT(0, "parallel", OPT_INT, C(parallel), "C",
	    "--repeat: C exchanges at once (default 1)", 1, LOAD_MAX_SOCKETS),
	OPT('i', "interval", OPT_SECS, C(interval), "SECS",
	    "--repeat: one every SECS, a line each (tcping)", 0.01, 3600),
	OPT(0, "report", OPT_SECS, C(report), "SECS",
	    "report every SECS as a long run goes (default 1; 0: only at the "
	    "end)", 0, 3600),
	CLI_AIM_OPTS(struct conf, aim),
	OPT_END
};

/* The stream, for the way out (a signal prints its totals). */
static struct stream s;
static int receiving;

/* The book's counter: bytes sent until we shut our side, then received. */
static void
progress(int final)
{
	if (!receiving)
		out_progress("sent", "  {} bytes sent", "bytes", s.sent, final);
	else
		out_progress("received", "  {} bytes received", "bytes",
		    s.received, final);
}

/* What a stall means (enum stream_stuck), for scripts. */
static const char *const diagnosis[] = { "deadlock", "peer not reading",
    "peer silent" };

/* No progress for --stall seconds: say which side is stuck, give up. */
static void
stalled(const struct conf *cf)
{
	/* The counter stays on screen where it stuck, as in the book. */
	progress(1);
	OUT("stall", NULL, OF_REAL("seconds", cf->stall),
	    OF_INT("sent", s.sent), OF_INT("total", s.total),
	    OF_INT("received", s.received), OF_INT("send_queue", s.outq),
	    OF_INT("recv_queue", s.inq), OF_STR("diagnosis",
	    diagnosis[s.stuck]));
	stream_die_stalled(&s, cf->stall);
}

/*
 * The stream's rate, from the connection to the last byte back, in MB/s
 * (10^6 bytes).  A line with --full-duplex, our own mode, or when a
 * signal ends the stream; never in the book's transcript otherwise.
 */
static void
rate(int line)
{
	double secs = (double)(clock_ns() - s.t0) / 1e9;
	double mb = secs > 0 ? (double)s.received / secs / 1e6 : 0;

	OUT("summary", line ? "  {} bytes back in {} seconds: {} MB/s" : NULL,
	    OF_INT("received", s.received),
	    OF_REAL("seconds", load_round(secs, 1000)),
	    OF_REAL("mb_per_s", load_round(mb, 10)), OF_INT("sent", s.sent));
}

/* SIGINT or SIGTERM in the stream: the totals so far, then the exit. */
static void
interrupted(int status)
{
	if (status != 128 + SIGINT && status != 128 + SIGTERM)
		return;
	progress(1);
	rate(1);
}

/* The book's client, or ours with --full-duplex; lines of the book. */
static void
upper(const struct conf *cf, int fd, const struct sockaddr_storage *them)
{
	double secs;
	struct net_err e;

	s.fd = fd;
	s.peer = *them;
	s.full_duplex = cf->full_duplex;
	s.stall_ms = cf->stall > 0 ? (int)(cf->stall * 1000) : -1;
	s.report = cf->full_duplex ? cf->report : 0;
	stream_start(&s);
	err_at_exit(interrupted);
	for (;;) {
		switch (stream_next(&s, &e)) {
		case STREAM_SENT:
		case STREAM_RECEIVED:
			progress(0);
			continue;
		case STREAM_SHUT:
			progress(1);
			receiving = 1;
			OUT(NULL, "Receiving all the data the server sends back");
			continue;
		case STREAM_FIRST_DATA:
			OUT("first", "  The first data received says {}",
			    OF_BYTES("data", s.first, s.nfirst));
			continue;
		case STREAM_SPAN:
			secs = (double)s.span.ns / 1e9;
			OUT("interval", "  {}-{} s: {} bytes back, {} MB/s",
			    OF_REAL("start", s.span.start),
			    OF_REAL("end", s.span.end),
			    OF_INT("received", s.span.received),
			    OF_REAL("mb_per_s", load_round((double)
			    s.span.received / secs / 1e6, 10)),
			    OF_REAL("seconds", load_round(secs, 1000)),
			    OF_INT("sent", s.span.sent));
			continue;
		case STREAM_STALL:
			stalled(cf);
			break;
		case STREAM_ERROR:
			neterr_die(&e);
		case STREAM_DONE:
			break;
		}
		break;
	}
	progress(1);
	err_at_exit(NULL);
	rate(cf->full_duplex);
}

/* The book's exchange: sixteen octets out, the reply within --stall. */
static void
sixteen(const struct conf *cf, int fd, const struct sockaddr_storage *them)
{
	unsigned char reply[BOOK_SIXTEEN];
	char msg[256], peer[REPR_ADDR_MAX];
	struct dial_fail f = { 0 };
	int ms = cf->stall > 0 ? (int)(cf->stall * 1000) : -1;
	ssize_t n = 0, r;

	if (net_sendall(fd, BOOK_HELLO, BOOK_SIXTEEN, &f.e) < 0)
		n = -1;
	/* --stall bounds each wait: a reply that stops halfway ends too. */
	while (n >= 0 && n < BOOK_SIXTEEN) {
		if (wait_fd(fd, POLLIN, ms) == 0) {
			f.timed_out = 1;
			f.got = (int)n;
			n = net_fail(&f.e, ETIMEDOUT, "recv from", NULL, NULL, 0);
		} else if ((r = recv(fd, reply + n, sizeof(reply) - (size_t)n,
		    0)) > 0)
			n += r;
		else if (r == 0)
			break;
		else if (errno != EINTR)
			n = net_fail(&f.e, errno, "recv from", NULL, NULL, 0);
	}
	if (n < 0) {
		/* The failure's line names the server. */
		f.e.addr = *them;
		dial_die(&f, cf->stall);
	}
	if (n < BOOK_SIXTEEN) {
		repr_addr(peer, sizeof(peer), (const void *)them);
		book_eof16(msg, sizeof(msg), peer, (size_t)n);
		die(EXIT_SYSTEM, 0, "%s", msg);
	}
	OUT("reply", "The server said {}", OF_BYTES("data", reply, 16));
}

/* tcping's line: each connection of --repeat with -i, as it ends. */
static void
each(struct repeat *t, const struct repeat_one *one)
{
	if (one->err) {
		dial_warn(one->fail, t->timeout);
		return;
	}
	OUT("connection", t->connect_only ?
	    "  seq {}: connected from {} in {} us" :
	    "  seq {}: from {}, the reply in {} us",
	    OF_INT("seq", one->seq), OF_ADDR("address", &one->local),
	    OF_REAL("us", load_round((double)one->ns / 1e3, 10)),
	    OF_ADDR("peer", t->to));
}

/* A report interval of --repeat: the summary's figures for it. */
static void
tick(struct repeat *t, const struct repeat_span *sp)
{
	long long per_s;
	double secs, p50, p99;

	(void)t;
	load_figures(sp->ns, sp->done, sp->lat, &per_s, &secs, &p50, &p99);
	OUT("interval", "  {}-{} s: {} connections/s, {} failed, p50 {} us, "
	    "p99 {} us", OF_REAL("start", sp->start), OF_REAL("end", sp->end),
	    OF_INT("connections_per_s", per_s), OF_INT("failed", sp->failed),
	    OF_MEASURE("p50_us", p50), OF_MEASURE("p99_us", p99),
	    OF_INT("done", sp->done), OF_REAL("seconds", secs));
}

/* --repeat: count exchanges (or handshakes), parallel at once, timed. */
static int
repeat(const struct conf *cf, struct addrinfo *res)
{
	static struct repeat t;
	struct net_err e;

	t.to = res->ai_addr;
	t.tolen = res->ai_addrlen;
	t.aim = &cf->aim;
	t.count = cf->repeat;
	t.parallel = cf->parallel ? (int)cf->parallel : 1;
	t.connect_only = cf->mode == MODE_CONNECT;
	t.timeout = cf->stall;
	t.interval = cf->interval;
	/* With -i the lines are the report, unless they come faster. */
	t.report = cf->interval >= cf->report ? 0 : cf->report;
	t.each = cf->interval > 0 ? each : NULL;
	t.tick = tick;
	OUT("repeat", t.count == 1 ? "Connecting to {} {} time, {} at a time" :
	    "Connecting to {} {} times, {} at a time",
	    OF_ADDR("to", res->ai_addr), OF_INT("count", t.count),
	    OF_INT("parallel", t.parallel));
	if (repeat_run(&t, &e) < 0)
		neterr_die(&e);
	/* The rate, then what the latency measured, a line each. */
	if (t.done + t.failed > 0) {
		OUT("summary", t.rate == 1 ?
		    "  {} connection per second: {} in {} seconds, {} failed" :
		    "  {} connections per second: {} in {} seconds, {} failed",
		    OF_INT("connections_per_s", t.rate), OF_INT("done", t.done),
		    OF_REAL("seconds", t.elapsed), OF_INT("failed", t.failed),
		    OF_MEASURE("p50_us", t.p50_us),
		    OF_MEASURE("p99_us", t.p99_us));
		OUT(NULL, t.connect_only ? "  Handshake: p50 {} us, p99 {} us" :
		    "  Connect to reply: p50 {} us, p99 {} us",
		    OF_MEASURE("p50_us", t.p50_us),
		    OF_MEASURE("p99_us", t.p99_us));
	}
	err_check_signal();
	repeat_end(&t);
	freeaddrinfo(res);
	return EXIT_OK;
}

/* --mode connect: the handshake alone, its time and our address. */
static void
handshake(const struct sockaddr_storage *me,
    const struct sockaddr_storage *them, long long ns)
{
	OUT("connection", "Connected to {} from {} in {} us",
	    OF_ADDR("peer", them), OF_ADDR("address", me),
	    OF_REAL("us", load_round((double)ns / 1e3, 10)), OF_INT("seq", 1));
}

/* The conflicts the table cannot say, in argparse's words. */
static void
check(const struct applet *ap, const struct alias *al, const char *prog,
    const struct conf *cf)
{
	if (cf->parallel && !cf->repeat)
		cli_usage_error(ap, al, prog,
		    "cannot use --parallel without --repeat");
	if (cf->interval && !cf->repeat)
		cli_usage_error(ap, al, prog,
		    "cannot use -i/--interval without --repeat");
	if (cf->repeat && cf->mode == MODE_UPPER)
		cli_usage_error(ap, al, prog,
		    "cannot use --repeat with --mode upper");
	if (cf->repeat && cf->bytes >= 0)
		cli_usage_error(ap, al, prog,
		    "cannot use --repeat with -n/--bytes");
	if (cf->repeat && cf->full_duplex)
		cli_usage_error(ap, al, prog,
		    "cannot use --repeat with --full-duplex");
	if (cf->mode == MODE_SIXTEEN && cf->bytes >= 0)
		cli_usage_error(ap, al, prog,
		    "cannot use -n/--bytes with --mode sixteen");
	if (cf->mode == MODE_SIXTEEN && cf->full_duplex)
		cli_usage_error(ap, al, prog,
		    "cannot use --full-duplex with --mode sixteen");
	if (cf->mode == MODE_CONNECT && cf->bytes >= 0)
		cli_usage_error(ap, al, prog,
		    "cannot use -n/--bytes with --mode connect");
	if (cf->mode == MODE_CONNECT && cf->full_duplex)
		cli_usage_error(ap, al, prog,
		    "cannot use --full-duplex with --mode connect");
	if (cf->c.port == 0)
		cli_usage_error(ap, al, prog, "argument -p/--port: a client "
		    "needs a port from 1 to 65535");
}

int
tcp_client_main(const struct applet *ap, const struct alias *al,
    const char *prog, int argc, char **argv)
{
	struct conf cf = { .c.port = BOOK_PORT, .mode = -1, .bytes = -1,
	    .stall = 5, .report = 1, .aim = AIM_INIT };
	char *operand[OPT_MAX_OPERANDS];
	struct sockaddr_storage me, them;
	struct addrinfo *res;
	struct net_err e;
	long long ns;
	int fd, family;

	if (cli_parse(ap, al, prog, argc, argv, &cf, operand) > 1) {
		long long v;

		if (opt_parse_int(operand[1], &v) < 0 || v < 0 ||
		    v > (long long)MAXBYTES)
			cli_usage_error(ap, al, prog, "argument bytecount: "
			    "invalid int value: '%.64s'", operand[1]);
		if (cf.bytes >= 0)
			cli_usage_error(ap, al, prog,
			    "cannot use -n/--bytes with a BYTES operand");
		cf.bytes = v;
	}
	check(ap, al, prog, &cf);
	family = cli_family(ap, al, prog, &cf.c, operand[0], cf.aim.source);
	/* A byte count or --full-duplex says upper unless told otherwise. */
	if (cf.mode < 0)
		cf.mode = cf.bytes >= 0 || cf.full_duplex ? MODE_UPPER :
		    MODE_SIXTEEN;
	s.total = ((cf.bytes < 0 ? 16 : cf.bytes) + 15) & ~15LL;
	if (cf.mode == MODE_UPPER)
		OUT("start", "Sending {} bytes of data, in chunks of 16 bytes",
		    OF_INT("bytes", s.total));
	if (net_resolve(operand[0], cf.c.port, family, SOCK_STREAM, 0, &res,
	    &e) < 0)
		neterr_die(&e);
	/* --repeat connects many times to the first address. */
	if (cf.repeat)
		return repeat(&cf, res);
	fd = dial(operand[0], res, &cf.aim, cf.stall, &ns);
	net_sockname(fd, &me);
	net_peername(fd, &them);
	if (cf.mode == MODE_CONNECT)
		handshake(&me, &them, ns);
	else {
		OUT("connect", cf.mode == MODE_SIXTEEN ?
		    "Client has been assigned socket name {}" : NULL,
		    OF_ADDR("address", &me), OF_ADDR("peer", &them));
		if (cf.mode == MODE_SIXTEEN)
			sixteen(&cf, fd, &them);
		else
			upper(&cf, fd, &them);
	}
	close(fd);
	return EXIT_OK;
}

const struct applet tcp_client_applet = {
	"tcp-client", "HOST [BYTES]",
	"talk to a TCP server: sixteen octets, an upper-cased stream, or the "
	"handshake alone",
	opts, 1, 2
};
