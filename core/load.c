/* Load of our own: a UDP flood and repeated TCP exchanges, timed. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <unistd.h>

#include "err.h"
#include "load.h"
#include "net.h"
#include "out.h"

#define MS	1000000LL
/* The retransmission timeout's bounds: above loopback's scheduling hiccups. */
#define MIN_RTO	(20 * MS)
#define MAX_RTO	(1000 * MS)
#define EVENTS	64

/* Milliseconds to wait until ns, rounded up so that we never spin. */
static int
until(long long now, long long ns)
{
	return ns <= now ? 0 : (int)((ns - now + MS - 1) / MS);
}

void
load_hist_add(struct load_hist *h, long long ns)
{
	unsigned long long v = ns < 0 ? 0 : (unsigned long long)ns;
	int i, e;

	if (v >> 40)
		v = (1ULL << 40) - 1;
	if (v < LOAD_SUB)
		i = (int)v;
	else {
		e = 63 - __builtin_clzll(v);
		i = (e - 3) * LOAD_SUB + (int)((v >> (e - 4)) & (LOAD_SUB - 1));
	}
	h->bin[i]++;
	h->n++;
}

double
load_hist_us(const struct load_hist *h, double q)
{
	unsigned long long want = (unsigned long long)(q * (double)h->n + 0.5);
	unsigned long long seen = 0;

	if (want < 1)
		want = 1;
	for (int i = 0; i < LOAD_BINS && h->n; i++) {
		if ((seen += h->bin[i]) < want)
			continue;
		if (i < LOAD_SUB)
			return i / 1000.0;
		/*
		 * The middle of the bin: it starts at 2^e + m 2^(e-4), for
		 * e = i / LOAD_SUB + 3 and m = i % LOAD_SUB, and is 2^(e-4)
		 * wide; twice that middle is (33 + 2m) 2^(e-4).
		 */
		return (double)((33ULL + 2 * (unsigned)(i % LOAD_SUB)) <<
		    (i / LOAD_SUB - 1)) / 2000.0;
	}
	return 0;
}

/* v to 1/scale (10, 100, 1000): short for people; JSON says the same. */
static double
round_to(double v, double scale)
{
	return (double)(long long)(v * scale + 0.5) / scale;
}

/* Room for n more descriptors: raise the soft limit if need be. */
static void
make_room(int n)
{
	struct rlimit rl;
	rlim_t want = (rlim_t)n + 64;

	/* prlimit() does both getrlimit()'s and setrlimit()'s job. */
	if (prlimit(0, RLIMIT_NOFILE, NULL, &rl) < 0 || rl.rlim_cur >= want)
		return;
	rl.rlim_cur = rl.rlim_max != RLIM_INFINITY && rl.rlim_max < want ?
	    rl.rlim_max : want;
	(void)prlimit(0, RLIMIT_NOFILE, &rl, NULL);
}

/* Both engines' slots begin with their socket, -1 when there is none. */
struct uslot {
	int		 fd;
	int		 gen;		/* 0: len bytes, 1: len + 1 */
	int		 waiting;	/* a request is out */
	long long	 sent_at, deadline;
};

enum { T_FREE, T_CONNECTING, T_READING, T_CLOSING };

struct tslot {
	int		 fd;
	int		 state;
	int		 got;
	long long	 t0;
	unsigned char	 in[16];
};

/*
 * The slots of a run, at most LOAD_MAX_SOCKETS (the applets' options say
 * so): static, so there is no allocation to fail.  They start zeroed, as a
 * process makes one run (the applets keep their figures in statics too).
 */
static union {
	struct uslot	 u[LOAD_MAX_SOCKETS];
	struct tslot	 t[LOAD_MAX_SOCKETS];
} slots;

/* The socket of slot i of the TCP engine's slots, or of the UDP one's. */
static int *
slot_fd(int tcp, int i)
{
	return tcp ? &slots.t[i].fd : &slots.u[i].fd;
}

