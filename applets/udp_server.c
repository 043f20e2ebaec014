/* udp-server: answer each datagram with its length, as the book's servers. */
#include <errno.h>
#include <poll.h>
#include <stddef.h>
#include <stdio.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include "../core/book.h"
#include "../core/cli.h"
#include "../core/clock.h"
#include "../core/err.h"
#include "../core/join.h"
#include "../core/limit.h"
#include "../core/listen.h"
#include "../core/mcast.h"
#include "../core/net.h"
#include "../core/neterr.h"
#include "../core/out.h"
#include "../core/pktinfo.h"
#include "../core/repr.h"
#include "../core/rng.h"
#include "../core/wait.h"
#include "applets.h"

struct conf {
	struct common	 c;
	double		 drop;
	long long	 seed;
	int		 no_reply;
	long long	 count;
	long long	 rate_limit;
	const char	*iface;
	struct opt_list	 join, join_source;
};

#define C(f) offsetof(struct conf, f)
#define MAX53	9007199254740991.0
/* Replies a second to each source beyond loopback, unless told. */
#define RATE_DEFAULT 10

static const struct opt opts[] = {
	OPT(0, "drop", OPT_RATE, C(drop), "RATE",
	    "drop this share of datagrams, 0 to 1 (udp_remote: 0.5)", 0, 0),
	OPT(0, "seed", OPT_INT, C(seed), "N",
	    "seed --drop: the same drops on every run", 0, MAX53),
	OPT(0, "no-reply", OPT_FLAG, C(no_reply), "",
	    "only print what arrives (udp_broadcast)", 0, 0),
	OPT('c', "count", OPT_INT, C(count), "N",
	    "exit after N datagrams", 1, MAX53),
	OPT(0, "rate-limit", OPT_INT, C(rate_limit), "N",
	    "replies/s per source; 0: no cap; default 10 off loopback",
	    0, 1000000),
	OPT('I', "interface", OPT_IFACE, C(iface), "IFACE",
	    "only what arrives on IFACE (with no INTERFACE: any address)",
	    0, 0),
	OPT(0, "join", OPT_LIST, C(join), "GROUP",
	    "join this multicast group, answer its datagrams (repeatable)",
	    0, 0),
	OPT(0, "join-source", OPT_LIST, C(join_source), "ADDR",
	    "--join only for datagrams from ADDR (repeatable)", 0, 0),
	OPT_END
};

/* One wait per batch: recvmmsg takes what has arrived, up to BATCH. */
#define BATCH	64
#define MAXDGRAM 65535

static unsigned char bufs[BATCH][MAXDGRAM];

/* The server's state, static so that the exit hook can tell the totals. */
static struct {
	struct conf	 cf;
	int		 fd[LISTEN_MAX], limited[LISTEN_MAX], nfd;
	int		 pktinfo[LISTEN_MAX];	/* replies need the source set */
	struct join	 join;
	struct rng	 rng;
	struct limit	 lim;
	long long	 datagrams, replies, dropped, held, failed;
	long long	 unlogged, next_note;
} sv;

/* Send the batch's replies; one peer's failure never stops the rest. */
static void
send_replies(int fd, struct mmsghdr *rep, int nr)
{
	char where[REPR_ADDR_MAX];

	for (int done = 0, retried = 0; done < nr;) {
		int s = sendmmsg(fd, rep + done, (unsigned)(nr - done), 0);

		if (s > 0) {
			done += s;
			sv.replies += s;
			continue;
		}
		if (s < 0 && errno == EINTR) {
			err_check_signal();
			continue;
		}
		if (s < 0 && (errno == EAGAIN || errno == ENOBUFS) &&
		    !retried) {
			retried = 1;
			wait_fd(fd, POLLOUT, 100);
			continue;
		}
		repr_addr(where, sizeof(where), rep[done].msg_hdr.msg_name);
		warn(errno, "sendto %s", where);
		sv.failed++;
		done++;
		retried = 0;
	}
}

/* At most one log line a second about held-back replies. */
static void
note_held(long long now)
{
	if (sv.unlogged == 0 || now < sv.next_note)
		return;
	if (sv.unlogged == 1)
		err_note("rate limit: 1 reply held back (%lld a second to each "
		    "source; see --rate-limit)", sv.cf.rate_limit);
	else
		err_note("rate limit: %lld replies held back (%lld a second to "
		    "each source; see --rate-limit)", sv.unlogged,
		    sv.cf.rate_limit);
	sv.unlogged = 0;
	sv.next_note = now + 1000;
}

static void
summary(int status)
{
	sv.next_note = 0;
	note_held(0);
	OUT("summary", NULL, OF_INT("datagrams", sv.datagrams),
	    OF_INT("replies", sv.replies), OF_INT("dropped", sv.dropped),
	    OF_INT("limited", sv.held), OF_INT("failed", sv.failed),
	    OF_INT("status", status));
}

