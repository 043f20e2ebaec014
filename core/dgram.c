/* A client's datagram socket: aimed, with ICMP errors and a watch on strays. */
#include <errno.h>
#include <net/if.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "aim.h"
#include "dgram.h"
#include "err.h"
#include "errtab.h"
#include "icmp.h"
#include "net.h"
#include "neterr.h"
#include "repr.h"
#include "sig.h"

/* Whether a and b are the same host (port 0: any port) of one family. */
static int
same(const struct sockaddr *a, const struct sockaddr *b, int port)
{
	const struct sockaddr_in *a4 = (const void *)a, *b4 = (const void *)b;
	const struct sockaddr_in6 *a6 = (const void *)a, *b6 = (const void *)b;

	if (a->sa_family != b->sa_family)
		return 0;
	if (a->sa_family == AF_INET)
		return a4->sin_addr.s_addr == b4->sin_addr.s_addr &&
		    (!port || a4->sin_port == b4->sin_port);
	if (a->sa_family == AF_INET6)
		return memcmp(&a6->sin6_addr, &b6->sin6_addr,
		    sizeof(a6->sin6_addr)) == 0 &&
		    (!port || a6->sin6_port == b6->sin6_port);
	return 0;
}

/*
 * The watcher: unconnected, on fd's address and port.  Without it the
 * client still works, only less wisely, so a failure leaves it out.
 */
static void
watch(struct dgram *d, const struct sockaddr_storage *me)
{
	int one = 1;

	d->watch = socket(me->ss_family, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (d->watch < 0)
		return;
	if (setsockopt(d->watch, SOL_SOCKET, SO_REUSEADDR, &one,
	    sizeof(one)) < 0 || (me->ss_family == AF_INET6 &&
	    setsockopt(d->watch, IPPROTO_IPV6, IPV6_V6ONLY, &one,
	    sizeof(one)) < 0) || bind(d->watch, (const struct sockaddr *)me,
	    net_addrlen((const struct sockaddr *)me)) < 0) {
		close(d->watch);
		d->watch = -1;
	}
}

const char *
dgram_scope(const struct aim *a, struct sockaddr *to)
{
	static char msg[128];
	struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)(void *)to;
	unsigned idx = a->iface ? if_nametoindex(a->iface) : 0;
	int group = aim_is_multicast(to);

	if (to->sa_family != AF_INET6 || (!group &&
	    !IN6_IS_ADDR_LINKLOCAL(&s6->sin6_addr)))
		return NULL;
	if (s6->sin6_scope_id && idx && s6->sin6_scope_id != idx) {
		snprintf(msg, sizeof(msg), "argument -I/--interface: %.32s is "
		    "not the interface the address names", a->iface);
		return msg;
	}
	if (s6->sin6_scope_id == 0)
		s6->sin6_scope_id = idx;
	if (group && s6->sin6_scope_id == 0)
		return "an IPv6 group needs an interface: GROUP%IFACE, or "
		    "-I IFACE";
	return NULL;
}

int
dgram_open(struct dgram *d, const struct aim *a, const struct sockaddr *to,
    int flags, struct net_err *e)
{
	struct sockaddr_storage me;
	int v6 = to->sa_family == AF_INET6;

	memset(d, 0, sizeof(*d));
	d->watch = -1;
	d->tolen = net_addrlen(to);
	memcpy(&d->to, to, d->tolen);
	d->connected = (flags & DGRAM_CONNECT) != 0;
	if ((d->fd = aim_socket(a, to, SOCK_DGRAM, e)) < 0)
		return -1;
	if ((flags & DGRAM_BROADCAST) && net_setopt(d->fd, SOL_SOCKET,
	    SO_BROADCAST, 1, "set SO_BROADCAST for", to, e) < 0)
		goto fail;
	if (aim_is_multicast(to) && net_setopt(d->fd, v6 ? IPPROTO_IPV6 :
	    IPPROTO_IP, v6 ? IPV6_MULTICAST_LOOP : IP_MULTICAST_LOOP,
	    (flags & DGRAM_LOOP) != 0, "set the multicast loop for", to,
	    e) < 0)
		goto fail;
	/* Named now, so that the watcher can share the port. */
	if (a->source == NULL) {
		memset(&me, 0, sizeof(me));
		me.ss_family = to->sa_family;
		if (bind(d->fd, (struct sockaddr *)&me,
		    net_addrlen(to)) < 0) {
			net_fail(e, errno, "bind to", (struct sockaddr *)&me,
			    NULL, 0);
			goto fail;
		}
	}
	if (!d->connected)
		return 0;
	if (icmp_listen(d->fd, to->sa_family, e) < 0 || net_setopt(d->fd,
	    SOL_SOCKET, SO_REUSEADDR, 1, "set SO_REUSEADDR for", to, e) < 0)
		goto fail;
	if (net_sockname(d->fd, &me) == 0)
		watch(d, &me);
	if (connect(d->fd, to, d->tolen) < 0) {
		net_fail(e, errno, "connect to", to, NULL, 0);
		goto fail;
	}
	return 0;
fail:
	dgram_close(d);
	errno = e->err;
	return -1;
}

void
dgram_close(struct dgram *d)
{
	if (d->fd >= 0)
		close(d->fd);
	if (d->watch >= 0)
		close(d->watch);
	d->fd = d->watch = -1;
}

