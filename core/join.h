/* A server's --join and --join-source, checked before any socket. */
#ifndef NETDEMO_JOIN_H
#define NETDEMO_JOIN_H

#include <sys/socket.h>

#include "opt.h"

struct applet;
struct alias;

/* The groups to join, each once, and the sources to join them for. */
struct join {
	struct sockaddr_storage group[OPT_LIST_MAX];
	unsigned	 dev[OPT_LIST_MAX];	/* its interface, or 0: route */
	int		 ngroup;
	struct sockaddr_storage source[OPT_LIST_MAX];
	int		 nsource;
};

/*
 * Read groups (--join) and sources (--join-source) into j, for family (0:
 * either) and the interface iface (-I, or NULL).  A group's interface is
 * iface, else its zone (ff02::1%eth0), else none (the route to the group
 * decides).  What the command line got wrong is a usage error: no address,
 * a unicast group, a multicast source, a source with no group of its
 * family, an IPv6 link-local group with no interface, a zone that is not
 * iface.  An interface with multicast off (IFF_MULTICAST) exits 1.
 */
void	join_check(const struct applet *ap, const struct alias *al,
	    const char *prog, const struct opt_list *groups,
	    const struct opt_list *sources, const char *iface, int family,
	    struct join *j);

/*
 * Join group k of j on fd: from each source of its family, or from any
 * source when it has none.  Exits 1 when the system refuses, with a hint
 * where there was no interface to join on.
 */
void	join_group(const struct join *j, int k, int fd);

#endif
