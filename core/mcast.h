/* Multicast groups a server joins, any-source or source-specific. */
#ifndef NETDEMO_MCAST_H
#define NETDEMO_MCAST_H

#include <sys/socket.h>

struct net_err;

/*
 * An address literal (an IPv6 one with its zone, ff02::1%eth0) into out:
 * 0 for a group (224.0.0.0/4, ff00::/8), 1 for any other address, -1 when
 * text is no address.
 */
int	mcast_parse(const char *text, struct sockaddr_storage *out);

/*
 * 1 when the group means nothing without an interface: an IPv6 group of
 * interface-local or link-local scope (ff01::/16, ff02::/16).
 */
int	mcast_needs_iface(const struct sockaddr *group);

/*
 * Join group on fd, on interface ifindex (0: where the route to the group
 * goes); with source, for that source's datagrams only (a source-specific
 * join).  0, or -1 with e.
 */
int	mcast_join(int fd, const struct sockaddr *group, unsigned ifindex,
	    const struct sockaddr *source, struct net_err *e);

/*
 * Deliver to fd only the groups it joined itself, not those other sockets
 * of this host joined on its port (IP_MULTICAST_ALL off, which Linux has
 * on).  0, or -1 with e.
 */
int	mcast_only_joined(int fd, const struct sockaddr *sa, struct net_err *e);

#endif
