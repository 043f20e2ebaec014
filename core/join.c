/* A server's --join and --join-source, checked before any socket. */
#include <errno.h>
#include <net/if.h>
#include <netinet/in.h>
#include <string.h>

#include "cli.h"
#include "err.h"
#include "iface.h"
#include "join.h"
#include "mcast.h"
#include "net.h"
#include "neterr.h"

/* A group's interface: -I's, or its zone; checked to take multicast. */
static unsigned
group_dev(const struct applet *ap, const struct alias *al, const char *prog,
    const char *word, struct sockaddr_storage *g, const char *iface)
{
	struct sockaddr_in6 *g6 = (struct sockaddr_in6 *)g;
	unsigned dev = g->ss_family == AF_INET6 ? g6->sin6_scope_id : 0;
	char name[IF_NAMESIZE];

	if (iface && dev && dev != if_nametoindex(iface))
		cli_usage_error(ap, al, prog, "argument --join: %.64s is on "
		    "another interface than -I %s", word, iface);
	if (iface)
		dev = if_nametoindex(iface);
	if (g->ss_family == AF_INET6 && mcast_needs_iface((void *)g)) {
		if (!dev)
			cli_usage_error(ap, al, prog, "argument --join: %.64s "
			    "needs an interface: %.64s%%IFACE or -I IFACE",
			    word, word);
		/* Bound to a link-local group, the socket needs it too. */
		g6->sin6_scope_id = dev;
	}
	if (dev && if_indextoname(dev, name) && iface_multicast(name) == 0) {
		err_set_hint("turn it on: ip link set dev %s multicast on",
		    name);
		die(EXIT_SYSTEM, 0, "cannot join %s: the interface %s has "
		    "multicast off", word, name);
	}
	return dev;
}

void
join_check(const struct applet *ap, const struct alias *al,
    const char *prog, const struct opt_list *groups,
    const struct opt_list *sources, const char *iface, int family,
    struct join *j)
{
	memset(j, 0, sizeof(*j));
	for (int i = 0; i < groups->n; i++) {
		const char *w = groups->v[i];
		struct sockaddr_storage *g = &j->group[j->ngroup];
		int r = mcast_parse(w, g), again = 0;

		if (r < 0)
			cli_usage_error(ap, al, prog, "argument --join: "
			    "invalid address: '%.64s'", w);
		if (r > 0)
			cli_usage_error(ap, al, prog, "argument --join: %.64s "
			    "is not a multicast address", w);
		cli_check_family(ap, al, prog, w, family, NULL);
		j->dev[j->ngroup] = group_dev(ap, al, prog, w, g, iface);
		for (int k = 0; k < j->ngroup; k++)
			again |= memcmp(&j->group[k], g, sizeof(*g)) == 0;
		if (!again)
			j->ngroup++;
	}
	for (int i = 0; i < sources->n; i++) {
		const char *w = sources->v[i];
		struct sockaddr_storage *s = &j->source[j->nsource++];
		int r = mcast_parse(w, s), used = 0;

		if (r < 0)
			cli_usage_error(ap, al, prog, "argument --join-source: "
			    "invalid address: '%.64s'", w);
		if (r == 0)
			cli_usage_error(ap, al, prog, "argument --join-source: "
			    "%.64s is a group, not a source", w);
		for (int k = 0; k < j->ngroup; k++)
			used |= j->group[k].ss_family == s->ss_family;
		if (!used && s->ss_family == AF_INET)
			cli_usage_error(ap, al, prog, "argument --join-source: "
			    "no IPv4 group to join for %.64s", w);
		if (!used)
			cli_usage_error(ap, al, prog, "argument --join-source: "
			    "no IPv6 group to join for %.64s", w);
	}
}

void
join_group(const struct join *j, int k, int fd)
{
	const struct sockaddr *g = (const struct sockaddr *)&j->group[k];
	struct net_err e;
	int any = 1, rc = 0;

	for (int i = 0; i < j->nsource && rc == 0; i++)
		if (j->source[i].ss_family == g->sa_family) {
			any = 0;
			rc = mcast_join(fd, g, j->dev[k],
			    (const struct sockaddr *)&j->source[i], &e);
		}
	if (any)
		rc = mcast_join(fd, g, j->dev[k], NULL, &e);
	if (rc == 0)
		return;
	/* Without an interface, the kernel joins where the route goes. */
	if (e.err == ENODEV && !j->dev[k])
		err_set_hint("no route goes to the group: name the interface "
		    "to join it on with -I");
	neterr_die(&e);
}
