/* tcp-server: the book's TCP servers, many clients at once on one loop. */
#include <errno.h>
#include <netinet/in.h>
#include <stddef.h>
#include <stdlib.h>
#include <sys/epoll.h>
#include <sys/socket.h>

#include "../core/book.h"
#include "../core/cli.h"
#include "../core/err.h"
#include "../core/listen.h"
#include "../core/net.h"
#include "../core/neterr.h"
#include "../core/out.h"
#include "../core/repr.h"
#include "../core/srv.h"
#include "applets.h"

struct conf {
	struct common	 c;
	int		 mode;
	long long	 count;
	double		 idle;
	long long	 max_clients;
	const char	*iface;
};

enum { MODE_SIXTEEN, MODE_UPPER };	/* the order of --mode's words */

#define C(f) offsetof(struct conf, f)

static const struct opt opts[] = {
	OPT(0, "mode", OPT_CHOICE, C(mode), "{sixteen,upper}",
	    "sixteen (tcp_sixteen) or upper (tcp_deadlock)", 0, 0),
	OPT('c', "count", OPT_INT, C(count), "N",
	    "exit after serving N connections", 1, 9007199254740991.0),
	OPT(0, "idle", OPT_SECS, C(idle), "SECS",
	    "close a client idle this long (default 30; 0: never)", 0, 86400),
	OPT(0, "max-clients", OPT_INT, C(max_clients), "N",
	    "close new connections beyond N at once (default 1024)",
	    1, 1000000),
	OPT('I', "interface", OPT_IFACE, C(iface), "IFACE",
	    "only what arrives on IFACE (with no INTERFACE: any address)",
	    0, 0),
	OPT_END
};

/*
 * The book's server reads 1024 bytes at a time, and so does ours when it
 * must keep what it read.  Otherwise it takes up to BIG of them in one
 * recv() into a buffer of a small shared pool, and gives the buffer back
 * once the upper-cased bytes are sent: a connection that cannot send keeps
 * its buffer (and stops reading), and when the pool is empty the others
 * read 1024 bytes at a time into their own.
 */
#define CHUNK	1024
#define BIG	(64 * CHUNK)
#define POOL	4

/* What a connection's protocol holds, beside its slot in the loop. */
struct conn {
	long long	 processed;	/* bytes in (sixteen), or sent back */
	size_t		 outpos, outlen;
	int		 big;		/* upper: its pool buffer, or -1 */
	unsigned char	 in[BOOK_SIXTEEN];
	char		 out[CHUNK];	/* upper: what waits to go back */
};

static struct {
	struct conf	 cf;
	struct srv	 srv;
	struct conn	*conn;
	long long	 overflowed, idled, bytes;
	/*
	 * Our end of each listener when it is one address; AF_UNSPEC for a
	 * wildcard, where each connection has its own.
	 */
	struct sockaddr_storage me[LISTEN_MAX];
	char		 big[POOL][BIG];
	int		 big_held[POOL];	/* big[i] is some connection's */
} sv;

static void
summary(int status)
{
	/* Every client the loop gave a slot to was accepted. */
	OUT("summary", NULL, OF_INT("accepted", sv.srv.taken),
	    OF_INT("served", sv.srv.closed), OF_INT("overflowed",
	    sv.overflowed), OF_INT("idle", sv.idled), OF_INT("bytes",
	    sv.bytes), OF_INT("status", status));
}

static const struct sockaddr *
peer_of(int id)
{
	return (const struct sockaddr *)&sv.srv.slot[id].peer;
}

/* An address as Python's tuple, for a line on stderr. */
static const char *
tuple(const void *sa)
{
	static char buf[REPR_ADDR_MAX];

	repr_addr(buf, sizeof(buf), sa);
	return buf;
}

static void
watch(int id, unsigned ev)
{
	if (srv_watch(&sv.srv, id, ev) < 0)
		warn(errno, "epoll_ctl");
}

static void
waiting(void)
{
	if (sv.cf.mode == MODE_SIXTEEN)
		OUT(NULL, "Waiting to accept a new connection");
}

/* Give the pool buffer back, if the connection holds one. */
static void
drop_big(struct conn *c)
{
	if (c->big >= 0)
		sv.big_held[c->big] = 0;
	c->big = -1;
}

/* Where the connection's bytes go: its pool buffer, or its own. */
static char *
buf_of(struct conn *c)
{
	return c->big >= 0 ? sv.big[c->big] : c->out;
}

static void
conn_close(int id, const char *book, const char *reason)
{
	long long processed = sv.conn[id].processed;

	drop_big(&sv.conn[id]);
	sv.bytes += processed;
	if (sv.cf.mode == MODE_UPPER)
		out_progress(NULL, "  {} bytes processed so far", "bytes",
		    processed, 1);
	OUT("close", book, OF_ADDR("peer", peer_of(id)),
	    OF_INT("bytes", processed), OF_STR("reason", reason));
	srv_close(&sv.srv, id);
	waiting();
}

