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
		union {
			struct in_pktinfo	 v4;
			struct in6_pktinfo	 v6;
		} pi;
		size_t len;

		if (c->cmsg_level == IPPROTO_IP &&
		    c->cmsg_type == IP_PKTINFO) {
			/* ipi_spec_dst: for a group or a broadcast, ours. */
			len = sizeof(pi.v4);
			memcpy(&pi, CMSG_DATA(c), len);
			pi.v4.ipi_ifindex = 0;
			pi.v4.ipi_addr.s_addr = 0;
		} else if (c->cmsg_level == IPPROTO_IPV6 &&
		    c->cmsg_type == IPV6_PKTINFO) {
			len = sizeof(pi.v6);
			memcpy(&pi, CMSG_DATA(c), len);
			if (IN6_IS_ADDR_MULTICAST(&pi.v6.ipi6_addr))
				pi.v6.ipi6_addr = in6addr_any;
			else if (!IN6_IS_ADDR_LINKLOCAL(&pi.v6.ipi6_addr))
				pi.v6.ipi6_ifindex = 0;
		} else
			continue;
		/* The reply's control message: the same kind, amended. */
		r->cmsg_level = c->cmsg_level;
		r->cmsg_type = c->cmsg_type;
		r->cmsg_len = CMSG_LEN(len);
		memcpy(CMSG_DATA(r), &pi, len);
		return CMSG_SPACE(len);
	}
	return 0;
}
