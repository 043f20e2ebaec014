/* A datagram's own destination, so that its reply leaves from there. */
#include <string.h>

#include "aim.h"
#include "net.h"
#include "pktinfo.h"

int
pktinfo_needed(const struct sockaddr *sa)
{
	return net_is_any(sa) || aim_is_multicast(sa);
}

int
pktinfo_listen(int fd, const struct sockaddr *sa, struct net_err *e)
{
	if (sa->sa_family == AF_INET6)
		return net_setopt(fd, IPPROTO_IPV6, IPV6_RECVPKTINFO, 1,
		    "set IPV6_RECVPKTINFO on", sa, e);
	return net_setopt(fd, IPPROTO_IP, IP_PKTINFO, 1, "set IP_PKTINFO on",
	    sa, e);
}

/*
 * The kernel takes the source from the pktinfo and leaves the way out to
 * the routing table, as unbound does: naming the interface as well would
 * bypass the routes, and break a host whose replies leave by another
 * interface than the requests came in.  Only where an address does not
 * say the interface (a link-local one, a group's: IPv6 then picks our
 * address on it) does the interface go too.
 */
size_t
pktinfo_reply(const struct msghdr *in, void *out)
{
	struct msghdr m = { .msg_control = out,
	    .msg_controllen = PKTINFO_SPACE };
	struct cmsghdr *c, *r = CMSG_FIRSTHDR(&m);

	for (c = CMSG_FIRSTHDR(in); c; c = CMSG_NXTHDR((struct msghdr *)in,
	    c)) {
		if (c->cmsg_level == IPPROTO_IP &&
		    c->cmsg_type == IP_PKTINFO) {
			struct in_pktinfo pi;

			/* ipi_spec_dst: for a group or a broadcast, ours. */
			memcpy(&pi, CMSG_DATA(c), sizeof(pi));
			pi.ipi_ifindex = 0;
			pi.ipi_addr.s_addr = 0;
			r->cmsg_level = IPPROTO_IP;
			r->cmsg_type = IP_PKTINFO;
			r->cmsg_len = CMSG_LEN(sizeof(pi));
			memcpy(CMSG_DATA(r), &pi, sizeof(pi));
			return CMSG_SPACE(sizeof(pi));
		}
		if (c->cmsg_level == IPPROTO_IPV6 &&
		    c->cmsg_type == IPV6_PKTINFO) {
			struct in6_pktinfo pi;

			memcpy(&pi, CMSG_DATA(c), sizeof(pi));
			if (IN6_IS_ADDR_MULTICAST(&pi.ipi6_addr))
				pi.ipi6_addr = in6addr_any;
			else if (!IN6_IS_ADDR_LINKLOCAL(&pi.ipi6_addr))
				pi.ipi6_ifindex = 0;
			r->cmsg_level = IPPROTO_IPV6;
			r->cmsg_type = IPV6_PKTINFO;
			r->cmsg_len = CMSG_LEN(sizeof(pi));
			memcpy(CMSG_DATA(r), &pi, sizeof(pi));
			return CMSG_SPACE(sizeof(pi));
		}
	}
	return 0;
}
