/* tcp-client: the sixteen-octet exchange, or the upper-casing stream. */
#include <errno.h>
#include <linux/sockios.h>
#include <netdb.h>
#include <poll.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "../core/book.h"
#include "../core/cli.h"
#include "../core/clock.h"
#include "../core/err.h"
#include "../core/load.h"
#include "../core/net.h"
#include "../core/neterr.h"
#include "../core/out.h"
#include "../core/repeat.h"
#include "../core/repr.h"
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
};

enum { MODE_SIXTEEN, MODE_UPPER };	/* the order of --mode's words */

#define C(f) offsetof(struct conf, f)
#define MAXBYTES 1e15

static const struct opt opts[] = {
	OPT(0, "mode", OPT_CHOICE, C(mode), "{sixteen,upper}",
	    "sixteen (default) or upper (-n, --full-duplex)", 0, 0),
	OPT('n', "bytes", OPT_INT, C(bytes), "N",
	    "upper: bytes to send, rounded up to 16 (default 16)", 0, MAXBYTES),
	OPT(0, "full-duplex", OPT_FLAG, C(full_duplex), "",
	    "upper: read while sending, the cure for the deadlock", 0, 0),
	OPT(0, "stall", OPT_SECS, C(stall), "SECS",
	    "give up after SECS without progress (5; 0: never)", 0, 86400),
	OPT(0, "repeat", OPT_INT, C(repeat), "N",
	    "sixteen: N exchanges; print rate and latency", 1, 1e9),
	OPT(0, "parallel", OPT_INT, C(parallel), "C",
	    "--repeat: C exchanges at once (default 1)", 1, LOAD_MAX_SOCKETS),
	OPT_END
};

/* The first recv of the book's client: up to 42 bytes. */
#define FIRST	42

struct stream {
	int		 fd;
	const char	*peer;
	long long	 total, sent, received;
	int		 eof, shut;
	int		 stall_ms;	/* --stall for poll(): -1, never */
	long long	 t0;		/* connected, in ns */
};

/* What we send: the message over and over, from any offset mod 16. */
static char block[65536];
/*
 * What comes back.  The first FIRST bytes stay at the front, as the book's
 * first recv() keeps them to show; later reads land after them.
 */
static unsigned char back[65536];

/* Bytes our socket holds: sent but not taken by the peer, received unread. */
static int
queued(int fd, unsigned long req)
{
	int n = 0;

	return ioctl(fd, req, &n) < 0 ? -1 : n;
}

/* The book's counter: bytes sent until we shut our side, then received. */
static void
progress(const struct stream *s, int final)
{
	if (!s->shut)
		out_progress("sent", "  {} bytes sent", "bytes", s->sent,
		    final);
	else
		out_progress("received", "  {} bytes received", "bytes",
		    s->received, final);
}

/* What a stall means, from what our own buffers hold. */
enum { DEADLOCK, NOT_READING, SILENT };
static const char *const diagnosis[] = { "deadlock", "peer not reading",
    "peer silent" };
static const char *const explain[] = {
	"both buffers are full, the book's deadlock: we do not read while we "
	    "send, and the server stops reading while it cannot send back; "
	    "--full-duplex reads while it sends",
	"the server stopped reading, and sends nothing back",
	"the server stopped sending"
};

/* No progress for --stall seconds: say which side is stuck, give up. */
static void
stalled(const struct conf *cf, const struct stream *s)
{
	int outq = queued(s->fd, SIOCOUTQ), inq = queued(s->fd, SIOCINQ);
	int d = s->shut || outq <= 0 ? SILENT : inq > 0 ? DEADLOCK :
	    NOT_READING;

	/* The counter stays on screen where it stuck, as in the book. */
	progress(s, 1);
	OUT("stall", NULL, OF_REAL("seconds", cf->stall),
	    OF_INT("sent", s->sent), OF_INT("total", s->total),
	    OF_INT("received", s->received), OF_INT("send_queue", outq),
	    OF_INT("recv_queue", inq), OF_STR("diagnosis", diagnosis[d]));
	err_note("no progress for %g seconds: sent %lld of %lld bytes, "
	    "received %lld; %d bytes wait in our send buffer, %d unread in "
	    "our receive buffer", cf->stall, s->sent, s->total, s->received,
	    outq, inq);
	err_set_hint("%s", explain[d]);
	die(EXIT_GAVE_UP, 0, "gave up after %g seconds without progress from "
	    "%s (see --stall)", cf->stall, s->peer);
}

