/* Where a client's packets leave from and how they are marked. */
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "aim.h"
#include "net.h"

int
aim_is_multicast(const struct sockaddr *sa)
{
	if (sa->sa_family == AF_INET)
		return IN_MULTICAST(ntohl(((const struct sockaddr_in *)
		    (const void *)sa)->sin_addr.s_addr));
	if (sa->sa_family == AF_INET6)
		return IN6_IS_ADDR_MULTICAST(&((const struct sockaddr_in6 *)
		    (const void *)sa)->sin6_addr);
	return 0;
}

/* The marks: TOS and TTL, for the family and the kind of destination. */
static int
mark(int fd, const struct aim *a, const struct sockaddr *to,
    struct net_err *e)
{
	int v6 = to->sa_family == AF_INET6, multi = aim_is_multicast(to);

	if (a->tos >= 0 && (v6 ? net_setopt(fd, IPPROTO_IPV6, IPV6_TCLASS,
	    a->tos, "set IPV6_TCLASS on", NULL, e) : net_setopt(fd,
	    IPPROTO_IP, IP_TOS, a->tos, "set IP_TOS on", NULL, e)) < 0)
		return -1;
	if (a->ttl <= 0)
		return 0;
	if (multi)
		return v6 ? net_setopt(fd, IPPROTO_IPV6, IPV6_MULTICAST_HOPS,
		    (int)a->ttl, "set IPV6_MULTICAST_HOPS on", NULL, e) :
		    net_setopt(fd, IPPROTO_IP, IP_MULTICAST_TTL, (int)a->ttl,
		    "set IP_MULTICAST_TTL on", NULL, e);
	return v6 ? net_setopt(fd, IPPROTO_IPV6, IPV6_UNICAST_HOPS,
	    (int)a->ttl, "set IPV6_UNICAST_HOPS on", NULL, e) :
	    net_setopt(fd, IPPROTO_IP, IP_TTL, (int)a->ttl, "set IP_TTL on",
	    NULL, e);
}

/* Bind fd to the source address, in to's family, port 0. */
static int
bind_source(int fd, const char *source, const struct sockaddr *to,
    int socktype, struct net_err *e)
{
	struct addrinfo *res;
	int rc;

	if (net_resolve(source, 0, 0, socktype, 1, &res, e) < 0)
		return -1;
	/* The first address of the source's name in the target's family. */
	for (struct addrinfo *ai = res; ai; ai = ai->ai_next)
		if (ai->ai_family == to->sa_family) {
			rc = bind(fd, ai->ai_addr, ai->ai_addrlen);
			if (rc < 0)
				net_fail(e, errno, "bind to", ai->ai_addr,
				    NULL, 0);
			freeaddrinfo(res);
			return rc;
		}
	freeaddrinfo(res);
	return net_fail(e, EAFNOSUPPORT, "bind to", NULL, source, 0);
}

int
aim_device(int fd, const char *iface, struct net_err *e)
{
	static char op[64];

	if (setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, iface,
	    (socklen_t)strlen(iface)) == 0)
		return 0;
	snprintf(op, sizeof(op), "bind to the interface %s", iface);
	return net_fail(e, errno, op, NULL, NULL, 0);
}

int
aim_socket(const struct aim *a, const struct sockaddr *to, int socktype,
    struct net_err *e)
{
	int fd = socket(to->sa_family, socktype | SOCK_CLOEXEC, 0);

	if (fd < 0)
		return net_fail(e, errno, "socket for", to, NULL, 0);
	if (a->iface && aim_device(fd, a->iface, e) < 0)
		goto fail;
	if (mark(fd, a, to, e) < 0)
		goto fail;
	if (a->source && bind_source(fd, a->source, to, socktype, e) < 0)
		goto fail;
	return fd;
fail:
	return net_abandon(fd, e);
}
