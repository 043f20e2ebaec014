/* This machine's interfaces: their addresses, whether they take multicast. */
#include <errno.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <netinet/in.h>
#include <string.h>

#include "iface.h"

int
iface_addrs(const char *name, int family, struct sockaddr_storage *out,
    int max)
{
	struct ifaddrs *all;
	int n = 0;

	if (getifaddrs(&all) < 0)
		return -1;
	for (struct ifaddrs *i = all; i; i = i->ifa_next) {
		const struct sockaddr *sa = i->ifa_addr;
		size_t len = sizeof(struct sockaddr_in);

		if (!sa || strcmp(i->ifa_name, name) != 0 ||
		    (sa->sa_family != AF_INET && sa->sa_family != AF_INET6) ||
		    (family && sa->sa_family != family))
			continue;
		if (sa->sa_family == AF_INET6)
			len = sizeof(struct sockaddr_in6);
		if (n < max) {
			memset(&out[n], 0, sizeof(out[n]));
			memcpy(&out[n], sa, len);
		}
		n++;
	}
	freeifaddrs(all);
	return n;
}

int
iface_multicast(const char *name)
{
	struct ifaddrs *all;
	int r = -1;

	if (getifaddrs(&all) < 0)
		return -1;
	/* Every interface has an entry (AF_PACKET) even without addresses. */
	for (struct ifaddrs *i = all; i && r < 0; i = i->ifa_next)
		if (strcmp(i->ifa_name, name) == 0)
			r = (i->ifa_flags & IFF_MULTICAST) != 0;
	freeifaddrs(all);
	if (r < 0)
		errno = ENODEV;
	return r;
}