/*
 * Take what waits on socket k, up to the count: flags MSG_DONTWAIT, or
 * MSG_WAITFORONE to wait for the first datagram only.  Returns 1 when the
 * batch came back full (more may wait), 0 when it emptied the queue, -1
 * when nothing came (none waiting, the wait timed out, an error noted).
 */
static int
serve(int k, int flags)
{
	static struct sockaddr_storage from[BATCH];
	static struct mmsghdr msgs[BATCH], rep[BATCH];
	static struct iovec iov[BATCH], riov[BATCH];
	static char rtext[BATCH][BOOK_REPLY_MAX];
	/* Each datagram's destination, and its reply's source. */
	static union {
		struct cmsghdr	 h;
		unsigned char	 b[PKTINFO_SPACE];
	} ctl[BATCH], rctl[BATCH];
	int pi = sv.pktinfo[k];
	const struct conf *cf = &sv.cf;
	unsigned want = BATCH;
	long long now = 0;
	int n, nr = 0;

	if (cf->count && cf->count - sv.datagrams < BATCH)
		want = (unsigned)(cf->count - sv.datagrams);
	/* The headers point at the same buffers every time. */
	if (msgs[0].msg_hdr.msg_iov == NULL)
		for (unsigned i = 0; i < BATCH; i++) {
			iov[i].iov_base = bufs[i];
			iov[i].iov_len = MAXDGRAM;
			msgs[i].msg_hdr.msg_name = &from[i];
			msgs[i].msg_hdr.msg_iov = &iov[i];
			msgs[i].msg_hdr.msg_iovlen = 1;
			rep[i].msg_hdr.msg_iov = &riov[i];
			rep[i].msg_hdr.msg_iovlen = 1;
			riov[i].iov_base = rtext[i];
		}
	for (unsigned i = 0; i < want; i++) {
		msgs[i].msg_hdr.msg_namelen = sizeof(from[i]);
		msgs[i].msg_hdr.msg_flags = 0;
		msgs[i].msg_hdr.msg_control = pi ? &ctl[i] : NULL;
		msgs[i].msg_hdr.msg_controllen = pi ? PKTINFO_SPACE : 0;
	}
	n = recvmmsg(sv.fd[k], msgs, want, flags, NULL);
	if (n < 0) {
		char where[REPR_ADDR_MAX];
		struct sockaddr_storage me;

		if (errno == EAGAIN || errno == EWOULDBLOCK)
			return -1;
		if (errno == EINTR) {
			err_check_signal();
			return -1;
		}
		/* A queued ICMP error or the like: note it, go on. */
		net_sockname(sv.fd[k], &me);
		repr_addr(where, sizeof(where), (void *)&me);
		warn(errno, "recvfrom on %s", where);
		return -1;
	}
	if (sv.limited[k])
		now = clock_ms();
	for (int i = 0; i < n; i++) {
		const struct sockaddr *sa = (void *)&from[i];
		size_t len = msgs[i].msg_len;

		sv.datagrams++;
		if (cf->drop > 0 && rng_next(&sv.rng) < cf->drop) {
			sv.dropped++;
			OUT("drop", "Pretending to drop packet from {}",
			    OF_ADDR("from", sa),
			    OF_INT("bytes", (long long)len));
			continue;
		}
		OUT("datagram", cf->no_reply ? "The client at {} says: {}" :
		    "The client at {} says {}", OF_ADDR("from", sa),
		    OF_TEXT("data", bufs[i], len),
		    OF_INT("bytes", (long long)len));
		if (cf->no_reply)
			continue;
		if (sv.limited[k] && !limit_take(&sv.lim, sa, now)) {
			sv.held++;
			sv.unlogged++;
			OUT("limited", NULL, OF_ADDR("to", sa));
			continue;
		}
		riov[nr].iov_len = book_reply(rtext[nr], len);
		rep[nr].msg_hdr.msg_name = &from[i];
		rep[nr].msg_hdr.msg_namelen = msgs[i].msg_hdr.msg_namelen;
		rep[nr].msg_hdr.msg_controllen = pi ?
		    pktinfo_reply(&msgs[i].msg_hdr, &rctl[nr]) : 0;
		rep[nr].msg_hdr.msg_control =
		    rep[nr].msg_hdr.msg_controllen ? &rctl[nr] : NULL;
		if (out_json())
			OUT("reply", NULL, OF_ADDR("to", sa),
			    OF_STR("text", rtext[nr]));
		nr++;
	}
	if (nr > 0)
		send_replies(sv.fd[k], rep, nr);
	if (sv.limited[k])
		note_held(now);
	return (unsigned)n == want;
}

/*
 * The sockets: the INTERFACE operand's addresses (passing over those this
 * machine cannot have), then a socket bound to each group, all on one
 * port; replies from where each datagram was sent, where the address the
 * socket is bound to does not say it.
 */