/* The ICMP message behind an error, if the kernel queued one. */
static void
read_icmp(struct dgram *d)
{
	unsigned char quote[512];
	struct net_err e;

	d->icmp.origin = ICMP_ORIGIN_NONE;
	d->quoted = 0;
	if (d->connected && icmp_read(d->fd, &d->icmp, quote, sizeof(quote),
	    &d->quoted, &e) <= 0)
		d->icmp.origin = ICMP_ORIGIN_NONE;
}

int
dgram_send(struct dgram *d, const void *p, size_t n, struct net_err *e)
{
	ssize_t r;

	d->icmp.origin = ICMP_ORIGIN_NONE;
	do
		r = d->connected ? send(d->fd, p, n, 0) : sendto(d->fd, p, n,
		    0, (const struct sockaddr *)&d->to, d->tolen);
	while (r < 0 && errno == EINTR && !sig_caught());
	if (r >= 0)
		return 0;
	net_fail(e, errno, "send to", (const struct sockaddr *)&d->to, NULL,
	    0);
	read_icmp(d);
	return -1;
}

int
dgram_recv(struct dgram *d, void *buf, size_t cap, size_t *n,
    struct sockaddr_storage *from, struct net_err *e)
{
	socklen_t fromlen = sizeof(*from);
	ssize_t r;

	d->icmp.origin = ICMP_ORIGIN_NONE;
	r = recvfrom(d->fd, buf, cap, MSG_DONTWAIT, (struct sockaddr *)from,
	    &fromlen);
	if (r >= 0) {
		*n = (size_t)r;
		return 1;
	}
	if (errno == EINTR)
		return 0;
	if (errno == EAGAIN || errno == EWOULDBLOCK) {
		/* An error record whose errno a send took already. */
		read_icmp(d);
		if (d->icmp.origin != ICMP_ORIGIN_ICMP &&
		    d->icmp.origin != ICMP_ORIGIN_ICMP6)
			return 0;
		errno = d->icmp.err;
	} else {
		int err = errno;

		read_icmp(d);
		errno = err;
	}
	return net_fail(e, errno, "recv from", (const struct sockaddr *)&d->to,
	    NULL, 0);
}

void
dgram_drain_watch(struct dgram *d)
{
	struct sockaddr_storage from;
	socklen_t fromlen;
	char b;

	if (d->watch < 0)
		return;
	for (;;) {
		fromlen = sizeof(from);
		if (recvfrom(d->watch, &b, 1, MSG_DONTWAIT | MSG_TRUNC,
		    (struct sockaddr *)&from, &fromlen) < 0)
			return;
		/* The server's own, in the moment before connect(). */
		if (same((struct sockaddr *)&from, (struct sockaddr *)&d->to,
		    1))
			continue;
		if (d->strays == 0)
			d->stray = from;
		if (same((struct sockaddr *)&from,
		    (struct sockaddr *)&d->stray, 1))
			d->strays++;
	}
}

/* Whether the last error came as an ICMP message. */
static int
by_icmp(const struct dgram *d)
{
	return d->icmp.origin == ICMP_ORIGIN_ICMP ||
	    d->icmp.origin == ICMP_ORIGIN_ICMP6;
}

void
dgram_blame(const struct dgram *d, const struct net_err *e, int broadcast,
    char *what, size_t cap)
{
	const struct icmp_report *r = &d->icmp;
	const struct sockaddr *to = (const struct sockaddr *)&d->to;

	neterr_what(e, what, cap);
	if (!by_icmp(d)) {
		/* Only a broadcast address makes connect() or send() EACCES. */
		if (e->err == EACCES && to->sa_family == AF_INET && !broadcast)
			err_set_hint("sending to a broadcast address needs "
			    "--broadcast");
		return;
	}
	/* A port unreachable from the server's host: the book's words. */
	if (icmp_meaning(r) == ICMP_REFUSED &&
	    same((const struct sockaddr *)&r->offender, to, 0)) {
		err_set_from(icmp_name(r),
		    (const struct sockaddr *)&r->offender);
		return;
	}
	neterr_icmp(r, to, what, cap);
}

const char *
dgram_error_text(const struct dgram *d, const struct net_err *e, char *buf,
    size_t cap)
{
	if (by_icmp(d))
		return icmp_describe(&d->icmp, buf, cap);
	snprintf(buf, cap, "%s: [Errno %d] %s", errtab_pyname(e->err),
	    errtab_number(e->err), errtab_text(e->err));
	return buf;
}

void
dgram_elsewhere(const struct dgram *d, char *what, size_t cap)
{
	const struct sockaddr *to = (const struct sockaddr *)&d->to;
	char where[REPR_ADDR_MAX], from[REPR_ADDR_MAX], host[REPR_ADDR_MAX];

	repr_addr(where, sizeof(where), to);
	repr_addr(from, sizeof(from), (const struct sockaddr *)&d->stray);
	repr_host(host, sizeof(host), to);
	if (d->strays == 1)
		snprintf(what, cap, "no reply from %s, but a datagram came "
		    "back from %s", where, from);
	else
		snprintf(what, cap, "no reply from %s, but %lld datagrams "
		    "came back from %s", where, d->strays, from);
	err_set_from(NULL, (const struct sockaddr *)&d->stray);
	err_set_hint("the server answers from another of its addresses; "
	    "--promiscuous takes such answers, or bind the server to %s",
	    host);
}
