/* Socket helpers: resolve, listen, connect, send and receive it all. */
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include "err.h"
#include "net.h"
#include "out.h"
#include "repr.h"

int
net_fail(struct net_err *e, int err, const char *op,
    const struct sockaddr *sa, const char *host, int port)
{
	e->err = err;
	e->op = op;
	memset(&e->addr, 0, sizeof(e->addr));
	if (sa)
		memcpy(&e->addr, sa, sa->sa_family == AF_INET6 ?
		    sizeof(struct sockaddr_in6) : sizeof(struct sockaddr_in));
	e->host = host;
	e->port = port;
	errno = err;
	return -1;
}

void
net_die(const struct net_err *e)
{
	char what[REPR_MAX(200) + 24], *w = what;

	/* The address, or the host and port asked for, after a space. */
	*w = '\0';
	if (e->addr.ss_family) {
		*w++ = ' ';
		repr_addr(w, REPR_ADDR_MAX, (const struct sockaddr *)&e->addr);
	} else if (e->host) {
		size_t n = strlen(e->host);

		memcpy(w, " (", 2);
		w += 2 + repr_text(w + 2, e->host, n > 200 ? 200 : n);
		snprintf(w, sizeof(what) - (size_t)(w - what), ", %d)",
		    e->port);
	}
	/* "connect to ('127.0.0.1', 1060)" */
	die(EXIT_SYSTEM, e->err, "%s%s", e->op, what);
}

int
net_resolve(const char *host, int port, int family, int socktype,
    int passive, struct addrinfo **res, struct net_err *e)
{
	struct addrinfo hints;
	char service[8];
	int rc;

	memset(&hints, 0, sizeof(hints));
	hints.ai_family = family;
	hints.ai_socktype = socktype;
	hints.ai_flags = AI_NUMERICSERV | (passive ? AI_PASSIVE : 0);
	snprintf(service, sizeof(service), "%d", port);
	/* The book's "" is every interface; IPv4 unless -6 says otherwise. */
	if (host[0] == '\0') {
		host = NULL;
		if (family == 0)
			hints.ai_family = AF_INET;
		if (!passive)
			hints.ai_flags &= ~AI_PASSIVE;
	}
	rc = getaddrinfo(host, service, &hints, res);
	if (rc == EAI_SYSTEM)
		return net_fail(e, errno, "resolve", NULL, host ? host : "",
		    port);
	if (rc != 0)
		return net_fail(e, ERR_GAI(rc), "resolve", NULL,
		    host ? host : "", port);
	return 0;
}

/* Bind (and listen on) one address; -1 with e filled. */
static int
listen_one(const struct addrinfo *ai, int reuse, struct net_err *e)
{
	const char *op = "socket for";
	int fd, one = 1;

	/* Each step names itself, for the one failure path below. */
	if ((fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC,
	    ai->ai_protocol)) >= 0 &&
	    (op = "set SO_REUSEADDR on", !reuse || setsockopt(fd, SOL_SOCKET,
	    SO_REUSEADDR, &one, sizeof(one)) == 0) &&
	    (op = "bind to", bind(fd, ai->ai_addr, ai->ai_addrlen) == 0) &&
	    (op = "listen on", ai->ai_socktype != SOCK_STREAM ||
	    listen(fd, SOMAXCONN) == 0))
		return fd;
	net_fail(e, errno, op, ai->ai_addr, NULL, 0);
	if (fd >= 0)
		close(fd);
	errno = e->err;
	return -1;
}

/* sin_port and sin6_port lie at the same offset, by design of both. */
static void
set_port(struct sockaddr *sa, int port)
{
	((struct sockaddr_in *)(void *)sa)->sin_port = htons((uint16_t)port);
}

/* An address listed twice (a name twice in /etc/hosts) is bound once. */
static int
seen_before(const struct addrinfo *res, const struct addrinfo *ai)
{
	for (; res != ai; res = res->ai_next)
		if (res->ai_addrlen == ai->ai_addrlen &&
		    memcmp(res->ai_addr, ai->ai_addr, ai->ai_addrlen) == 0)
			return 1;
	return 0;
}

int
net_listen(const char *host, int port, int family, int socktype, int reuse,
    int *fds, int max, struct net_err *e)
{
	struct addrinfo *res, *ai;
	struct net_err first;
	struct sockaddr_storage ss;
	int n, shared, hard, tries = 0;

	if (net_resolve(host, port, family, socktype, 1, &res, e) < 0)
		return -1;
	do {
		n = hard = 0;
		shared = port;
		first.err = 0;
		for (ai = res; ai && n < max && !hard; ai = ai->ai_next) {
			int fd;

			set_port(ai->ai_addr, shared);
			if (seen_before(res, ai))
				continue;
			if ((fd = listen_one(ai, reuse, e)) >= 0) {
				if (shared == 0 && net_sockname(fd, &ss) == 0)
					shared = repr_port((void *)&ss);
				fds[n++] = fd;
			} else if (!first.err)
				first = *e;
			hard = fd < 0 && e->err != EAFNOSUPPORT &&
			    e->err != EADDRNOTAVAIL;
		}
		if (hard)
			while (n > 0)
				close(fds[--n]);
	/* Port 0: the port the OS gave the first may be taken on another. */
	} while (hard && port == 0 && shared != 0 && e->err == EADDRINUSE &&
	    ++tries < 8);
	freeaddrinfo(res);
	if (n == 0 && !hard)
		*e = first;
	return n > 0 ? n : -1;
}