static void
open_sockets(const char *host, int family)
{
	struct listen_req req = { sv.cf.c.port, SOCK_DGRAM,
	    sv.join.ngroup > 0, sv.cf.iface };
	struct sockaddr_storage me;
	struct net_err e;

	if (host && (sv.nfd = listen_open(&req, host, family, LISTEN_MAX -
	    sv.join.ngroup, sv.fd, &e)) < 0)
		neterr_die(&e);
	if (sv.join.ngroup && listen_bind(&req, sv.join.group,
	    sv.join.ngroup, 0, sv.fd + sv.nfd, &e) < 0)
		neterr_die(&e);
	for (int k = 0; k < sv.join.ngroup; k++)
		join_group(&sv.join, k, sv.fd[sv.nfd++]);
	for (int k = 0; k < sv.nfd; k++) {
		net_sockname(sv.fd[k], &me);
		sv.pktinfo[k] = !sv.cf.no_reply &&
		    pktinfo_needed((struct sockaddr *)&me);
		if ((sv.pktinfo[k] && pktinfo_listen(sv.fd[k], (void *)&me,
		    &e) < 0) || (sv.join.ngroup && mcast_only_joined(sv.fd[k],
		    (void *)&me, &e) < 0))
			neterr_die(&e);
	}
}

int
udp_server_main(const struct applet *ap, const struct alias *al,
    const char *prog, int argc, char **argv)
{
	char *operand[OPT_MAX_OPERANDS];
	struct pollfd pfd[LISTEN_MAX];
	struct sockaddr_storage me;
	const char *host = NULL;
	struct conf *cf = &sv.cf;
	int family, any_limited = 0;

	cf->c.port = BOOK_PORT;
	cf->seed = -1;
	cf->rate_limit = -1;
	if (cli_parse(ap, al, prog, argc, argv, cf, operand) > 0)
		host = operand[0];
	if (cf->seed >= 0 && cf->drop == 0)
		cli_usage_error(ap, al, prog,
		    "cannot use --seed without --drop");
	if (cf->rate_limit >= 0 && cf->no_reply)
		cli_usage_error(ap, al, prog,
		    "cannot use --rate-limit with --no-reply");
	if (cf->join_source.n && !cf->join.n)
		cli_usage_error(ap, al, prog,
		    "cannot use --join-source without --join");
	family = cli_family(ap, al, prog, &cf->c, NULL, NULL);
	join_check(ap, al, prog, &cf->join, &cf->join_source, cf->iface,
	    family, &sv.join);
	/* With groups and no operand, the groups alone. */
	if (host || !sv.join.ngroup)
		host = cli_listen_word(ap, al, prog, host, family,
		    cf->iface != NULL);
	rng_seed(&sv.rng, cf->seed);
	open_sockets(host, family);
	err_at_exit(summary);
	for (int k = 0; k < sv.nfd; k++) {
		net_sockname(sv.fd[k], &me);
		/* Replies that could be aimed at a spoofed victim: limited. */
		sv.limited[k] = cf->rate_limit > 0 || (cf->rate_limit < 0 &&
		    !net_is_loopback((struct sockaddr *)&me));
		any_limited |= sv.limited[k];
		OUT("listening", cf->no_reply ?
		    "Listening for datagrams at {}" : "Listening at {}",
		    OF_ADDR("address", &me));
		pfd[k].fd = sv.fd[k];
		pfd[k].events = POLLIN;
	}
	if (cf->rate_limit < 0)
		cf->rate_limit = RATE_DEFAULT;
	if (any_limited)
		limit_init(&sv.lim, (double)cf->rate_limit);

	/*
	 * One socket: one recvmmsg per batch.  Once a batch emptied the
	 * queue, recvmmsg itself waits for the next datagram, at most
	 * OUT_HOLD_MS (SO_RCVTIMEO, which the kernel rounds up to its tick:
	 * 4 to 8 ms at HZ=250), holding the lines over that wait; only a
	 * longer one writes them and blocks in poll.  Several: poll.  The
	 * Listening lines go out at once: a script waits for them.
	 */
	err_flush();
	if (sv.nfd == 1) {
		struct timeval tv = { 0, OUT_HOLD_MS * 1000 };

		(void)setsockopt(sv.fd[0], SOL_SOCKET, SO_RCVTIMEO, &tv,
		    sizeof(tv));
	}
	for (int r = 1; !cf->count || sv.datagrams < cf->count;) {
		long long age;

		if (sv.nfd > 1) {
			r = 0;
			for (int k = 0; k < sv.nfd; k++)
				r |= serve(k, MSG_DONTWAIT) > 0;
			if (!r)
				wait_poll(pfd, sv.nfd, -1);
			continue;
		}
		if ((age = out_age_ms()) >= OUT_AGE_MS) {
			err_flush();
			age = -1;
		}
		if (r > 0)
			r = serve(0, MSG_DONTWAIT);
		/* Nothing to hold: block in poll at once. */
		else if (age < 0 || (r = serve(0, MSG_WAITFORONE)) < 0) {
			wait_poll(pfd, 1, -1);
			r = 1;
		}
	}
	return EXIT_OK;
}

const struct applet udp_server_applet = {
	"udp-server", "[INTERFACE]",
	"answer UDP datagrams with their length (default on 127.0.0.1)",
	opts, 0, 1
};