/*
 * A peer's error (after op, "recv from") or EOF (err 0) ends that
 * connection, never the server.  An EOF is worth a line only where sixteen
 * octets were due: Python's EOFError.
 */
static void
conn_fail(int id, int err, const char *op)
{
	if (err)
		warn(err, "%s %s", op, tuple(peer_of(id)));
	else if (sv.cf.mode == MODE_SIXTEEN) {
		char msg[256];

		book_eof16(msg, sizeof(msg), tuple(peer_of(id)),
		    (size_t)sv.conn[id].processed);
		warn(0, "%s", msg);
	}
	conn_close(id, "  Socket closed", err ? "error" : "eof");
}

/*
 * recv() for either mode: the peer's EOF or an error closes the
 * connection; what came, or 0 or less when there is nothing to use.
 */
static ssize_t
conn_recv(int id, int fd, void *buf, size_t cap)
{
	ssize_t n = recv(fd, buf, cap, 0);

	/* EOF: in sixteen mode, before its sixteen octets were all here. */
	if (n == 0)
		conn_fail(id, 0, NULL);
	else if (n < 0 && errno != EAGAIN && errno != EINTR)
		conn_fail(id, errno, "recv from");
	return n;
}

static void on_io(int, unsigned);

static void
on_open(int id)
{
	struct srv_slot *sl = &sv.srv.slot[id];
	struct sockaddr_storage buf, *me = &sv.me[sl->listener];

	struct conn *c = &sv.conn[id];

	/* Its buffers are written before they are read: no need to clear. */
	c->processed = 0;
	c->outpos = c->outlen = 0;
	c->big = -1;
	/* A listener on one address: our end is that address. */
	if (me->ss_family == AF_UNSPEC)
		net_sockname(sl->fd, me = &buf);
	OUT("accept", sv.cf.mode == MODE_UPPER ?
	    "Processing up to 1024 bytes at a time from {}" :
	    "We have accepted a connection from {}\n  Socket name: {}",
	    OF_ADDR("peer", peer_of(id)), OF_ADDR("address", me));
	if (sv.cf.mode == MODE_SIXTEEN)
		OUT(NULL, "  Socket peer: {}", OF_ADDR("peer", peer_of(id)));
	/* The client often spoke already: serve it before watching it. */
	on_io(id, EPOLLIN);
}

static void
on_refuse(const struct sockaddr_storage *peer, int err)
{
	sv.overflowed++;
	if (peer == NULL) {
		warn(err, "accept a connection");
		return;
	}
	err_note("too many clients (--max-clients %lld): closed the "
	    "connection from %s", sv.cf.max_clients, tuple(peer));
	OUT("overflow", NULL, OF_ADDR("peer", peer),
	    OF_INT("max_clients", sv.cf.max_clients));
}

static void
on_expire(int id)
{
	char idle[32];

	sv.idled++;
	repr_secs(idle, sizeof(idle), sv.cf.idle);
	err_note("closed the connection from %s: idle for %s (see --idle)",
	    tuple(peer_of(id)), idle);
	conn_close(id, "  Socket closed", "idle");
}

/*
 * Send len bytes of buf from where the last call stopped; 1 when all of
 * them are gone, 0 when the socket is full (we then wait to write, and
 * stop reading), -1 when the connection failed and is closed.
 */
static int
flush(int id, int fd, const char *buf, size_t len)
{
	struct conn *c = &sv.conn[id];

	while (c->outpos < len) {
		ssize_t n = send(fd, buf + c->outpos, len - c->outpos,
		    MSG_NOSIGNAL);

		if (n < 0) {
			if (errno == EAGAIN) {
				watch(id, EPOLLOUT);
				return 0;
			}
			if (errno == EINTR)
				continue;
			conn_fail(id, errno, "send to");
			return -1;
		}
		c->outpos += (size_t)n;
	}
	c->outpos = 0;
	return 1;
}

static void
sixteen_io(int id, int fd, unsigned ev)
{
	struct conn *c = &sv.conn[id];
	ssize_t n;

	if (c->processed < 16 && ev & (EPOLLIN | EPOLLERR | EPOLLHUP)) {
		n = conn_recv(id, fd, c->in + c->processed,
		    16 - (size_t)c->processed);
		if (n <= 0)
			return;
		c->processed += n;
		if (c->processed < 16)
			return;
		OUT("message", "  Incoming sixteen-octet message: {}",
		    OF_BYTES("data", c->in, 16), OF_ADDR("peer", peer_of(id)));
	}
	if (flush(id, fd, BOOK_FAREWELL, BOOK_SIXTEEN) > 0)
		conn_close(id, "  Reply sent, socket closed", "done");
}