/* EAGAIN and EINTR leave the stream as it was; any other error ends us. */
static void
check_io(ssize_t n, const char *op, const struct stream *s)
{
	if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK &&
	    errno != EINTR)
		die(EXIT_SYSTEM, errno, "%s %s", op, s->peer);
}

/* Send the repeated message from offset s->sent. */
static void
send_some(struct stream *s)
{
	size_t off = (size_t)s->sent % 16, len = sizeof(block) - off;
	ssize_t n;

	if ((long long)len > s->total - s->sent)
		len = (size_t)(s->total - s->sent);
	n = send(s->fd, block + off, len, MSG_NOSIGNAL | MSG_DONTWAIT);
	check_io(n, "send to", s);
	if (n > 0)
		s->sent += n;
}

static void
recv_some(struct stream *s)
{
	size_t keep = s->received < FIRST ? (size_t)s->received : FIRST;
	ssize_t n = recv(s->fd, back + keep, sizeof(back) - keep,
	    MSG_DONTWAIT);

	check_io(n, "recv from", s);
	if (n == 0)
		s->eof = 1;
	if (n > 0)
		s->received += n;
}

static void
finish_sending(struct stream *s)
{
	progress(s, 1);
	if (shutdown(s->fd, SHUT_WR) < 0)
		die(EXIT_SYSTEM, errno, "shutdown to %s", s->peer);
	s->shut = 1;
	OUT(NULL, "Receiving all the data the server sends back");
}

/*
 * The book's client sends everything, then reads; with --full-duplex it
 * reads while it sends.  Either way the lines are the book's.
 */
static void
upper(const struct conf *cf, struct stream *s)
{
	int shown_first = 0;

	for (size_t i = 0; i < sizeof(block); i += 16)
		memcpy(block + i, BOOK_UPPER_TEXT, 16);
	if (s->total == 0)
		finish_sending(s);
	for (;;) {
		short ev = 0;
		int r;

		/* The first data is shown once 42 bytes (or all) are here. */
		if (s->shut && !shown_first && (s->eof ||
		    s->received >= FIRST || s->received >= s->total)) {
			OUT("first", "  The first data received says {}",
			    OF_BYTES("data", back, s->received < FIRST ?
			    s->received : FIRST));
			shown_first = 1;
		}
		if (s->eof)
			break;
		if (!s->shut)
			ev |= POLLOUT;
		if (s->shut || cf->full_duplex)
			ev |= POLLIN;
		if ((r = wait_fd(s->fd, ev, s->stall_ms)) == 0)
			stalled(cf, s);
		if (r & (POLLIN | POLLERR | POLLHUP) && ev & POLLIN)
			recv_some(s);
		if (r & POLLOUT && !s->shut) {
			send_some(s);
			progress(s, 0);
			if (s->sent == s->total)
				finish_sending(s);
		}
		if (s->shut && shown_first && s->received)
			progress(s, 0);
	}
	progress(s, 1);
}

/*
 * The stream's rate, from the connection to the last byte back, in MB/s
 * (10^6 bytes).  A line with --full-duplex, our own mode; never in the
 * book's transcript, which has no such line.
 */
