/* Many TCP clients on one epoll loop: a fixed pool, a cap, idle timeouts. */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <unistd.h>

#include "clock.h"
#include "listen.h"
#include "net.h"
#include "out.h"
#include "sig.h"
#include "srv.h"

/* epoll's tag for listening socket k; clients are tagged by slot. */
#define LISTENER(k)	(UINT32_MAX - (uint32_t)(k))
#define EVENTS		64

/*
 * The descriptor kept for the day accept() finds none left: a copy of the
 * epoll one, which costs no file of its own (and no /dev in a chroot).
 */
static void
keep_spare(struct srv *s)
{
	s->spare = fcntl(s->ep, F_DUPFD_CLOEXEC, 0);
}

int
srv_init(struct srv *s, int max, double idle, const struct srv_ops *ops)
{
	/*
	 * Slots past used are free and untouched: no page of them is used
	 * before a client needs it, and a start costs no loop over them.
	 */
	*s = (struct srv){ .free_head = -1, .max = max,
	    .idle_ms = (long long)(idle * 1000),
	    .next_sweep = clock_ms() + 1000, .ops = ops };
	s->slot = calloc((size_t)max, sizeof(*s->slot));
	/* calloc says ENOMEM in errno, as epoll_create1 says its own. */
	if (!s->slot || (s->ep = epoll_create1(EPOLL_CLOEXEC)) < 0)
		return -1;
	keep_spare(s);
	return 0;
}

/*
 * Every listening socket into the epoll set (EPOLL_CTL_ADD, made
 * non-blocking first), or paused and resumed (MOD with 0, with EPOLLIN);
 * -1 at the first that fails.
 */
static int
listeners(struct srv *s, int op, unsigned events)
{
	s->paused = !events;
	for (int k = 0; k < s->nl; k++) {
		struct epoll_event ev = { .events = events,
		    .data.u32 = LISTENER(k) };

		if ((op == EPOLL_CTL_ADD && net_nonblock(s->lfd[k]) < 0) ||
		    epoll_ctl(s->ep, op, s->lfd[k], &ev) < 0)
			return -1;
	}
	return 0;
}

int
srv_listen(struct srv *s, const char *word, int family,
    struct listen_req *r, struct net_err *e)
{
	if ((s->nl = listen_open(r, word, family, LISTEN_MAX, s->lfd, e)) < 0)
		return -1;
	if (listeners(s, EPOLL_CTL_ADD, EPOLLIN) < 0)
		return net_fail(e, errno, "set up the event loop", NULL, NULL,
		    0);
	return s->nl;
}

int
srv_watch(struct srv *s, int id, unsigned events)
{
	struct epoll_event ev = { .events = events, .data.u32 = (uint32_t)id };

	if (!s->slot[id].watched) {
		s->slot[id].events = events;
		return 0;
	}
	return epoll_ctl(s->ep, EPOLL_CTL_MOD, s->slot[id].fd, &ev);
}

/* Whether -c's count is taken: the rest wait in the queue, not served. */
static int
full(const struct srv *s)
{
	return s->count && s->taken >= s->count;
}

/* Listen again after a pause: a client left, or the retry is due. */
static void
resume(struct srv *s)
{
	s->retry_ms = 0;
	if (s->spare < 0)
		keep_spare(s);
	(void)listeners(s, EPOLL_CTL_MOD, EPOLLIN);
}

void
srv_close(struct srv *s, int id)
{
	struct srv_slot *c = &s->slot[id];

	close(c->fd);
	c->fd = -1;
	c->next_free = s->free_head;
	s->free_head = id;
	s->active--;
	s->closed++;
	if (s->paused && !full(s))
		resume(s);
}

static void
take(struct srv *s, int k, int fd, const struct sockaddr_storage *peer)
{
	struct epoll_event ev = { 0 };
	struct srv_slot *c;
	int id = s->free_head >= 0 ? s->free_head : s->used < s->max ?
	    s->used : -1;

	/* Accepted and closed at once: a client never hangs in the queue. */
	if (id < 0) {
		close(fd);
		s->ops->refuse(peer, 0);
		return;
	}
	c = &s->slot[id];
	if (id == s->free_head)
		s->free_head = c->next_free;
	else
		s->used++;
	ev.data.u32 = (uint32_t)id;
	s->active++;
	s->taken++;
	c->fd = fd;
	c->listener = k;
	c->events = EPOLLIN;
	c->watched = 0;
	c->peer = *peer;
	c->last_ms = clock_ms();
	s->ops->open(id);
	/* Served and closed already, or left to wait in the epoll set. */
	if (c->fd < 0)
		return;
	ev.events = c->events;
	if (epoll_ctl(s->ep, EPOLL_CTL_ADD, fd, &ev) < 0) {
		s->ops->fail(id, errno);
		return;
	}
	c->watched = 1;
}

