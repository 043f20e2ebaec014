/* Multicast groups a server joins, any-source or source-specific. */
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>

#include "aim.h"
#include "mcast.h"
#include "net.h"
#include "repr.h"

/* Linux 4.20 has it; older headers may not. */
#ifndef IPV6_MULTICAST_ALL
#define IPV6_MULTICAST_ALL	29
#endif

int
mcast_parse(const char *text, struct sockaddr_storage *out)
{
	struct addrinfo hints = { .ai_flags = AI_NUMERICHOST,
	    .ai_socktype = SOCK_DGRAM }, *res;

	if (getaddrinfo(text, NULL, &hints, &res) != 0)
		return -1;
	memset(out, 0, sizeof(*out));
	memcpy(out, res->ai_addr, res->ai_addrlen);
	freeaddrinfo(res);
	return aim_is_multicast((struct sockaddr *)out) ? 0 : 1;
}

int
mcast_needs_iface(const struct sockaddr *group)
{
	const struct in6_addr *a;

	if (group->sa_family != AF_INET6)
		return 0;
	a = &((const struct sockaddr_in6 *)(const void *)group)->sin6_addr;
	return IN6_IS_ADDR_MC_NODELOCAL(a) || IN6_IS_ADDR_MC_LINKLOCAL(a);
}

int
mcast_join(int fd, const struct sockaddr *group, unsigned ifindex,
    const struct sockaddr *source, struct net_err *e)
{
	int level = group->sa_family == AF_INET6 ? IPPROTO_IPV6 : IPPROTO_IP;
	struct group_source_req gs = { .gsr_interface = ifindex };
	struct group_req g = { .gr_interface = ifindex };
	static char op[REPR_ADDR_MAX + 32];
	char from[REPR_ADDR_MAX];

	memcpy(&g.gr_group, group, net_addrlen(group));
	if (!source) {
		if (setsockopt(fd, level, MCAST_JOIN_GROUP, &g, sizeof(g)) < 0)
			return net_fail(e, errno, "join", group, NULL, 0);
		return 0;
	}
	memcpy(&gs.gsr_group, group, net_addrlen(group));
	memcpy(&gs.gsr_source, source, net_addrlen(source));
	if (setsockopt(fd, level, MCAST_JOIN_SOURCE_GROUP, &gs,
	    sizeof(gs)) == 0)
		return 0;
	repr_host(from, sizeof(from), source);
	snprintf(op, sizeof(op), "join, for the source %s only,", from);
	return net_fail(e, errno, op, group, NULL, 0);
}

int
mcast_only_joined(int fd, const struct sockaddr *sa, struct net_err *e)
{
	if (sa->sa_family != AF_INET6)
		return net_setopt(fd, IPPROTO_IP, IP_MULTICAST_ALL, 0,
		    "set IP_MULTICAST_ALL on", sa, e);
	/* A kernel older than 4.20 has no such option: let it be. */
	if (net_setopt(fd, IPPROTO_IPV6, IPV6_MULTICAST_ALL, 0,
	    "set IPV6_MULTICAST_ALL on", sa, e) < 0 && e->err != ENOPROTOOPT)
		return -1;
	return 0;
}
