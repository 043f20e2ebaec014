/* tcp-client --repeat: the sixteen-octet exchange, many times, timed. */
#include <errno.h>
#include <string.h>
#include <sys/epoll.h>
#include <unistd.h>

#include "book.h"
#include "clock.h"
#include "load.h"
#include "net.h"
#include "repeat.h"
#include "sig.h"

#define MS	LOAD_MS

enum { T_FREE, T_CONNECTING, T_READING, T_CLOSING };

struct slot {
	int		 state;
	int		 got;
	long long	 t0;
	unsigned char	 in[BOOK_SIXTEEN];
};

/*
 * The slots of a run, at most LOAD_MAX_SOCKETS (the applet's options say
 * so), and their sockets: static, so there is no allocation to fail.
 */
static struct slot slots[LOAD_MAX_SOCKETS];
static struct load_socks socks;

/* Open slot i's next connection; -1 when the system refuses at once. */
static int
tstart(struct repeat *t, int i)
{
	struct epoll_event ev = { .events = EPOLLIN | EPOLLOUT | EPOLLRDHUP |
	    EPOLLET, .data.u32 = (unsigned)i };
	struct slot *s = &slots[i];
	int fd;

	s->t0 = clock_ns();
	s->got = 0;
	fd = socket(t->to->sa_family, SOCK_STREAM | SOCK_NONBLOCK |
	    SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	if ((connect(fd, t->to, t->tolen) < 0 && errno != EINPROGRESS) ||
	    epoll_ctl(socks.ep, EPOLL_CTL_ADD, fd, &ev) < 0) {
		int err = errno;

		close(fd);
		errno = err;
		return -1;
	}
	socks.fd[i] = fd;
	s->state = T_CONNECTING;
	return 0;
}

/* Slot i's connection is over, well (err 0) or not. */
static void
tend(struct repeat *t, int i, int err)
{
	if (err) {
		t->failed++;
		t->last_err = err;
	} else
		t->done++;
	close(socks.fd[i]);
	socks.fd[i] = -1;
	slots[i].state = T_FREE;
}

/* Slot s (socket fd) after events ev: the errno that ended it, or 0. */
static int
tstep(struct slot *s, int fd, unsigned ev, struct hist *lat)
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
		hist_add(lat, clock_ns() - s->t0);
		s->state = T_CLOSING;
		/* The server's FIN came with the reply: no read to learn it. */
		if (ev & EPOLLRDHUP && r == 16)
			return -1;
	}
}

int
repeat_run(struct repeat *t, struct net_err *e)
{
	struct epoll_event evs[LOAD_EVENTS];
	struct slot *sl = slots;
	long long t0, started = 0, next_scan, limit;
	int busy = 0, rc = -1;

	if (load_start(&socks, t->parallel, e) < 0)
		return -1;
	limit = (long long)(t->timeout * 1e9);
	t0 = clock_ns();
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
			if (tstart(t, i) < 0) {
				t->failed++;
				t->last_err = errno;
				i--;
			} else
				busy++;
		}
		if (sig_caught())
			t->stopped = 1;
		if (busy == 0 || t->stopped)
			break;
		if ((n = load_wait(socks.ep, evs, next_scan, e)) < 0)
			goto done;
		for (int k = 0; k < n; k++) {
			int i = (int)evs[k].data.u32;
			int err = tstep(&sl[i], socks.fd[i], evs[k].events,
			    &t->lat);

			if (err) {
				tend(t, i, err < 0 ? 0 : err);
				busy--;
			}
		}
		if ((now = clock_ns()) < next_scan)
			continue;
		next_scan = now + 100 * MS;
		for (int i = 0; i < t->parallel && limit > 0; i++)
			if (sl[i].state != T_FREE && now - sl[i].t0 > limit) {
				tend(t, i, ETIMEDOUT);
				busy--;
			}
	}
	load_figures(clock_ns() - t0, t->done, &t->lat, &t->rate, &t->elapsed,
	    &t->p50_us, &t->p99_us);
	rc = 0;
	if (t->done == 0 && t->last_err)
		rc = net_fail(e, t->last_err, "connect to", t->to, NULL, 0);
done:
	load_stop(&socks);
	return rc;
}
