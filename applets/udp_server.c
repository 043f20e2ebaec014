/* udp-server: answer each datagram with its length, as the book's servers. */
#include <errno.h>
#include <poll.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "../core/applet.h"
#include "../core/err.h"
#include "../core/net.h"
#include "../core/opt.h"
#include "../core/out.h"
#include "../core/repr.h"
#include "../core/rng.h"

struct conf {
	struct common	 c;
	double		 drop;
	long long	 seed;
	int		 no_reply;
	long long	 count;
};

#define C(f) offsetof(struct conf, f)

static const struct opt opts[] = {
	{ 0, "drop", OPT_RATE, C(drop), "RATE",
	    "drop this share of datagrams, 0 to 1 (udp_remote: 0.5)", 0, 0,
	    NULL },
	{ 0, "seed", OPT_INT, C(seed), "N",
	    "seed the drops, for the same sequence on every run", 0,
	    9007199254740991.0, NULL },
	{ 0, "no-reply", OPT_FLAG, C(no_reply), NULL,
	    "only print what arrives (udp_broadcast)", 0, 0, NULL },
	{ 'c', "count", OPT_INT, C(count), "N",
	    "exit after N datagrams", 1, 9007199254740991.0, NULL },
	{ 0, NULL, 0, 0, NULL, NULL, 0, 0, NULL }
};

/* One wait per batch: recvmmsg takes what has arrived, up to BATCH. */
#define BATCH	16
#define MAXDGRAM 65535

static unsigned char bufs[BATCH][MAXDGRAM];

static int
udp_server_main(const struct applet *ap, const struct alias *al,
    const char *prog, int argc, char **argv)
{
	struct conf cf = { .c.port = 1060, .seed = -1 };
	char *operand[OPT_MAX_OPERANDS];
	struct sockaddr_storage from[BATCH], me;
	struct mmsghdr msgs[BATCH], replies[BATCH];
	struct iovec iov[BATCH], riov[BATCH];
	char rtext[BATCH][40], where[REPR_ADDR_MAX];
	const char *host = "127.0.0.1";
	struct net_err e;
	struct rng rng;
	long long seen = 0;
	int fd, family;

	if (opt_cli(ap, al, prog, argc, argv, &cf, operand) > 0)
		host = operand[0];
	family = cf.c.ipv4 ? AF_INET : cf.c.ipv6 ? AF_INET6 : 0;
	if (family == AF_INET6 && strcmp(host, "127.0.0.1") == 0)
		host = "::1";
	rng_seed(&rng, cf.seed);
	if ((fd = net_listen(host, cf.c.port, family, SOCK_DGRAM, 0, &e)) < 0)
		die(EXIT_SYSTEM, e.err, "%s", net_what(&e));
	net_sockname(fd, &me);
	OUT("listening", cf.no_reply ? "Listening for datagrams at {}" :
	    "Listening at {}", OF_ADDR("address", &me));

	for (int i = 0; i < BATCH; i++) {
		iov[i].iov_base = bufs[i];
		iov[i].iov_len = MAXDGRAM;
	}
	for (;;) {
		unsigned want = BATCH;
		int n, nr = 0;

		if (cf.count && cf.count - seen < BATCH)
			want = (unsigned)(cf.count - seen);
		memset(msgs, 0, sizeof(msgs[0]) * want);
		for (unsigned i = 0; i < want; i++) {
			msgs[i].msg_hdr.msg_name = &from[i];
			msgs[i].msg_hdr.msg_namelen = sizeof(from[i]);
			msgs[i].msg_hdr.msg_iov = &iov[i];
			msgs[i].msg_hdr.msg_iovlen = 1;
		}
		n = recvmmsg(fd, msgs, want, MSG_DONTWAIT, NULL);
		if (n < 0) {
			if (errno == EAGAIN || errno == EWOULDBLOCK) {
				net_wait(fd, POLLIN, -1);
				continue;
			}
			if (errno == EINTR) {
				err_check_signal();
				continue;
			}
			/* A queued ICMP error or the like: note it, go on. */
			repr_addr(where, sizeof(where), (void *)&me);
			warn(errno, "recvfrom on %s", where);
			continue;
		}
		for (int i = 0; i < n; i++) {
			const struct sockaddr *sa = (void *)&from[i];
			size_t len = msgs[i].msg_len;

			if (cf.drop > 0 && rng_next(&rng) < cf.drop) {
				OUT("drop", "Pretending to drop packet from {}",
				    OF_ADDR("from", sa));
				continue;
			}
			OUT("datagram", cf.no_reply ?
			    "The client at {} says: {}" :
			    "The client at {} says {}", OF_ADDR("from", sa),
			    OF_TEXT("data", bufs[i], len),
			    OF_INT("bytes", (long long)len));
			if (cf.no_reply)
				continue;
			riov[nr].iov_base = rtext[nr];
			riov[nr].iov_len = (size_t)snprintf(rtext[nr],
			    sizeof(rtext[nr]), "Your data was %zu bytes long",
			    len);
			memset(&replies[nr], 0, sizeof(replies[nr]));
			replies[nr].msg_hdr.msg_name = &from[i];
			replies[nr].msg_hdr.msg_namelen =
			    msgs[i].msg_hdr.msg_namelen;
			replies[nr].msg_hdr.msg_iov = &riov[nr];
			replies[nr].msg_hdr.msg_iovlen = 1;
			OUT("reply", NULL, OF_ADDR("to", sa),
			    OF_STR("text", rtext[nr]));
			nr++;
		}
		for (int done = 0, retried = 0; done < nr;) {
			int s = sendmmsg(fd, replies + done,
			    (unsigned)(nr - done), 0);

			if (s > 0) {
				done += s;
				continue;
			}
			if (s < 0 && errno == EINTR) {
				err_check_signal();
				continue;
			}
			if (s < 0 && (errno == EAGAIN || errno == ENOBUFS) &&
			    !retried) {
				retried = 1;
				net_wait(fd, POLLOUT, 100);
				continue;
			}
			/* One peer's failure is no reason to stop serving. */
			repr_addr(where, sizeof(where),
			    replies[done].msg_hdr.msg_name);
			warn(errno, "sendto %s", where);
			done++;
			retried = 0;
		}
		seen += n;
		if (cf.count && seen >= cf.count)
			break;
	}
	close(fd);
	return EXIT_OK;
}

const struct applet udp_server_applet = {
	"udp-server", "[INTERFACE]",
	"answer UDP datagrams with their length (default on 127.0.0.1)",
	opts, 0, 1, udp_server_main
};