/* Write what waits of the upper-cased bytes; 1 when all of it is gone. */
static int
upper_flush(int id, int fd)
{
	struct conn *c = &sv.conn[id];
	int r = flush(id, fd, buf_of(c),
	    c->outlen);

	if (r > 0) {
		c->processed += (long long)c->outlen;
		c->outlen = 0;
		drop_big(c);
	}
	return r;
}

/* The first free buffer of the pool, taken: its index, -1 when none is. */
static int
take_big(void)
{
	for (int i = 0; i < POOL; i++)
		if (!sv.big_held[i]) {
			sv.big_held[i] = 1;
			return i;
		}
	return -1;
}

static void
upper_io(int id, int fd)
{
	struct conn *c = &sv.conn[id];

	if (c->outlen > 0) {
		if (upper_flush(id, fd) <= 0)
			return;
		watch(id, EPOLLIN);
	}
	/* A few reads per wake-up, so one busy client cannot starve others. */
	for (int round = 0; round < 4; round++) {
		size_t cap;

		c->big = take_big();
		cap = c->big >= 0 ? BIG : CHUNK;
		char *buf = buf_of(c);
		ssize_t n = conn_recv(id, fd, buf, cap);

		/* Closed already (which gave the buffer back), or nothing yet. */
		if (n <= 0) {
			drop_big(c);
			return;
		}
		book_upper(buf, (size_t)n);
		c->outlen = (size_t)n;
		if (upper_flush(id, fd) <= 0)
			return;
		if (sv.srv.active == 1)
			out_progress(NULL, "  {} bytes processed so far",
			    "bytes", c->processed, 0);
		if ((size_t)n < cap)
			return;
	}
}

static void
on_io(int id, unsigned ev)
{
	if (sv.cf.mode == MODE_SIXTEEN)
		sixteen_io(id, sv.srv.slot[id].fd, ev);
	else
		upper_io(id, sv.srv.slot[id].fd);
}

/* The loop could not watch the connection: closed, its buffer given back. */
static void
on_fail(int id, int err)
{
	conn_fail(id, err, "wait for events from");
}

static const struct srv_ops ops = {
	.open = on_open, .io = on_io, .expire = on_expire,
	.fail = on_fail, .refuse = on_refuse
};

int
tcp_server_main(const struct applet *ap, const struct alias *al,
    const char *prog, int argc, char **argv)
{
	char *operand[OPT_MAX_OPERANDS];
	struct listen_req req = { 0, SOCK_STREAM, 1, NULL };
	const char *host = NULL;
	struct net_err e;
	int n, family;

	sv.cf.c.port = BOOK_PORT;
	sv.cf.idle = 30;
	sv.cf.max_clients = 1024;
	n = cli_parse(ap, al, prog, argc, argv, &sv.cf, operand);
	if (n > 0)
		host = operand[0];
	/* tcp_deadlock's server takes the book's bytecount and ignores it. */
	if (n > 1) {
		long long v;

		if (opt_parse_int(operand[1], &v) < 0)
			cli_usage_error(ap, al, prog, "argument bytecount: "
			    "invalid int value: '%.64s'", operand[1]);
	}
	family = cli_family(ap, al, prog, &sv.cf.c, NULL, NULL);
	host = cli_listen_word(ap, al, prog, host, family, sv.cf.iface != NULL);
	/* Either way errno says why: calloc's, or srv_init's. */
	if (srv_init(&sv.srv, (int)sv.cf.max_clients, sv.cf.idle,
	    &ops) < 0 || !(sv.conn = calloc((size_t)sv.cf.max_clients,
	    sizeof(*sv.conn))))
		die(EXIT_SYSTEM, errno, "allocate %lld clients",
		    sv.cf.max_clients);
	req.port = sv.cf.c.port;
	req.device = sv.cf.iface;
	if (srv_listen(&sv.srv, host, family, &req, &e) < 0)
		neterr_die(&e);
	err_at_exit(summary);
	for (int k = 0; k < sv.srv.nl; k++) {
		struct sockaddr_storage *me = &sv.me[k];

		net_sockname(sv.srv.lfd[k], me);
		OUT("listening", "Listening at {}", OF_ADDR("address", me));
		/* Bound to every address: each connection has its own end. */
		if (net_is_any((struct sockaddr *)me))
			me->ss_family = AF_UNSPEC;
	}
	waiting();
	if (srv_run(&sv.srv, sv.cf.count, &e) < 0)
		neterr_die(&e);
	return EXIT_OK;
}

const struct applet tcp_server_applet = {
	"tcp-server", "[INTERFACE]",
	"serve many TCP clients at once: sixteen octets or upper-casing",
	opts, 0, 1
};