/*
 * What accept() says when the queue is empty or a connection died in it
 * (errno is never 0 there, so strchr() never matches the NUL).
 */
static const char quiet[] = { EAGAIN, EWOULDBLOCK, ECONNABORTED, EPROTO,
    EPERM, ENOBUFS, ENOMEM, 0 };

/* Accept until the queue is empty; out of descriptors, refuse politely. */
static void
accept_all(struct srv *s, int k)
{
	int lfd = s->lfd[k];

	for (;;) {
		struct sockaddr_storage peer;
		socklen_t len = sizeof(peer);
		int fd;

		/*
		 * -c N serves N: past them, no more are accepted, and those
		 * in the queue are reset when the server exits and closes
		 * its listener, as the book's server's would be.
		 */
		if (full(s)) {
			(void)listeners(s, EPOLL_CTL_MOD, 0);
			return;
		}
		fd = accept4(lfd, (void *)&peer, &len,
		    SOCK_NONBLOCK | SOCK_CLOEXEC);

		if (fd >= 0) {
			take(s, k, fd, &peer);
			continue;
		}
		/* A signal: srv_run() sees it before its next wait. */
		if (errno == EINTR) {
			if (sig_caught())
				return;
			continue;
		}
		if (errno == EMFILE || errno == ENFILE) {
			int err = errno;

			/*
			 * The spare descriptor makes room to take the client
			 * and close it; accept4 says EMFILE before it looks,
			 * so the queue may be empty after all.
			 */
			if (s->spare >= 0) {
				int empty;

				close(s->spare);
				fd = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);
				empty = fd < 0 && (errno == EAGAIN ||
				    errno == EWOULDBLOCK);
				if (fd >= 0)
					close(fd);
				keep_spare(s);
				if (fd >= 0) {
					s->ops->refuse(NULL, err);
					continue;
				}
				if (empty)
					return;
			}
			/*
			 * Nothing to take the client with (no spare, or the
			 * whole system is out, ENFILE, where a spare of ours
			 * frees no file): stop listening, rather than wake for
			 * it again at once, until a client leaves or a second
			 * has passed.
			 */
			(void)listeners(s, EPOLL_CTL_MOD, 0);
			s->retry_ms = clock_ms() + 1000;
			return;
		}
		if (!strchr(quiet, errno))
			s->ops->refuse(NULL, errno);
		return;
	}
}

/* The clients idle past the limit: one sweep a second at most. */
static void
sweep(struct srv *s, long long now)
{
	if (s->idle_ms <= 0 || now < s->next_sweep)
		return;
	s->next_sweep = now + 1000;
	for (int i = 0; i < s->used; i++)
		if (s->slot[i].fd >= 0 &&
		    now - s->slot[i].last_ms >= s->idle_ms)
			s->ops->expire(i);
}

int
srv_run(struct srv *s, long long count, struct net_err *e)
{
	struct epoll_event evs[EVENTS];
	sigset_t mask;

	s->count = count;
	while (!count || s->closed < count) {
		long long now = clock_ms();
		int timeout = -1, n;

		if (s->idle_ms > 0 && s->active > 0)
			timeout = s->next_sweep > now ?
			    (int)(s->next_sweep - now) : 0;
		if (s->paused && s->retry_ms > 0 && (timeout < 0 ||
		    s->retry_ms - now < timeout))
			timeout = s->retry_ms > now ? (int)(s->retry_ms - now) :
			    0;
		if (out_flush() < 0)
			return net_fail(e, errno, "write to stdout", NULL,
			    NULL, 0);
		/* A SIGTERM just before the wait must still end it. */
		sig_hold(&mask);
		n = sig_caught() ? -1 : epoll_pwait(s->ep, evs, EVENTS,
		    timeout, &mask);
		sig_release(&mask);
		if (sig_caught())
			return net_fail(e, EINTR, "wait for clients", NULL,
			    NULL, 0);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return net_fail(e, errno, "wait for clients", NULL,
			    NULL, 0);
		}
		now = clock_ms();
		for (int i = 0; i < n; i++) {
			uint32_t tag = evs[i].data.u32;

			if (tag >= LISTENER(LISTEN_MAX - 1)) {
				accept_all(s, (int)(UINT32_MAX - tag));
				continue;
			}
			if (s->slot[tag].fd < 0)
				continue;
			s->slot[tag].last_ms = now;
			s->ops->io((int)tag, evs[i].events);
		}
		sweep(s, now);
		if (s->paused && s->retry_ms > 0 && now >= s->retry_ms &&
		    !full(s))
			resume(s);
	}
	return 0;
}
