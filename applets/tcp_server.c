/* tcp-server: the book's TCP servers, many clients at once on one loop. */
#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include "../core/applet.h"
#include "../core/err.h"
#include "../core/net.h"
#include "../core/opt.h"
#include "../core/out.h"
#include "../core/repr.h"

struct conf {
	struct common	 c;
	int		 mode;
	long long	 count;
	double		 idle;
	long long	 max_clients;
};

enum { MODE_SIXTEEN, MODE_UPPER };
static const char *const modes[] = { "sixteen", "upper", NULL };

#define C(f) offsetof(struct conf, f)

static const struct opt opts[] = {
	{ 0, "mode", OPT_CHOICE, C(mode), "MODE",
	    "sixteen (tcp_sixteen) or upper (tcp_deadlock)", 0, 0, modes },
	{ 'c', "count", OPT_INT, C(count), "N",
	    "exit after serving N connections", 1, 9007199254740991.0, NULL },
	{ 0, "idle", OPT_SECS, C(idle), "SECS",
	    "close a client idle this long (default 30; 0: never)", 0, 86400,
	    NULL },
	{ 0, "max-clients", OPT_INT, C(max_clients), "N",
	    "close new connections beyond N at once (default 1024)", 1,
	    1000000, NULL },
	{ 0, NULL, 0, 0, NULL, NULL, 0, 0, NULL }
};

/* The book's server reads 1024 bytes at a time. */
#define CHUNK	1024

/* A connection's whole state: fixed size, from a pool made at start. */
struct conn {
	int		 fd;		/* -1: free */
	int		 next_free;
	struct sockaddr_storage peer;
	long long	 last_ms;	/* last byte in or out */
	long long	 processed;
	size_t		 inlen;		/* sixteen: bytes of the message */
	size_t		 outpos, outlen;
	unsigned char	 in[16];
	char		 out[CHUNK];	/* upper: what waits to go back */
};

struct server {
	struct conf	 cf;
	int		 lfd, ep, spare;
	struct conn	*pool;
	int		 free_head, active;
	long long	 served;
	struct sockaddr_storage me;
};

static const char farewell[16] = "Farewell, client";

static void
set_events(struct server *sv, struct conn *c, unsigned ev)
{
	struct epoll_event e = { .events = ev,
	    .data.u32 = (unsigned)(c - sv->pool) };

	if (epoll_ctl(sv->ep, EPOLL_CTL_MOD, c->fd, &e) < 0)
		warn(errno, "epoll_ctl");
}

static void
waiting(struct server *sv)
{
	if (sv->cf.mode == MODE_SIXTEEN)
		OUT("waiting", "Waiting to accept a new connection");
}

static void
conn_close(struct server *sv, struct conn *c, const char *book)
{
	close(c->fd);
	c->fd = -1;
	c->next_free = sv->free_head;
	sv->free_head = (int)(c - sv->pool);
	sv->active--;
	sv->served++;
	if (sv->cf.mode == MODE_UPPER) {
		out_progress("processed", "  {} bytes processed so far",
		    "bytes", c->processed, 1);
	}
	OUT("close", book, OF_ADDR("peer", &c->peer),
	    OF_INT("bytes", c->processed));
	waiting(sv);
}

/* A peer's error ends that connection, never the server. */
static void
conn_fail(struct server *sv, struct conn *c, int err, const char *op)
{
	char peer[REPR_ADDR_MAX];

	repr_addr(peer, sizeof(peer), (void *)&c->peer);
	warn(err, "%s %s", op, peer);
	conn_close(sv, c, "  Socket closed");
}

static void
accepted(struct server *sv, int fd, const struct sockaddr_storage *peer)
{
	struct epoll_event ev = { .events = EPOLLIN };
	struct sockaddr_storage me;
	struct conn *c;

	if (sv->free_head < 0) {
		OUT("overflow", "Too many clients ({}): closed the connection "
		    "from {}", OF_INT("max_clients", sv->cf.max_clients),
		    OF_ADDR("peer", peer));
		close(fd);
		return;
	}
	c = &sv->pool[sv->free_head];
	sv->free_head = c->next_free;
	sv->active++;
	c->fd = fd;
	c->peer = *peer;
	c->last_ms = net_now_ms();
	c->processed = 0;
	c->inlen = c->outpos = c->outlen = 0;
	ev.data.u32 = (unsigned)(c - sv->pool);
	if (epoll_ctl(sv->ep, EPOLL_CTL_ADD, fd, &ev) < 0) {
		conn_fail(sv, c, errno, "watch");
		return;
	}
	if (sv->cf.mode == MODE_SIXTEEN) {
		net_sockname(fd, &me);
		OUT("accept", "We have accepted a connection from {}",
		    OF_ADDR("peer", peer), OF_ADDR("address", &me));
		OUT("sockname", "  Socket name: {}", OF_ADDR("address", &me));
		OUT("peername", "  Socket peer: {}", OF_ADDR("peer", peer));
	} else
		OUT("accept", "Processing up to 1024 bytes at a time from {}",
		    OF_ADDR("peer", peer));
}

