/* tcp-client --repeat: the sixteen-octet exchange, or the handshake, timed. */
#include <errno.h>
#include <string.h>
#include <sys/epoll.h>
#include <unistd.h>

#include "book.h"
#include "clock.h"
#include "dial.h"
#include "err.h"
#include "load.h"
#include "net.h"
#include "repeat.h"
#include "repr.h"
#include "sig.h"

#define MS	LOAD_MS

enum { T_FREE, T_CONNECTING, T_READING, T_CLOSING };

struct slot {
	int		 state;
	int		 got;
	long long	 seq;
	long long	 t0, ns;	/* started; the time measured */
	unsigned char	 in[BOOK_SIXTEEN];
};

/*
 * The slots of a run, at most LOAD_MAX_SOCKETS (the applet's options say
 * so), and their sockets: static, so there is no allocation to fail.
 */
static struct slot slots[LOAD_MAX_SOCKETS];
static struct load_socks socks;
/* The counts when the report interval began. */
static long long span_done, span_failed;

/* Slot i's connection is over, well (err 0) or not; told to each(). */
static void
tend(struct repeat *t, int i, int err, int timed_out)
{
	struct slot *s = &slots[i];
	struct repeat_one one = { .seq = s->seq, .err = err, .ns = s->ns };
	int fd = socks.fd[i];

	if (err) {
		t->failed++;
		net_fail(&t->last.e, err, s->state == T_CONNECTING ?
		    "connect to" : "recv from", t->to, NULL, 0);
		t->last.timed_out = timed_out;
		t->last.got = s->got;
		dial_icmp(fd, err, &t->last.icmp);
		one.fail = &t->last;
	} else {
		t->done++;
		hist_add(&t->lat, s->ns);
		hist_add(&t->span_lat, s->ns);
		if (t->each)
			net_sockname(fd, &one.local);
	}
	if (t->each)
		t->each(t, &one);
	close(fd);
	socks.fd[i] = -1;
	s->state = T_FREE;
}

/*
 * Open slot i's connection number seq: 1 when it is under way, 0 when it
 * failed at once (tend() told), -1 with e when no socket could be made.
 */
static int
tstart(struct repeat *t, int i, long long seq, struct net_err *e)
{
	struct epoll_event ev = { .events = EPOLLIN | EPOLLOUT | EPOLLRDHUP |
	    EPOLLET, .data.u32 = (unsigned)i };
	struct slot *s = &slots[i];
	int fd;

	if ((fd = dial_socket(t->aim, t->to, e)) < 0)
		return -1;
	if (net_nonblock(fd) < 0 ||
	    epoll_ctl(socks.ep, EPOLL_CTL_ADD, fd, &ev) < 0) {
		net_fail(e, errno, "set up the event loop", NULL, NULL, 0);
		return net_abandon(fd, e);
	}
	socks.fd[i] = fd;
	s->state = T_CONNECTING;
	s->seq = seq;
	s->got = 0;
	s->t0 = clock_ns();
	if (connect(fd, t->to, t->tolen) < 0 && errno != EINPROGRESS) {
		tend(t, i, errno, 0);
		return 0;
	}
	return 1;
}

/* Slot s (socket fd) after events ev: the errno that ended it, or 0. */
static int
tstep(const struct repeat *t, struct slot *s, int fd, unsigned ev)
{
	unsigned char tmp[64];
	ssize_t r;

	if (s->state == T_CONNECTING) {
		if (ev & (EPOLLERR | EPOLLHUP)) {
			int err = 0;
			socklen_t l = sizeof(err);

			getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &l);
			return err ? err : ECONNRESET;
		}
		if (!(ev & EPOLLOUT))
			return 0;
		if (t->connect_only) {
			s->ns = clock_ns() - s->t0;
			return -1;
		}
		/* Sixteen bytes always fit an empty send buffer. */
		if (send(fd, BOOK_HELLO, BOOK_SIXTEEN, MSG_NOSIGNAL) !=
		    BOOK_SIXTEEN)
			return errno ? errno : EIO;
		s->state = T_READING;
		/* The reply cannot be here yet; its arrival is a new edge. */
		return 0;
	}
	for (;;) {
		if ((r = recv(fd, tmp, sizeof(tmp), 0)) < 0) {
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
		if (memcmp(s->in, BOOK_FAREWELL, BOOK_SIXTEEN) != 0)
			return EPROTO;
		s->ns = clock_ns() - s->t0;
		s->state = T_CLOSING;
		/* The server's FIN came with the reply: no read to learn it. */
		if (ev & EPOLLRDHUP && r == 16)
			return -1;
	}
}

