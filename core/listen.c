/* A server's sockets: the addresses its operand names, bound on one port. */
#include <errno.h>
#include <net/if.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "aim.h"
#include "iface.h"
#include "listen.h"
#include "mcast.h"
#include "net.h"
#include "repr.h"

/* An interface's addresses, or -1 with e saying why there are none. */
static int
iface_word(const char *name, int family, struct sockaddr_storage *out,
    int max, struct net_err *e)
{
	static char msg[IF_NAMESIZE + 64];
	int n = iface_addrs(name, family, out, max);

	if (n < 0)
		return net_fail(e, errno, "list the addresses of", NULL, name,
		    0);
	if (n > max)
		snprintf(msg, sizeof(msg), "the interface %s has more than %d "
		    "addresses: name one of them", name, max);
	else if (n == 0)
		snprintf(msg, sizeof(msg), family == AF_INET ?
		    "the interface %s has no IPv4 address" :
		    family == AF_INET6 ? "the interface %s has no IPv6 address" :
		    "the interface %s has no address", name);
	else
		return n;
	return net_fail(e, 0, msg, NULL, NULL, 0);
}

int
listen_resolve(const char *word, int family, struct sockaddr_storage *out,
    int max, struct net_err *e)
{
	struct sockaddr_storage literal;
	struct addrinfo *res;
	int n = 0;

	/*
	 * An address is itself, though an interface could bear its name
	 * (mcast_parse() reads any address literal, a group or not).
	 */
	if (word[0] != '\0' && mcast_parse(word, &literal) < 0 &&
	    if_nametoindex(word))
		return iface_word(word, family, out, max, e);
	if (net_resolve(word, 0, family, SOCK_DGRAM, 1, &res, e) < 0)
		return -1;
	for (struct addrinfo *ai = res; ai && n < max; ai = ai->ai_next) {
		memset(&out[n], 0, sizeof(out[n]));
		memcpy(&out[n++], ai->ai_addr, ai->ai_addrlen);
	}
	freeaddrinfo(res);
	return n;
}

/* Bind (and listen on) one address; -1 with e filled. */
static int
bind_one(const struct listen_req *r, const struct sockaddr *sa,
    struct net_err *e)
{
	int fd = socket(sa->sa_family, r->socktype | SOCK_CLOEXEC, 0);
	const char *op;

	if (fd < 0)
		return net_fail(e, errno, "socket for", sa, NULL, 0);
	if (r->reuse && net_setopt(fd, SOL_SOCKET, SO_REUSEADDR, 1,
	    "set SO_REUSEADDR on", sa, e) < 0)
		goto fail;
	if (sa->sa_family == AF_INET6 && net_is_any(sa) && net_setopt(fd,
	    IPPROTO_IPV6, IPV6_V6ONLY, 1, "set IPV6_V6ONLY on", sa, e) < 0)
		goto fail;
	if (r->device && aim_device(fd, r->device, e) < 0)
		goto fail;
	if (bind(fd, sa, net_addrlen(sa)) < 0)
		op = "bind to";
	else if (r->socktype == SOCK_STREAM && listen(fd, SOMAXCONN) < 0)
		op = "listen on";
	else
		return fd;
	net_fail(e, errno, op, sa, NULL, 0);
fail:
	return net_abandon(fd, e);
}

/* An address listed twice (a name twice in /etc/hosts) is bound once. */
static int
seen_before(const struct sockaddr_storage *addrs, int k)
{
	socklen_t len = net_addrlen((const struct sockaddr *)&addrs[k]);

	for (int i = 0; i < k; i++)
		if (memcmp(&addrs[i], &addrs[k], len) == 0)
			return 1;
	return 0;
}

/* An error that means "this machine has no such address", not a fault. */
static int
absent(int err)
{
	return err == EAFNOSUPPORT || err == EADDRNOTAVAIL;
}

/*
 * One pass over the addresses with one port for all; the count bound, or
 * -1 (nothing left open) with e filled.  *port is the port, which the
 * first bind chooses when it is 0.
 */
static int
bind_all(const struct listen_req *r, struct sockaddr_storage *addrs, int n,
    int optional, int *port, int *fds, struct net_err *e)
{
	struct net_err first = { 0 };
	struct sockaddr_storage ss;
	int nfd = 0;

	for (int k = 0; k < n; k++) {
		struct sockaddr *sa = (struct sockaddr *)&addrs[k];
		int fd;

		net_set_port(sa, *port);
		if (seen_before(addrs, k))
			continue;
		if ((fd = bind_one(r, sa, e)) >= 0) {
			if (*port == 0 && net_sockname(fd, &ss) == 0)
				*port = repr_port((struct sockaddr *)&ss);
			fds[nfd++] = fd;
			continue;
		}
		if (!optional || !absent(e->err)) {
			while (nfd > 0)
				close(fds[--nfd]);
			return -1;
		}
		if (!first.err)
			first = *e;
	}
	if (nfd == 0)
		*e = first;
	return nfd > 0 ? nfd : -1;
}

int
listen_bind(struct listen_req *r, struct sockaddr_storage *addrs, int n,
    int optional, int *fds, struct net_err *e)
{
	int got, port;

	if (n == 0)
		return 0;
	/*
	 * Port 0: the port the OS gave the first address may be taken on
	 * another one; try again with a new one a few times.
	 */
	for (int tries = 0;; tries++) {
		port = r->port;
		got = bind_all(r, addrs, n, optional, &port, fds, e);
		if (got >= 0 || r->port != 0 || port == 0 ||
		    e->err != EADDRINUSE || tries == 7)
			break;
	}
	if (got >= 0)
		r->port = port;
	return got;
}

int
listen_open(struct listen_req *r, const char *word, int family, int max,
    int *fds, struct net_err *e)
{
	struct sockaddr_storage addrs[LISTEN_MAX];
	int n = listen_resolve(word, family, addrs, max, e);

	return n < 0 ? -1 : listen_bind(r, addrs, n, 1, fds, e);
}