/* Accept until the queue is empty; past the fd limit, refuse politely. */
static void
accept_all(struct server *sv)
{
	for (;;) {
		struct sockaddr_storage peer;
		socklen_t len = sizeof(peer);
		int fd = accept4(sv->lfd, (void *)&peer, &len,
		    SOCK_NONBLOCK | SOCK_CLOEXEC);

		if (fd >= 0) {
			accepted(sv, fd, &peer);
			continue;
		}
		if (errno == EINTR) {
			err_check_signal();
			continue;
		}
		if (errno == EMFILE || errno == ENFILE) {
			/* Free the spare fd to take the client and close it. */
			warn(errno, "accept on %s", "the listening socket");
			close(sv->spare);
			fd = accept(sv->lfd, NULL, NULL);
			if (fd >= 0)
				close(fd);
			sv->spare = open("/dev/null", O_RDONLY | O_CLOEXEC);
			continue;
		}
		/* EAGAIN, or a connection that died in the queue. */
		if (errno == EAGAIN || errno == EWOULDBLOCK)
			return;
		if (errno != ECONNABORTED && errno != EPROTO &&
		    errno != EPERM && errno != ENOBUFS && errno != ENOMEM)
			warn(errno, "accept on %s", "the listening socket");
		return;
	}
}

static void
sixteen_io(struct server *sv, struct conn *c, unsigned ev)
{
	ssize_t n;

	if (c->inlen < 16 && ev & (EPOLLIN | EPOLLERR | EPOLLHUP)) {
		n = recv(c->fd, c->in + c->inlen, 16 - c->inlen, 0);
		if (n < 0) {
			if (errno != EAGAIN && errno != EINTR)
				conn_fail(sv, c, errno, "recv from");
			return;
		}
		if (n == 0) {
			char peer[REPR_ADDR_MAX];

			repr_addr(peer, sizeof(peer), (void *)&c->peer);
			warn(0, "recv from %s: EOFError: was expecting 16 "
			    "bytes but only received %zu bytes before the "
			    "socket closed", peer, c->inlen);
			conn_close(sv, c, "  Socket closed");
			return;
		}
		c->inlen += (size_t)n;
		c->processed += n;
		if (c->inlen < 16)
			return;
		OUT("message", "  Incoming sixteen-octet message: {}",
		    OF_BYTES("data", c->in, 16));
	}
	n = send(c->fd, farewell + c->outpos, 16 - c->outpos, MSG_NOSIGNAL);
	if (n < 0) {
		if (errno == EAGAIN)
			set_events(sv, c, EPOLLOUT);
		else if (errno != EINTR)
			conn_fail(sv, c, errno, "send to");
		return;
	}
	c->outpos += (size_t)n;
	if (c->outpos < 16) {
		set_events(sv, c, EPOLLOUT);
		return;
	}
	conn_close(sv, c, "  Reply sent, socket closed");
}

/* Write what waits; 1 when all of it is gone. */
static int
upper_flush(struct server *sv, struct conn *c)
{
	while (c->outpos < c->outlen) {
		ssize_t n = send(c->fd, c->out + c->outpos,
		    c->outlen - c->outpos, MSG_NOSIGNAL);

		if (n < 0) {
			if (errno == EAGAIN) {
				/* Stop reading while we cannot write. */
				set_events(sv, c, EPOLLOUT);
				return 0;
			}
			if (errno == EINTR)
				continue;
			conn_fail(sv, c, errno, "send to");
			return -1;
		}
		c->outpos += (size_t)n;
	}
	c->processed += (long long)c->outlen;
	c->outpos = c->outlen = 0;
	return 1;
}

static void
upper_io(struct server *sv, struct conn *c, unsigned ev)
{
	int was_blocked = c->outlen > 0;

	if (was_blocked) {
		int r = upper_flush(sv, c);

		if (r <= 0)
			return;
		set_events(sv, c, EPOLLIN);
	}
	/* A few chunks per wake-up, so one busy client cannot starve others. */
	for (int round = 0; round < 16; round++) {
		ssize_t n = recv(c->fd, c->out, CHUNK, 0);
		int r;

		if (n < 0) {
			if (errno != EAGAIN && errno != EINTR)
				conn_fail(sv, c, errno, "recv from");
			return;
		}
		if (n == 0) {
			conn_close(sv, c, "  Socket closed");
			return;
		}
		for (ssize_t i = 0; i < n; i++)
			if (c->out[i] >= 'a' && c->out[i] <= 'z')
				c->out[i] -= 'a' - 'A';
		c->outlen = (size_t)n;
		if ((r = upper_flush(sv, c)) <= 0)
			return;
		if (sv->active == 1)
			out_progress("processed", "  {} bytes processed so far",
			    "bytes", c->processed, 0);
		if (n < CHUNK)
			return;
	}
	(void)ev;
}