int
net_connect(const char *host, int port, int family, int socktype,
    struct net_err *e)
{
	struct addrinfo *res, *ai;
	struct net_err first = { 0 };
	int fd = -1;

	if (net_resolve(host, port, family, socktype, 0, &res, e) < 0)
		return -1;
	for (ai = res; ai; ai = ai->ai_next) {
		fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC,
		    ai->ai_protocol);
		if (fd < 0) {
			if (!first.err)
				net_fail(&first, errno, "socket for",
				    ai->ai_addr, NULL, 0);
			continue;
		}
		while (connect(fd, ai->ai_addr, ai->ai_addrlen) < 0) {
			if (errno == EINTR) {
				err_check_signal();
				/* The handshake goes on; wait for its end. */
				if (net_wait(fd, POLLOUT, -1) > 0) {
					int soerr = 0;
					socklen_t l = sizeof(soerr);

					getsockopt(fd, SOL_SOCKET, SO_ERROR,
					    &soerr, &l);
					if (soerr == 0)
						break;
					errno = soerr;
				}
			}
			if (!first.err)
				net_fail(&first, errno, "connect to",
				    ai->ai_addr, NULL, 0);
			close(fd);
			fd = -1;
			break;
		}
		if (fd >= 0)
			break;
	}
	freeaddrinfo(res);
	if (fd < 0)
		*e = first;
	return fd;
}

long long
net_now_ns(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1000000000LL + t.tv_nsec;
}

long long
net_now_ms(void)
{
	return net_now_ns() / 1000000;
}

int
net_poll(struct pollfd *p, int np, int timeout_ms)
{
	long long end = timeout_ms < 0 ? 0 : net_now_ms() + timeout_ms;

	out_flush();
	for (;;) {
		long long left = timeout_ms < 0 ? -1 : end - net_now_ms();
		struct timespec ts, *tsp = NULL;
		sigset_t old;
		int n;

		if (timeout_ms >= 0) {
			if (left < 0)
				left = 0;
			ts.tv_sec = left / 1000;
			ts.tv_nsec = left % 1000 * 1000000;
			tsp = &ts;
		}
		/* A SIGTERM just before the wait must still end it. */
		err_hold_signals(&old);
		n = ppoll(p, (nfds_t)np, tsp, &old);
		err_release_signals(&old);
		if (n >= 0)
			return n;
		if (errno == EINTR)
			err_check_signal();
	}
}

int
net_wait(int fd, short events, int timeout_ms)
{
	struct pollfd p = { .fd = fd, .events = events };

	return net_poll(&p, 1, timeout_ms) > 0 ? p.revents : 0;
}

/*
 * Send or receive all n bytes, whatever signals or a non-blocking fd do;
 * a receive stops early at EOF.  The bytes moved, or -1.
 */
static ssize_t
move_all(int fd, char *buf, size_t n, int out, struct net_err *e)
{
	size_t done = 0;

	while (done < n) {
		ssize_t r = out ? send(fd, buf + done, n - done, MSG_NOSIGNAL) :
		    recv(fd, buf + done, n - done, 0);

		if (r == 0 && !out)
			break;
		if (r < 0) {
			if (errno == EINTR) {
				err_check_signal();
				continue;
			}
			if (errno == EAGAIN || errno == EWOULDBLOCK) {
				net_wait(fd, out ? POLLOUT : POLLIN, -1);
				continue;
			}
			return net_fail(e, errno, out ? "send to" : "recv from",
			    NULL, NULL, 0);
		}
		done += (size_t)r;
	}
	return (ssize_t)done;
}

ssize_t
net_recvall(int fd, void *buf, size_t n, struct net_err *e)
{
	return move_all(fd, buf, n, 0, e);
}

int
net_sendall(int fd, const void *buf, size_t n, struct net_err *e)
{
	/* move_all() only reads buf when it sends. */
	return move_all(fd, (void *)buf, n, 1, e) < 0 ? -1 : 0;
}

int
net_sockname(int fd, struct sockaddr_storage *ss)
{
	socklen_t l = sizeof(*ss);

	memset(ss, 0, sizeof(*ss));
	return getsockname(fd, (struct sockaddr *)ss, &l);
}

int
net_peername(int fd, struct sockaddr_storage *ss)
{
	socklen_t l = sizeof(*ss);

	memset(ss, 0, sizeof(*ss));
	return getpeername(fd, (struct sockaddr *)ss, &l);
}

int
net_nonblock(int fd)
{
	int one = 1;

	/* FIONBIO: one call, and no fcntl import. */
	return ioctl(fd, FIONBIO, &one);
}

int
net_is_loopback(const struct sockaddr *sa)
{
	if (sa->sa_family == AF_INET)
		return ((const unsigned char *)&((const struct sockaddr_in *)
		    (const void *)sa)->sin_addr)[0] == 127;
	if (sa->sa_family == AF_INET6) {
		const struct in6_addr *a =
		    &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr;

		return IN6_IS_ADDR_LOOPBACK(a) ||
		    (IN6_IS_ADDR_V4MAPPED(a) && a->s6_addr[12] == 127);
	}
	return 0;
}
