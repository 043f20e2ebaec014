/* mtu-probe: the path MTU; --once is the book's big_sender. */
#include <errno.h>
#include <netinet/in.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "../core/applet.h"
#include "../core/err.h"
#include "../core/net.h"
#include "../core/opt.h"
#include "../core/out.h"
#include "../core/repr.h"

struct conf {
	struct common	 c;
	int		 once;
};

#define C(f) offsetof(struct conf, f)

static const struct opt opts[] = {
	{ 0, "once", OPT_FLAG, C(once), NULL,
	    "the book's one shot: one oversize datagram, then the kernel's MTU",
	    0, 0, NULL },
	{ 0, NULL, 0, 0, NULL, NULL, 0, 0, NULL }
};

/* The book's datagram: larger than any UDP datagram can be. */
#define BIG	999999

/* Don't fragment, so the kernel refuses what does not fit the path. */
static int
set_df(int fd, int family)
{
	int v;

	if (family == AF_INET6) {
		v = IPV6_PMTUDISC_DO;
		return setsockopt(fd, IPPROTO_IPV6, IPV6_MTU_DISCOVER, &v,
		    sizeof(v));
	}
	v = IP_PMTUDISC_DO;
	return setsockopt(fd, IPPROTO_IP, IP_MTU_DISCOVER, &v, sizeof(v));
}

static int
kernel_mtu(int fd, int family, int *mtu)
{
	socklen_t l = sizeof(*mtu);

	if (family == AF_INET6)
		return getsockopt(fd, IPPROTO_IPV6, IPV6_MTU, mtu, &l);
	return getsockopt(fd, IPPROTO_IP, IP_MTU, mtu, &l);
}

static int
once(int fd, int family)
{
	char *big = malloc(BIG);
	int mtu;
	ssize_t n;

	if (!big)
		die(EXIT_SYSTEM, ENOMEM, "allocate the big datagram");
	memset(big, '#', BIG);
	n = send(fd, big, BIG, 0);
	free(big);
	if (n >= 0) {
		OUT("sent", "The big datagram was sent!");
		return EXIT_OK;
	}
	/* Like the book, any socket error means it did not make it. */
	OUT("toobig", "Alas, the datagram did not make it",
	    OF_INT("errno", errno));
	if (kernel_mtu(fd, family, &mtu) < 0)
		die(EXIT_SYSTEM, errno, "read IP_MTU");
	OUT("mtu", "Actual MTU: {}", OF_INT("mtu", mtu));
	return EXIT_OK;
}

static int
mtu_probe_main(const struct applet *ap, const struct alias *al,
    const char *prog, int argc, char **argv)
{
	struct conf cf = { .c.port = 1060 };
	char *operand[OPT_MAX_OPERANDS];
	struct sockaddr_storage them;
	struct net_err e;
	int fd, family, rc;

	opt_cli(ap, al, prog, argc, argv, &cf, operand);
	family = cf.c.ipv4 ? AF_INET : cf.c.ipv6 ? AF_INET6 : 0;
	if ((fd = net_connect(operand[0], cf.c.port, family, SOCK_DGRAM,
	    &e)) < 0)
		die(EXIT_SYSTEM, e.err, "%s", net_what(&e));
	net_peername(fd, &them);
	family = them.ss_family;
	if (set_df(fd, family) < 0)
		die(EXIT_SYSTEM, errno, "set don't-fragment");
	rc = once(fd, family);
	close(fd);
	return rc;
}

const struct applet mtu_probe_applet = {
	"mtu-probe", "HOST",
	"find the path MTU to HOST (--once: the book's big_sender)",
	opts, 1, 1, mtu_probe_main
};
