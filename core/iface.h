/* This machine's interfaces: their addresses, whether they take multicast. */
#ifndef NETDEMO_IFACE_H
#define NETDEMO_IFACE_H

#include <sys/socket.h>

/*
 * The addresses of the interface called name, of family (0: both), in the
 * order the system lists them (IPv4 first), IPv6 link-local ones with
 * their zone: how many it has, of which the first max are stored in out[]
 * (port 0), or -1 with errno when the system cannot say.
 */
int	iface_addrs(const char *name, int family, struct sockaddr_storage *out,
	    int max);

/*
 * 1 when the interface called name takes multicast (IFF_MULTICAST), 0 when
 * it does not, -1 with errno (ENODEV: there is no such interface).
 */
int	iface_multicast(const char *name);

#endif