static void
rate(const struct conf *cf, const struct stream *s)
{
	double secs = (double)(clock_ns() - s->t0) / 1e9, mb;

	mb = secs > 0 ? (double)s->received / secs / 1e6 : 0;
	/* Three decimals of seconds, one of MB/s: enough, and short. */
	secs = (double)(long long)(secs * 1000 + 0.5) / 1000;
	mb = (double)(long long)(mb * 10 + 0.5) / 10;
	OUT("summary", cf->full_duplex ?
	    "  {} bytes back in {} seconds: {} MB/s" : NULL,
	    OF_INT("received", s->received), OF_REAL("seconds", secs),
	    OF_REAL("mb_per_s", mb), OF_INT("sent", s->sent));
}

static void
sixteen(const struct conf *cf, const struct stream *s)
{
	unsigned char reply[BOOK_SIXTEEN];
	char msg[256];
	struct net_err e;
	ssize_t n;

	if (net_sendall(s->fd, BOOK_HELLO, BOOK_SIXTEEN, &e) < 0) {
		err_check_signal();
		die(EXIT_SYSTEM, e.err, "send to %s", s->peer);
	}
	if (wait_fd(s->fd, POLLIN, s->stall_ms) == 0) {
		err_set_hint("the server took the message and sent nothing "
		    "back");
		die(EXIT_GAVE_UP, 0, "no reply from %s in %g seconds (see "
		    "--stall)", s->peer, cf->stall);
	}
	if ((n = net_recvall(s->fd, reply, sizeof(reply), &e)) < 0) {
		err_check_signal();
		die(EXIT_SYSTEM, e.err, "recv from %s", s->peer);
	}
	if (n < BOOK_SIXTEEN) {
		book_eof16(msg, sizeof(msg), s->peer, (size_t)n);
		die(EXIT_SYSTEM, 0, "%s", msg);
	}
	OUT("reply", "The server said {}", OF_BYTES("data", reply, 16));
}

/* --repeat: the sixteen-octet exchange, parallel at once, timed. */
static int
repeat(const struct conf *cf, struct addrinfo *res)
{
	static struct repeat t;
	char where[REPR_ADDR_MAX];
	struct net_err e;
	int rc;

	t.to = res->ai_addr;
	t.tolen = res->ai_addrlen;
	t.count = cf->repeat;
	t.parallel = cf->parallel ? (int)cf->parallel : 1;
	t.timeout = cf->stall;
	repr_addr(where, sizeof(where), res->ai_addr);
	OUT("repeat", "Connecting to {} {} times, {} at a time",
	    OF_ADDR("to", res->ai_addr), OF_INT("count", t.count),
	    OF_INT("parallel", t.parallel));
	rc = repeat_run(&t, &e);
	if (t.done + t.failed > 0)
		OUT("summary", "  {} connections per second: {} in {} seconds, "
		    "{} failed\n  Connect to reply: p50 {} us, p99 {} us",
		    OF_INT("connections_per_s", t.rate), OF_INT("done", t.done),
		    OF_REAL("seconds", t.elapsed), OF_INT("failed", t.failed),
		    OF_REAL("p50_us", t.p50_us), OF_REAL("p99_us", t.p99_us));
	err_check_signal();
	if (t.last_err == EPROTO)
		die(EXIT_SYSTEM, 0, "recv from %s: the reply was not "
		    "b'Farewell, client'", where);
	if (t.last_err == ETIMEDOUT && t.done == 0)
		die(EXIT_GAVE_UP, 0, "no reply from %s in %g seconds (see "
		    "--stall)", where, cf->stall);
	if (rc < 0)
		neterr_die(&e);
	if (t.failed)
		die(EXIT_SYSTEM, t.last_err, "%lld of %lld exchanges with %s "
		    "failed, the last", t.failed, t.done + t.failed, where);
	freeaddrinfo(res);
	return EXIT_OK;
}

