/* Where a client's packets leave from and how they are marked. */
#ifndef NETDEMO_AIM_H
#define NETDEMO_AIM_H

#include <sys/socket.h>

struct net_err;

/*
 * -s/--source, -I/--interface, --tos and --ttl, as a client's conf holds
 * them (its table's rows are CLI_AIM_OPTS, core/cli.h).  A conf starts
 * with tos at -1 (AIM_INIT): 0 is a TOS to set.
 */
struct aim {
	const char	*source;	/* a local address, or NULL */
	const char	*iface;		/* an interface name, or NULL */
	int		 tos;		/* 0..255, or -1: the system's */
	long long	 ttl;		/* 1..255, or 0: the system's */
};
#define AIM_INIT	{ .tos = -1 }

/*
 * A socket of family and socktype, aimed: bound to the interface
 * (SO_BINDTODEVICE) and to the source address, its TOS and TTL set (for
 * a multicast destination to, the multicast TTL), ready to connect or
 * send to to.  The fd, or -1 with e filled; a source of the other family
 * than to is EAFNOSUPPORT, with the source as e's host.
 */
int	aim_socket(const struct aim *a, const struct sockaddr *to,
	    int socktype, struct net_err *e);

/*
 * Bind fd to the interface called iface (SO_BINDTODEVICE): it sends
 * through it alone, and takes only what arrives on it.  0, or -1 with e.
 */
int	aim_device(int fd, const char *iface, struct net_err *e);

/* 1 when sa is a multicast address (224.0.0.0/4, ff00::/8). */
int	aim_is_multicast(const struct sockaddr *sa);

#endif