/*
 * What both engines start with: room for n descriptors, n slots without
 * sockets, an epoll set; -1 with e filled when that fails.
 */
static int
load_start(int n, int tcp, struct net_err *e)
{
	int ep;

	make_room(n);
	for (int i = 0; i < n; i++)
		*slot_fd(tcp, i) = -1;
	if ((ep = epoll_create1(EPOLL_CLOEXEC)) < 0)
		return net_fail(e, errno, "set up the event loop", NULL, NULL,
		    0);
	return ep;
}

/* What both end with: every slot's socket closed, and the set. */
static void
load_stop(int n, int tcp, int ep)
{
	for (int i = 0; i < n; i++)
		if (*slot_fd(tcp, i) >= 0)
			close(*slot_fd(tcp, i));
	close(ep);
}

/*
 * Flush, then wait until the clock reads until_ns at most.  An interrupted
 * wait comes back as one that saw nothing: the loops look at the clock and
 * at err_signal after each wait anyway.
 */
static int
load_wait(int ep, struct epoll_event *evs, long long until_ns)
{
	int n;

	out_flush();
	/* epoll_pwait, as srv.c: one libc import for both. */
	n = epoll_pwait(ep, evs, EVENTS, until(net_now_ns(), until_ns), NULL);
	return n < 0 && errno == EINTR ? 0 : n;
}

/*
 * The figures of a run of ns nanoseconds that did n things, rounded for
 * people: per second, seconds, and the median and 99th percentile in us.
 */
static void
load_figures(long long ns, long long n, const struct load_hist *h,
    long long *rate, double *elapsed, double *p50, double *p99)
{
	double secs = (double)ns / 1e9;

	*rate = (long long)((double)n / (secs > 0 ? secs : 1e-9) + 0.5);
	*elapsed = round_to(secs, 1000);
	*p50 = round_to(load_hist_us(h, 0.5), 10);
	*p99 = round_to(load_hist_us(h, 0.99), 10);
}

/* A signal ends a run early; the caller reports, then exits. */
static int
interrupted(int *stopped)
{
	if (err_signal)
		*stopped = 1;
	return *stopped;
}

/* Whether the r bytes at p are the reply text want. */
static int
matches(const char *p, ssize_t r, const char *want)
{
	return (size_t)r == strlen(want) && memcmp(p, want, (size_t)r) == 0;
}