int
tcp_client_main(const struct applet *ap, const struct alias *al,
    const char *prog, int argc, char **argv)
{
	struct conf cf = { .c.port = BOOK_PORT, .mode = -1, .bytes = -1,
	    .stall = 5 };
	char *operand[OPT_MAX_OPERANDS], peer[REPR_ADDR_MAX];
	struct sockaddr_storage me, them;
	struct addrinfo *res;
	struct stream s;
	struct net_err e;
	int fd, family;

	if (cli_parse(ap, al, prog, argc, argv, &cf, operand) > 1) {
		long long v;

		if (opt_parse_int(operand[1], &v) < 0 || v < 0 ||
		    v > MAXBYTES)
			cli_usage_error(ap, al, prog, "argument bytecount: "
			    "invalid int value: '%.64s'", operand[1]);
		if (cf.bytes >= 0)
			cli_usage_error(ap, al, prog,
			    "cannot use -n/--bytes with a BYTES operand");
		cf.bytes = v;
	}
	if (cf.parallel && !cf.repeat)
		cli_usage_error(ap, al, prog,
		    "cannot use --parallel without --repeat");
	if (cf.repeat && cf.mode == MODE_UPPER)
		cli_usage_error(ap, al, prog,
		    "cannot use --repeat with --mode upper");
	if (cf.repeat && cf.bytes >= 0)
		cli_usage_error(ap, al, prog,
		    "cannot use --repeat with -n/--bytes");
	if (cf.repeat && cf.full_duplex)
		cli_usage_error(ap, al, prog,
		    "cannot use --repeat with --full-duplex");
	if (cf.mode == MODE_SIXTEEN && cf.bytes >= 0)
		cli_usage_error(ap, al, prog,
		    "cannot use -n/--bytes with --mode sixteen");
	if (cf.mode == MODE_SIXTEEN && cf.full_duplex)
		cli_usage_error(ap, al, prog,
		    "cannot use --full-duplex with --mode sixteen");
	/* A byte count or --full-duplex says upper unless told otherwise. */
	if (cf.mode < 0)
		cf.mode = cf.bytes >= 0 || cf.full_duplex ? MODE_UPPER :
		    MODE_SIXTEEN;
	if (cf.c.port == 0)
		cli_usage_error(ap, al, prog, "argument -p/--port: a client "
		    "needs a port from 1 to 65535");
	if (cf.bytes < 0)
		cf.bytes = 16;
	family = cf.c.ipv4 ? AF_INET : cf.c.ipv6 ? AF_INET6 : 0;
	memset(&s, 0, sizeof(s));
	s.total = (cf.bytes + 15) & ~15LL;
	if (cf.mode == MODE_UPPER)
		OUT("start", "Sending {} bytes of data, in chunks of 16 bytes",
		    OF_INT("bytes", s.total));
	/* --repeat connects many times: it needs the address only. */
	fd = cf.repeat ? net_resolve(operand[0], cf.c.port, family,
	    SOCK_STREAM, 0, &res, &e) : net_connect(operand[0], cf.c.port,
	    family, SOCK_STREAM, &e);
	if (fd < 0)
		neterr_die(&e);
	if (cf.repeat)
		return repeat(&cf, res);
	s.t0 = clock_ns();
	net_peername(fd, &them);
	net_sockname(fd, &me);
	repr_addr(peer, sizeof(peer), (void *)&them);
	OUT("connect", cf.mode == MODE_SIXTEEN ?
	    "Client has been assigned socket name {}" : NULL,
	    OF_ADDR("address", &me), OF_ADDR("peer", &them));
	s.fd = fd;
	s.peer = peer;
	s.stall_ms = cf.stall > 0 ? (int)(cf.stall * 1000) : -1;
	if (cf.mode == MODE_SIXTEEN)
		sixteen(&cf, &s);
	else {
		upper(&cf, &s);
		rate(&cf, &s);
	}
	close(fd);
	return EXIT_OK;
}

const struct applet tcp_client_applet = {
	"tcp-client", "HOST [BYTES]",
	"talk to a TCP server: sixteen octets, or an upper-cased stream",
	opts, 1, 2
};
