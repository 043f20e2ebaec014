/* Socket helpers: resolve, listen, connect, send and receive it all. */
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "clock.h"
#include "errtab.h"
#include "net.h"
#include "sig.h"

int
net_fail(struct net_err *e, int err, const char *op,
    const struct sockaddr *sa, const char *host, int port)
{
	e->err = err;
	e->op = op;
	memset(&e->addr, 0, sizeof(e->addr));
	if (sa)
		memcpy(&e->addr, sa, net_addrlen(sa));
	e->host = host;
	e->port = port;
	errno = err;
	return -1;
}

int
net_setopt(int fd, int level, int name, int v, const char *op,
    const struct sockaddr *sa, struct net_err *e)
{
	if (setsockopt(fd, level, name, &v, sizeof(v)) < 0)
		return net_fail(e, errno, op, sa, NULL, 0);
	return 0;
}

int
net_abandon(int fd, const struct net_err *e)
{
	close(fd);
	errno = e->err;
	return -1;
}

socklen_t
net_addrlen(const struct sockaddr *sa)
{
	return sa->sa_family == AF_INET6 ? sizeof(struct sockaddr_in6) :
	    sizeof(struct sockaddr_in);
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
		return net_fail(e, ERRTAB_GAI(rc), "resolve", NULL,
		    host ? host : "", port);
	return 0;
}

void
net_set_port(struct sockaddr *sa, int port)
{
	if (sa->sa_family == AF_INET6)
		((struct sockaddr_in6 *)(void *)sa)->sin6_port =
		    htons((uint16_t)port);
	else if (sa->sa_family == AF_INET)
		((struct sockaddr_in *)(void *)sa)->sin_port =
		    htons((uint16_t)port);
}

/*
 * Wait for fd to become ready for events, at most timeout_ms (-1: as long
 * as it takes): 1, 0 when the time ran out, -1 with EINTR when SIGINT or
 * SIGTERM came.
 */
static int
wait_ready(int fd, short events, int timeout_ms)
{
	struct pollfd p = { .fd = fd, .events = events };
	long long end = timeout_ms < 0 ? -1 : clock_ms() + timeout_ms;
	struct timespec ts;
	sigset_t old;
	int n;

	for (;;) {
		sig_hold(&old);
		n = sig_caught() ? -1 : ppoll(&p, 1, clock_left(end, &ts),
		    &old);
		sig_release(&old);
		if (n >= 0)
			return n > 0;
		if (sig_caught() || errno != EINTR) {
			if (sig_caught())
				errno = EINTR;
			return -1;
		}
	}
}

int
net_connect_within(int fd, const struct sockaddr *to, int timeout_ms,
    struct net_err *e)
{
	int flags = fcntl(fd, F_GETFL), soerr = 0, rc;
	socklen_t l = sizeof(soerr);

	if (flags < 0 || fcntl(fd, F_SETFL, flags | O_NONBLOCK) < 0)
		return net_fail(e, errno, "connect to", to, NULL, 0);
	rc = connect(fd, to, net_addrlen(to));
	if (rc < 0 && errno != EINPROGRESS) {
		net_fail(e, errno, "connect to", to, NULL, 0);
		goto out;
	}
	if (rc < 0) {
		rc = wait_ready(fd, POLLOUT, timeout_ms);
		if (rc == 0)
			rc = net_fail(e, ETIMEDOUT, "connect to", to, NULL, 0);
		else if (rc < 0)
			net_fail(e, errno, "connect to", to, NULL, 0);
		else if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &soerr, &l) < 0)
			rc = net_fail(e, errno, "connect to", to, NULL, 0);
		else if (soerr != 0)
			rc = net_fail(e, soerr, "connect to", to, NULL, 0);
		else
			rc = 0;
	}
out:
	(void)fcntl(fd, F_SETFL, flags);
	if (rc < 0)
		errno = e->err;
	return rc;
}

int
net_connect(const char *host, int port, int family, int socktype,
    struct net_err *e)
{
	struct addrinfo *res, *ai;
	struct net_err first = { 0 };
	int fd = -1, soerr;
	socklen_t l = sizeof(soerr);

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
		if (connect(fd, ai->ai_addr, ai->ai_addrlen) == 0)
			break;
		/* A signal does not stop the handshake: wait for its end. */
		if (errno == EINTR && wait_ready(fd, POLLOUT, -1) > 0 &&
		    getsockopt(fd, SOL_SOCKET, SO_ERROR, &soerr, &l) == 0) {
			if (soerr == 0)
				break;
			errno = soerr;
		}
		if (!first.err || errno == EINTR)
			net_fail(&first, errno, "connect to", ai->ai_addr,
			    NULL, 0);
		close(fd);
		fd = -1;
		if (errno == EINTR)
			break;
	}
	freeaddrinfo(res);
	if (fd < 0)
		*e = first;
	return fd;
}

/* All n bytes sent, whatever signals or a non-blocking fd do; or -1. */
int
net_sendall(int fd, const void *buf, size_t n, struct net_err *e)
{
	const char *p = buf;
	size_t done = 0;

	while (done < n) {
		ssize_t r = send(fd, p + done, n - done, MSG_NOSIGNAL);

		if (r >= 0) {
			done += (size_t)r;
			continue;
		}
		if (errno == EINTR && !sig_caught())
			continue;
		if ((errno == EAGAIN || errno == EWOULDBLOCK) &&
		    wait_ready(fd, POLLOUT, -1) > 0)
			continue;
		return net_fail(e, errno, "send to", NULL, NULL, 0);
	}
	return 0;
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
	int flags = fcntl(fd, F_GETFL);

	return flags < 0 ? -1 : fcntl(fd, F_SETFL, flags | O_NONBLOCK);
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

int
net_is_any(const struct sockaddr *sa)
{
	if (sa->sa_family == AF_INET)
		return ((const struct sockaddr_in *)(const void *)sa)->
		    sin_addr.s_addr == htonl(INADDR_ANY);
	if (sa->sa_family == AF_INET6)
		return IN6_IS_ADDR_UNSPECIFIED(&((const struct sockaddr_in6 *)
		    (const void *)sa)->sin6_addr);
	return 0;
}