/* The report interval under way is over at now: tell tick(). */
static void
span(struct repeat *t, struct load_span *p, long long now)
{
	struct repeat_span s = {
		.done = t->done - span_done,
		.failed = t->failed - span_failed,
		.lat = &t->span_lat
	};

	load_span_end(p, now, &s.start, &s.end, &s.ns);
	t->tick(t, &s);
	span_done = t->done;
	span_failed = t->failed;
	memset(&t->span_lat, 0, sizeof(t->span_lat));
}

int
repeat_run(struct repeat *t, struct net_err *e)
{
	struct epoll_event evs[LOAD_EVENTS];
	struct slot *sl = slots;
	long long t0, started = 0, next_scan, limit, step, next_start;
	struct load_span tick;
	int busy = 0, rc = -1, r;

	if (load_start(&socks, t->parallel, e) < 0)
		return -1;
	limit = (long long)(t->timeout * 1e9);
	step = (long long)(t->interval * 1e9);
	span_done = span_failed = 0;
	t0 = next_start = clock_ns();
	next_scan = t0 + 100 * MS;
	load_span_start(&tick, t->report, t0);
	for (;;) {
		long long now = clock_ns(), until;
		int n;

		/* Keep parallel exchanges going while any are left to do. */
		for (int i = 0; i < t->parallel && !t->stopped &&
		    started < t->count; i++) {
			if (sl[i].state != T_FREE)
				continue;
			if (step > 0 && now < next_start)
				break;
			/* Back to back and nobody listens: say so, once. */
			if (step == 0 && t->done == 0 &&
			    t->failed >= t->parallel)
				break;
			if ((r = tstart(t, i, ++started, e)) < 0)
				goto done;
			busy += r;
			if (step > 0)
				next_start = next_start + step > now ?
				    next_start + step : now + step;
			else if (r == 0)
				i--;	/* the slot is free again */
		}
		if (sig_caught())
			t->stopped = 1;
		if (t->stopped || (busy == 0 && (started >= t->count ||
		    step == 0)))
			break;
		until = next_scan < tick.next ? next_scan : tick.next;
		if (step > 0 && started < t->count && next_start < until)
			until = next_start;
		if ((n = load_wait(socks.ep, evs, until, e)) < 0)
			goto done;
		for (int j = 0; j < n; j++) {
			int i = (int)evs[j].data.u32;
			int err = tstep(t, &sl[i], socks.fd[i], evs[j].events);

			if (err) {
				tend(t, i, err < 0 ? 0 : err, 0);
				busy--;
			}
		}
		if ((now = clock_ns()) >= tick.next)
			span(t, &tick, now);
		if (now < next_scan)
			continue;
		next_scan = now + 100 * MS;
		/*
		 * A slot past the bound fails, unless its whole reply came
		 * and was checked: a server that keeps the connection open
		 * after it has answered has answered.
		 */
		for (int i = 0; i < t->parallel && limit > 0; i++)
			if (sl[i].state != T_FREE && now - sl[i].t0 > limit) {
				tend(t, i, sl[i].state == T_CLOSING ? 0 :
				    ETIMEDOUT, 1);
				busy--;
			}
	}
	load_figures(clock_ns() - t0, t->done, &t->lat, &t->rate, &t->elapsed,
	    &t->p50_us, &t->p99_us);
	rc = 0;
done:
	load_stop(&socks);
	return rc;
}

void
repeat_end(const struct repeat *t)
{
	char where[REPR_ADDR_MAX], what[512];

	if (!t->last.e.err)
		return;
	repr_addr(where, sizeof(where), t->to);
	if (t->each)
		die(t->done == 0 && t->last.timed_out ? EXIT_GAVE_UP :
		    EXIT_SYSTEM, 0, "%lld of %lld connections to %s failed",
		    t->failed, t->done + t->failed, where);
	if (t->done == 0 || t->last.e.err == EPROTO)
		dial_die(&t->last, t->timeout);
	dial_explain(&t->last, what, sizeof(what));
	die(EXIT_SYSTEM, t->last.e.err, "%lld of %lld exchanges with %s "
	    "failed, the last: %s", t->failed, t->done + t->failed, where,
	    what);
}
