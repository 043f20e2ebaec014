/* udp-client --flood: many requests in flight, timed and counted. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <unistd.h>

#include "book.h"
#include "clock.h"
#include "flood.h"
#include "load.h"
#include "net.h"
#include "sig.h"

#define MS	LOAD_MS
/* The retransmission timeout's bounds: above loopback's scheduling hiccups. */
#define MIN_RTO	(20 * MS)
#define MAX_RTO	(1000 * MS)

struct slot {
	int		 gen;		/* 0: len bytes, 1: len + 1 */
	int		 waiting;	/* a request is out */
	long long	 sent_at, deadline;
};

/*
 * The slots of a run, at most LOAD_MAX_SOCKETS (the applet's options say
 * so), and their sockets: static, so there is no allocation to fail.
 */
static struct slot slots[LOAD_MAX_SOCKETS];
static struct load_socks socks;

/* Whether the r bytes at p are the reply text want. */
static int
matches(const char *p, ssize_t r, const char *want)
{
	return (size_t)r == strlen(want) && memcmp(p, want, (size_t)r) == 0;
}

/* Send slot i's request of its generation; 0, or -1 to retry later. */
static int
usend(struct flood *u, int i, const char *buf, long long now, long long rto)
{
	struct slot *s = &slots[i];

	s->deadline = now + rto;
	if (send(socks.fd[i], buf, u->len + (size_t)s->gen, MSG_DONTWAIT) < 0) {
		/* A full queue is tried again at the deadline. */
		if (errno != EAGAIN && errno != ENOBUFS && errno != EINTR) {
			u->errors++;
			u->last_err = errno;
		}
		s->waiting = 0;
		return -1;
	}
	u->sent++;
	s->sent_at = now;
	s->waiting = 1;
	return 0;
}

int
flood_run(struct flood *u, struct net_err *e)
{
	static char buf[65536 + 1], rbuf[65536];
	char expect[2][BOOK_REPLY_MAX];
	struct epoll_event evs[LOAD_EVENTS];
	struct slot *sl = slots;
	long long t0, end, drain_end, next_scan, rto = 100 * MS, now, ran = 0;
	long long srtt = -1, rttvar = 0;
	int rc = -1, out;

	if (u->len >= sizeof(buf) - 1)
		u->len = sizeof(buf) - 2;
	memcpy(buf, u->msg, u->len);
	/* The resend says the same, and one byte more. */
	buf[u->len] = u->len ? buf[u->len - 1] : '.';
	for (int g = 0; g < 2; g++)
		book_reply(expect[g], u->len + (size_t)g);
	if (load_start(&socks, u->window, e) < 0)
		return -1;
	for (int i = 0; i < u->window; i++) {
		struct epoll_event ev = { .events = EPOLLIN,
		    .data.u32 = (unsigned)i };
		int fd = socket(u->to->sa_family, SOCK_DGRAM | SOCK_CLOEXEC, 0);

		socks.fd[i] = fd;
		if (fd < 0 || connect(fd, u->to, u->tolen) < 0 ||
		    epoll_ctl(socks.ep, EPOLL_CTL_ADD, fd, &ev) < 0) {
			net_fail(e, errno, "connect to", u->to, NULL, 0);
			goto done;
		}
	}
	t0 = clock_ns();
	end = t0 + (long long)(u->secs * 1e9);
	drain_end = -1;
	next_scan = t0;
	for (int i = 0; i < u->window; i++)
		usend(u, i, buf, t0, rto);
	for (out = u->window;;) {
		int n;

		now = clock_ns();
		if (sig_caught())
			u->stopped = 1;
		if (drain_end < 0 && (now >= end || u->stopped)) {
			/* The measured run is over: wait for the stragglers. */
			ran = now - t0;
			drain_end = now + (u->stopped ? 0 : 2 * rto);
		}
		if (drain_end >= 0 && (now >= drain_end || out == 0))
			break;
		if ((n = load_wait(socks.ep, evs, drain_end >= 0 ? drain_end :
		    next_scan < end ? next_scan : end, e)) < 0)
			goto done;
		now = clock_ns();
		for (int k = 0; k < n; k++) {
			int i = (int)evs[k].data.u32;
			struct slot *s = &sl[i];
			ssize_t r;

			while ((r = recv(socks.fd[i], rbuf, sizeof(rbuf),
			    MSG_DONTWAIT)) >= 0 || errno == EINTR) {
				long long rtt;
				int g;

				if (r < 0)
					continue;
				/*
				 * Read the clock per reply: the next request
				 * goes out below, and its reply may be read in
				 * this same loop.
				 */
				now = clock_ns();
				rtt = now - s->sent_at;
				/* Which length the reply speaks of, if any. */
				g = matches(rbuf, r, expect[0]) ? 0 :
				    matches(rbuf, r, expect[1]) ? 1 : -1;
				if (g != s->gen || !s->waiting) {
					/* An answer to an earlier request. */
					if (g >= 0)
						u->late++;
					else
						u->odd++;
					continue;
				}
				s->waiting = 0;
				out--;
				if (drain_end >= 0) {
					u->drained++;
					continue;
				}
				u->replies++;
				hist_add(&u->rtt, rtt);
				/* Jacobson's estimate, as TCP keeps it. */
				if (srtt < 0) {
					srtt = rtt;
					rttvar = srtt / 2;
				} else {
					rttvar += (llabs(rtt - srtt) - rttvar) /
					    4;
					srtt += (rtt - srtt) / 8;
				}
				rto = srtt + 4 * rttvar;
				rto = rto < MIN_RTO ? MIN_RTO : rto > MAX_RTO ?
				    MAX_RTO : rto;
				if (usend(u, i, buf, now, rto) == 0)
					out++;
			}
			if (errno != EAGAIN && errno != EWOULDBLOCK) {
				/* ICMP said no: that request is lost. */
				u->errors++;
				u->last_err = errno;
			}
		}
		if (drain_end >= 0 || now < next_scan)
			continue;
		/* Resend, in the other length, what is overdue. */
		for (int i = 0; i < u->window; i++) {
			struct slot *s = &sl[i];

			if (now < s->deadline)
				continue;
			out -= s->waiting;
			s->gen ^= s->waiting;
			if (usend(u, i, buf, now, rto) == 0)
				out++;
		}
		next_scan = now + (rto / 8 < MS ? MS : rto / 8);
	}
	u->lost = u->sent - u->replies - u->late - u->drained;
	if (u->lost < 0)
		u->lost = 0;
	u->loss = u->sent ? load_round(100.0 * (double)u->lost /
	    (double)u->sent, 100) : 0;
	load_figures(ran, u->replies, &u->rtt, &u->rate, &u->elapsed,
	    &u->p50_us, &u->p99_us);
	rc = 0;
	if (u->replies + u->drained == 0 && u->last_err)
		rc = net_fail(e, u->last_err, "recv from", u->to, NULL, 0);
done:
	load_stop(&socks);
	return rc;
}