/* Close the clients idle past the limit: one sweep a second at most. */
static void
sweep_idle(struct server *sv, long long now)
{
	long long limit = (long long)(sv->cf.idle * 1000);

	for (long long i = 0; i < sv->cf.max_clients; i++) {
		struct conn *c = &sv->pool[i];

		if (c->fd < 0 || now - c->last_ms < limit)
			continue;
		OUT("idle", NULL, OF_ADDR("peer", &c->peer),
		    OF_REAL("seconds", sv->cf.idle));
		conn_close(sv, c, "  Idle too long: socket closed");
	}
}

static int
tcp_server_main(const struct applet *ap, const struct alias *al,
    const char *prog, int argc, char **argv)
{
	struct server sv = { .cf = { .c.port = 1060, .idle = 30,
	    .max_clients = 1024 } };
	char *operand[OPT_MAX_OPERANDS];
	struct epoll_event evs[64], lev = { .events = EPOLLIN,
	    .data.u32 = UINT32_MAX };
	const char *host = "127.0.0.1";
	long long next_sweep;
	struct net_err e;
	sigset_t mask;
	int n, family;

	n = opt_cli(ap, al, prog, argc, argv, &sv.cf, operand);
	if (n > 0)
		host = operand[0];
	/* tcp_deadlock's server takes the book's bytecount and ignores it. */
	if (n > 1) {
		long long v;

		if (opt_parse_int(operand[1], &v) < 0)
			opt_usage_error(ap, al, prog, "argument bytecount: "
			    "invalid int value: '%.64s'", operand[1]);
	}
	family = sv.cf.c.ipv4 ? AF_INET : sv.cf.c.ipv6 ? AF_INET6 : 0;
	if (family == AF_INET6 && strcmp(host, "127.0.0.1") == 0)
		host = "::1";
	sv.pool = calloc((size_t)sv.cf.max_clients, sizeof(*sv.pool));
	if (!sv.pool)
		die(EXIT_SYSTEM, ENOMEM, "allocate %lld clients",
		    sv.cf.max_clients);
	for (long long i = 0; i < sv.cf.max_clients; i++) {
		sv.pool[i].fd = -1;
		sv.pool[i].next_free = i + 1 < sv.cf.max_clients ?
		    (int)i + 1 : -1;
	}
	sv.free_head = 0;
	sv.lfd = net_listen(host, sv.cf.c.port, family, SOCK_STREAM, 1, &e);
	if (sv.lfd < 0)
		die(EXIT_SYSTEM, e.err, "%s", net_what(&e));
	if (net_nonblock(sv.lfd) < 0 || (sv.ep = epoll_create1(EPOLL_CLOEXEC))
	    < 0 || epoll_ctl(sv.ep, EPOLL_CTL_ADD, sv.lfd, &lev) < 0)
		die(EXIT_SYSTEM, errno, "set up the event loop");
	sv.spare = open("/dev/null", O_RDONLY | O_CLOEXEC);
	net_sockname(sv.lfd, &sv.me);
	OUT("listening", "Listening at {}", OF_ADDR("address", &sv.me));
	waiting(&sv);
	next_sweep = net_now_ms() + 1000;

	while (!sv.cf.count || sv.served < sv.cf.count) {
		int timeout = -1;
		long long now;

		if (sv.cf.idle > 0 && sv.active > 0) {
			now = net_now_ms();
			timeout = next_sweep > now ? (int)(next_sweep - now) :
			    0;
		}
		out_flush();
		err_hold_signals(&mask);
		n = epoll_pwait(sv.ep, evs, 64, timeout, &mask);
		err_release_signals(&mask);
		if (n < 0) {
			if (errno != EINTR)
				die(EXIT_SYSTEM, errno, "wait for clients");
			err_check_signal();
			continue;
		}
		now = net_now_ms();
		for (int i = 0; i < n; i++) {
			struct conn *c;

			if (evs[i].data.u32 == UINT32_MAX) {
				accept_all(&sv);
				continue;
			}
			c = &sv.pool[evs[i].data.u32];
			if (c->fd < 0)
				continue;
			c->last_ms = now;
			if (sv.cf.mode == MODE_SIXTEEN)
				sixteen_io(&sv, c, evs[i].events);
			else
				upper_io(&sv, c, evs[i].events);
		}
		if (sv.cf.idle > 0 && now >= next_sweep) {
			sweep_idle(&sv, now);
			next_sweep = now + 1000;
		}
	}
	return EXIT_OK;
}

const struct applet tcp_server_applet = {
	"tcp-server", "[INTERFACE]",
	"serve TCP clients, many at once: sixteen octets, or upper-casing "
	"(default on 127.0.0.1)",
	opts, 0, 1, tcp_server_main
};
