/* A datagram's own destination, so that its reply leaves from there. */
#ifndef NETDEMO_PKTINFO_H
#define NETDEMO_PKTINFO_H

#include <netinet/in.h>
#include <stddef.h>
#include <sys/socket.h>

struct net_err;

/* Room for the control message of one datagram, either family. */
#define PKTINFO_SPACE	CMSG_SPACE(sizeof(struct in6_pktinfo))

/*
 * Whether the socket bound to sa needs pktinfo_reply() for its replies to
 * come from the address they were sent to: a wildcard (0.0.0.0, ::) or a
 * multicast group.  One bound to a unicast address answers from it anyway.
 */
int	pktinfo_needed(const struct sockaddr *sa);

/*
 * Ask the socket for each datagram's destination address and interface
 * (IP_PKTINFO, IPV6_RECVPKTINFO); 0, or -1 with e.
 */
int	pktinfo_listen(int fd, const struct sockaddr *sa, struct net_err *e);

/*
 * The control message for the reply to the datagram whose header recvmsg
 * filled (in): it leaves from the address the datagram was sent to, or,
 * when that was a group or a broadcast, from this host's address on the
 * interface it came in on.  Written to out (PKTINFO_SPACE bytes); its
 * length, 0 when in holds none.
 */
size_t	pktinfo_reply(const struct msghdr *in, void *out);

#endif