/* Send slot s's request of its generation; 0, or -1 to retry later. */
static int
usend(struct load_udp *u, struct uslot *s, const char *buf, long long now,
    long long rto)
{
	s->deadline = now + rto;
	if (send(s->fd, buf, u->len + (size_t)s->gen, MSG_DONTWAIT) < 0) {
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
load_udp(struct load_udp *u, struct net_err *e)
{
	static char buf[65536 + 1], rbuf[65536];
	char expect[2][48];
	struct epoll_event evs[EVENTS];
	struct uslot *sl = slots.u;
	long long t0, end, drain_end, next_scan, rto = 100 * MS, now, ran = 0;
	long long srtt = -1, rttvar = 0;
	int ep, rc = -1, out;

	if (u->len >= sizeof(buf) - 1)
		u->len = sizeof(buf) - 2;
	memcpy(buf, u->msg, u->len);
	/* The resend says the same, and one byte more. */
	buf[u->len] = u->len ? buf[u->len - 1] : '.';
	for (int g = 0; g < 2; g++)
		snprintf(expect[g], sizeof(expect[g]),
		    "Your data was %zu bytes long", u->len + (size_t)g);
	if ((ep = load_start(u->window, 0, e)) < 0)
		return -1;
	for (int i = 0; i < u->window; i++) {
		struct epoll_event ev = { .events = EPOLLIN,
		    .data.u32 = (unsigned)i };

		sl[i].fd = socket(u->to->sa_family, SOCK_DGRAM | SOCK_CLOEXEC,
		    0);
		if (sl[i].fd < 0 || connect(sl[i].fd, u->to, u->tolen) < 0 ||
		    epoll_ctl(ep, EPOLL_CTL_ADD, sl[i].fd, &ev) < 0) {
			net_fail(e, errno, "connect to", u->to, NULL, 0);
			goto done;
		}
	}
	t0 = net_now_ns();
	end = t0 + (long long)(u->secs * 1e9);
	drain_end = -1;
	next_scan = t0;
	for (int i = 0; i < u->window; i++)
		usend(u, &sl[i], buf, t0, rto);
	for (out = u->window;;) {
		int n;

		now = net_now_ns();
		if (drain_end < 0 && (now >= end || interrupted(&u->stopped))) {
			/* The measured run is over: wait for the stragglers. */
			ran = now - t0;
			drain_end = now + (u->stopped ? 0 : 2 * rto);
		}
		if (drain_end >= 0 && (now >= drain_end || out == 0))
			break;
		if ((n = load_wait(ep, evs, drain_end >= 0 ? drain_end :
		    next_scan < end ? next_scan : end)) < 0) {
			net_fail(e, errno, "wait for replies from", u->to,
			    NULL, 0);
			goto done;
		}
		now = net_now_ns();
		for (int k = 0; k < n; k++) {
			struct uslot *s = &sl[evs[k].data.u32];
			ssize_t r;

			while ((r = recv(s->fd, rbuf, sizeof(rbuf),
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
				now = net_now_ns();
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
				load_hist_add(&u->rtt, rtt);
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
				if (usend(u, s, buf, now, rto) == 0)
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
			struct uslot *s = &sl[i];

			if (now < s->deadline)
				continue;
			out -= s->waiting;
			s->gen ^= s->waiting;
			if (usend(u, s, buf, now, rto) == 0)
				out++;
		}
		next_scan = now + (rto / 8 < MS ? MS : rto / 8);
	}
	u->lost = u->sent - u->replies - u->late - u->drained;
	if (u->lost < 0)
		u->lost = 0;
	u->loss = u->sent ? round_to(100.0 * (double)u->lost /
	    (double)u->sent, 100) : 0;
	load_figures(ran, u->replies, &u->rtt, &u->rate, &u->elapsed,
	    &u->p50_us, &u->p99_us);
	rc = 0;
	if (u->replies + u->drained == 0 && u->last_err)
		rc = net_fail(e, u->last_err, "recv from", u->to, NULL, 0);
done:
	load_stop(u->window, 0, ep);
	return rc;
}

static const char hello[16] = "Hi there, server";
static const char farewell[16] = "Farewell, client";

/* Open slot i's next connection; -1 when the system refuses at once. */
static int
tstart(struct load_tcp *t, struct tslot *s, int ep, int i)
{
	struct epoll_event ev = { .events = EPOLLIN | EPOLLOUT | EPOLLRDHUP |
	    EPOLLET, .data.u32 = (unsigned)i };

	s->t0 = net_now_ns();
	s->got = 0;
	s->fd = socket(t->to->sa_family, SOCK_STREAM | SOCK_NONBLOCK |
	    SOCK_CLOEXEC, 0);
	if (s->fd < 0)
		return -1;
	if ((connect(s->fd, t->to, t->tolen) < 0 && errno != EINPROGRESS) ||
	    epoll_ctl(ep, EPOLL_CTL_ADD, s->fd, &ev) < 0) {
		int err = errno;

		close(s->fd);
		s->fd = -1;
		errno = err;
		return -1;
	}
	s->state = T_CONNECTING;
	return 0;
}

/* Slot s's connection is over, well (err 0) or not. */
static void
tend(struct load_tcp *t, struct tslot *s, int err)
{
	if (err) {
		t->failed++;
		t->last_err = err;
	} else
		t->done++;
	close(s->fd);
	s->fd = -1;
	s->state = T_FREE;
}

/* Move slot s on after events ev; the errno that ended it, or 0. */
static int
tstep(struct tslot *s, unsigned ev, struct load_hist *lat)
{
	unsigned char tmp[64];
	ssize_t r;

	if (s->state == T_CONNECTING) {
		if (ev & (EPOLLERR | EPOLLHUP)) {
			int err = 0;
			socklen_t l = sizeof(err);

			getsockopt(s->fd, SOL_SOCKET, SO_ERROR, &err, &l);
			return err ? err : ECONNRESET;
		}
		if (!(ev & EPOLLOUT))
			return 0;
		/* Sixteen bytes always fit an empty send buffer. */
		if (send(s->fd, hello, 16, MSG_NOSIGNAL) != 16)
			return errno ? errno : EIO;
		s->state = T_READING;
		/* The reply cannot be here yet; its arrival is a new edge. */
		return 0;
	}
	for (;;) {
		if ((r = recv(s->fd, tmp, sizeof(tmp), 0)) < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN || errno == EWOULDBLOCK)
				return 0;
			/* A reset after the whole reply is still done. */
			return s->state == T_CLOSING ? -1 : errno;
		}
		if (r == 0)
			return s->state == T_CLOSING ? -1 : ECONNRESET;
		if (s->state == T_CLOSING || s->got + r > 16)
			return EPROTO;
		memcpy(s->in + s->got, tmp, (size_t)r);
		if ((s->got += (int)r) < 16)
			continue;
		if (memcmp(s->in, farewell, 16) != 0)
			return EPROTO;
		load_hist_add(lat, net_now_ns() - s->t0);
		s->state = T_CLOSING;
		/* The server's FIN came with the reply: no read to learn it. */
		if (ev & EPOLLRDHUP && r == 16)
			return -1;
	}
}

int
load_tcp(struct load_tcp *t, struct net_err *e)
{
	struct epoll_event evs[EVENTS];
	struct tslot *sl = slots.t;
	long long t0, started = 0, next_scan, limit;
	int ep, busy = 0, rc = -1;

	if ((ep = load_start(t->parallel, 1, e)) < 0)
		return -1;
	limit = (long long)(t->timeout * 1e9);
	t0 = net_now_ns();
	next_scan = t0 + 100 * MS;
	for (;;) {
		long long now;
		int n;

		/* Keep parallel exchanges going while any are left to do. */
		for (int i = 0; i < t->parallel && !t->stopped; i++) {
			if (sl[i].state != T_FREE || started >= t->count)
				continue;
			/* Nobody listens: say so, not count times. */
			if (t->done == 0 && t->failed >= t->parallel)
				break;
			started++;
			if (tstart(t, &sl[i], ep, i) < 0) {
				t->failed++;
				t->last_err = errno;
				i--;
			} else
				busy++;
		}
		if (busy == 0 || interrupted(&t->stopped))
			break;
		if ((n = load_wait(ep, evs, next_scan)) < 0) {
			net_fail(e, errno, "wait for", t->to, NULL, 0);
			goto done;
		}
		for (int k = 0; k < n; k++) {
			struct tslot *s = &sl[evs[k].data.u32];
			int err = tstep(s, evs[k].events, &t->lat);

			if (err) {
				tend(t, s, err < 0 ? 0 : err);
				busy--;
			}
		}
		if ((now = net_now_ns()) < next_scan)
			continue;
		next_scan = now + 100 * MS;
		for (int i = 0; i < t->parallel && limit > 0; i++)
			if (sl[i].state != T_FREE && now - sl[i].t0 > limit) {
				tend(t, &sl[i], ETIMEDOUT);
				busy--;
			}
	}
	load_figures(net_now_ns() - t0, t->done, &t->lat, &t->rate, &t->elapsed,
	    &t->p50_us, &t->p99_us);
	rc = 0;
	if (t->done == 0 && t->last_err)
		rc = net_fail(e, t->last_err, "connect to", t->to, NULL, 0);
done:
	load_stop(t->parallel, 1, ep);
	return rc;
}
