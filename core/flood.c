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
#include "pmtu.h"
#include "sig.h"

#define MS	LOAD_MS
/* The retransmission timeout's bounds: above loopback's scheduling hiccups. */
#define MIN_RTO	(20 * MS)
#define MAX_RTO	(1000 * MS)
/* Replies are looked at for a steady pace after this, or half the run. */
#define SETTLE	(1000 * MS)

enum { BOOK, ECHO };

/*
 * Each request of a slot is one byte longer than the last (shorter, for
 * the largest messages: gen_len), in a cycle of GENS lengths, so that an answer to an earlier one (late, or sent twice)
 * is never taken for the answer to the one out now.
 */
#define GENS	4

struct slot {
	int		 gen;		/* gen_len(gen) bytes */
	int		 waiting;	/* a request is out */
	unsigned	 owed;		/* bit g: length g timed out, unanswered */
	long long	 sent_at, deadline;
};

/*
 * The slots of a run, at most LOAD_MAX_SOCKETS (the applet's options say
 * so), and their sockets: static, so there is no allocation to fail.
 */
static struct slot slots[LOAD_MAX_SOCKETS];
static struct load_socks socks;

/* A run's state besides the slots: one run at a time. */
static struct {
	struct flood	*u;
	struct flood_tally iv;		/* the interval going on */
	char		 req[65536 + GENS];	/* len, and GENS - 1 more */
	char		 book[GENS][BOOK_REPLY_MAX];	/* the book's replies */
	long long	 t0, rto, srtt, rttvar;
	int		 out;		/* requests in flight */
	int		 draining;	/* the measured run is over */
	int		 shorter;	/* the lengths go down from len */
} run;

/*
 * The length of a request of generation g: one byte more each, or one
 * byte less each when the longer ones would not fit in a datagram (a
 * message of 65505 to 65507 bytes over IPv4).
 */
static size_t
gen_len(int g)
{
	return run.shorter ? run.u->len - (size_t)g : run.u->len + (size_t)g;
}

/* A tally with nothing in it. */
static void
tally_clear(struct flood_tally *t)
{
	memset(t, 0, sizeof(*t));
	t->refused_from = t->refused_until = -1;
}

/* The interval's counts added to the whole run's (whose rtt is kept live). */
static void
tally_fold(struct flood_tally *all, const struct flood_tally *t)
{
	all->sent += t->sent;
	all->replies += t->replies;
	all->drained += t->drained;
	all->timed_out += t->timed_out;
	all->late += t->late;
	all->copies += t->copies;
	all->refused += t->refused;
	all->errors += t->errors;
	all->odd += t->odd;
	all->book += t->book;
	all->echo += t->echo;
	all->in_flight = t->in_flight;
	if (all->refused_from < 0)
		all->refused_from = t->refused_from;
	if (t->refused_until >= 0)
		all->refused_until = t->refused_until;
}

/* The system said no to slot i's request (err); now is ns into the run. */
static void
refusal(int i, int err, long long now)
{
	struct flood_tally *t = &run.iv;

	if (err == ECONNREFUSED) {
		t->refused++;
		if (t->refused_from < 0)
			t->refused_from = now;
		t->refused_until = now;
	} else {
		t->errors++;
		run.u->last_err = err;
	}
	/* That request is over; the slot sends again at its deadline. */
	if (slots[i].waiting) {
		slots[i].waiting = 0;
		run.out--;
	}
}

/* Send slot i's next request at now. */
static void
usend(int i, long long now)
{
	struct slot *s = &slots[i];

	s->gen = (s->gen + 1) % GENS;
	/* From now on an answer of this length is the new request's. */
	s->owed &= ~(1u << s->gen);
	s->deadline = now + run.rto;
	if (send(socks.fd[i], run.req, gen_len(s->gen),
	    MSG_DONTWAIT) < 0) {
		/* A full queue is tried again at the deadline. */
		if (errno != EAGAIN && errno != ENOBUFS && errno != EINTR)
			refusal(i, errno, now - run.t0);
		return;
	}
	run.iv.sent++;
	s->sent_at = now;
	s->waiting = 1;
	run.out++;
}

/* The generation the r bytes at p answer, and their kind; -1: neither. */
static int
classify(const char *p, ssize_t r, int *kind)
{
	for (int g = 0; g < GENS; g++) {
		size_t want = gen_len(g);

		if ((size_t)r == strlen(run.book[g]) &&
		    memcmp(p, run.book[g], (size_t)r) == 0) {
			*kind = BOOK;
			return g;
		}
		/* An echo of the resend is the resend's bytes. */
		if ((size_t)r == want && memcmp(p, run.req, want) == 0) {
			*kind = ECHO;
			return g;
		}
	}
	return -1;
}

/* Jacobson's estimate of the timeout, as TCP keeps it, after rtt. */
static void
learn(long long rtt)
{
	if (run.srtt < 0) {
		run.srtt = rtt;
		run.rttvar = rtt / 2;
	} else {
		run.rttvar += (llabs(rtt - run.srtt) - run.rttvar) / 4;
		run.srtt += (rtt - run.srtt) / 8;
	}
	run.rto = run.srtt + 4 * run.rttvar;
	run.rto = run.rto < MIN_RTO ? MIN_RTO : run.rto > MAX_RTO ? MAX_RTO :
	    run.rto;
}

/* The r bytes at p came to slot i at now. */
static void
answer(int i, const char *p, ssize_t r, long long now)
{
	struct flood_tally *t = &run.iv;
	struct slot *s = &slots[i];
	int kind, g = classify(p, r, &kind);

	if (g < 0) {
		t->odd++;
		return;
	}
	if (kind == BOOK)
		t->book++;
	else
		t->echo++;
	if (g != s->gen || !s->waiting) {
		/*
		 * The first answer to a request that timed out is late.  Any
		 * other is a copy of one already counted, or so late that
		 * its length has been sent again since: that request stays
		 * lost, and its answer is not taken twice.
		 */
		if (s->owed & (1u << g)) {
			s->owed &= ~(1u << g);
			t->late++;
		} else {
			t->copies++;
		}
		return;
	}
	s->waiting = 0;
	run.out--;
	if (run.draining) {
		t->drained++;
		return;
	}
	t->replies++;
	hist_add(&t->rtt, now - s->sent_at);
	hist_add(&run.u->all.rtt, now - s->sent_at);
	cadence_add(&run.u->pace, now - run.t0);
	learn(now - s->sent_at);
	usend(i, now);
}

/* Read what came to slot i. */
static void
read_slot(int i)
{
	static char rbuf[65536];
	ssize_t r;

	while ((r = recv(socks.fd[i], rbuf, sizeof(rbuf), MSG_DONTWAIT)) >= 0 ||
	    errno == EINTR) {
		/*
		 * Read the clock per reply: the next request goes out at
		 * once, and its reply may be read in this same loop.
		 */
		if (r >= 0)
			answer(i, rbuf, r, clock_ns());
	}
	if (errno != EAGAIN && errno != EWOULDBLOCK)
		refusal(i, errno, clock_ns() - run.t0);
}

/* Time out, and send again in the other length, what is overdue. */
static void
resend_overdue(long long now)
{
	for (int i = 0; i < run.u->window; i++) {
		struct slot *s = &slots[i];

		if (now < s->deadline)
			continue;
		if (s->waiting) {
			run.iv.timed_out++;
			s->owed |= 1u << s->gen;
			s->waiting = 0;
			run.out--;
		}
		usend(i, now);
	}
}

/* The interval from from to now (ns since t0) is over: report it. */
static void
interval_end(long long from, long long now)
{
	struct flood *u = run.u;

	run.iv.in_flight = run.out;
	u->interval(u, &run.iv, from, now);
	u->intervals++;
	tally_fold(&u->all, &run.iv);
	tally_clear(&run.iv);
}

/* When the requests still out have had their time: the latest deadline. */
static long long
last_deadline(long long now)
{
	long long until = now;

	for (int i = 0; i < run.u->window; i++)
		if (slots[i].waiting && slots[i].deadline > until)
			until = slots[i].deadline;
	return until;
}

/* The sockets, connected; 0, or -1 with e filled. */
static int
connect_all(struct flood *u, struct net_err *e)
{
	for (int i = 0; i < u->window; i++) {
		struct epoll_event ev = { .events = EPOLLIN,
		    .data.u32 = (unsigned)i };
		int fd = socket(u->to->sa_family, SOCK_DGRAM | SOCK_CLOEXEC, 0);

		socks.fd[i] = fd;
		if (fd < 0 || connect(fd, u->to, u->tolen) < 0 ||
		    epoll_ctl(socks.ep, EPOLL_CTL_ADD, fd, &ev) < 0)
			return net_fail(e, errno, "connect to", u->to, NULL, 0);
	}
	return 0;
}

int
flood_run(struct flood *u, struct net_err *e)
{
	struct epoll_event evs[LOAD_EVENTS];
	long long end, until, next_scan, next_report, mark = 0, now;
	long long settle;
	int rc = -1;

	memset(slots, 0, sizeof(slots));
	run.u = u;
	run.rto = 100 * MS;
	run.srtt = -1;
	run.out = run.draining = 0;
	u->intervals = u->stopped = u->last_err = 0;
	tally_clear(&run.iv);
	tally_clear(&u->all);
	if (u->len > sizeof(run.req) - GENS)
		u->len = sizeof(run.req) - GENS;
	memcpy(run.req, u->msg, u->len);
	/* UDP's largest payload: 16 bits of length, less the headers. */
	run.shorter = u->len + GENS - 1 > (size_t)(u->to->sa_family ==
	    AF_INET6 ? PMTU_MAX6 - 40 - 8 : PMTU_MAX4 - 20 - 8);
	/* The next requests say the same, and one byte more each. */
	memset(run.req + u->len, u->len ? run.req[u->len - 1] : '.',
	    GENS - 1);
	for (int g = 0; g < GENS; g++)
		book_reply(run.book[g], gen_len(g));
	end = (long long)(u->secs * 1e9);
	settle = end / 2 < SETTLE ? end / 2 : SETTLE;
	cadence_init(&u->pace, settle);
	if (load_start(&socks, u->window, e) < 0)
		return -1;
	if (connect_all(u, e) < 0)
		goto done;
	run.t0 = clock_ns();
	end += run.t0;
	next_scan = run.t0;
	next_report = u->report_ns > 0 ? run.t0 + u->report_ns : -1;
	for (int i = 0; i < u->window; i++)
		usend(i, run.t0);
	for (until = end;;) {
		int n;

		now = clock_ns();
		if (sig_caught())
			u->stopped = 1;
		if (!run.draining && (now >= end || u->stopped)) {
			/* The measured run is over: wait for the stragglers. */
			u->ran_ns = now - run.t0;
			if (u->intervals > 0 &&
			    now - run.t0 - mark >= u->report_ns / 10)
				interval_end(mark, now - run.t0);
			run.draining = 1;
			until = u->stopped ? now : last_deadline(now);
		}
		if (run.draining && (now >= until || run.out == 0))
			break;
		if (!run.draining && next_report >= 0 && now >= next_report) {
			interval_end(mark, now - run.t0);
			mark = now - run.t0;
			while (next_report <= now)
				next_report += u->report_ns;
		}
		if (!run.draining) {
			until = next_scan < end ? next_scan : end;
			if (next_report >= 0 && next_report < until)
				until = next_report;
		}
		if ((n = load_wait(socks.ep, evs, until, e)) < 0)
			goto done;
		for (int k = 0; k < n; k++)
			read_slot((int)evs[k].data.u32);
		now = clock_ns();
		if (run.draining || now < next_scan)
			continue;
		resend_overdue(now);
		next_scan = now + (run.rto / 8 < MS ? MS : run.rto / 8);
	}
	/* What is still out either had its time or is in flight. */
	for (int i = 0; i < u->window; i++)
		if (slots[i].waiting && now >= slots[i].deadline)
			run.iv.timed_out++;
		else if (slots[i].waiting)
			run.iv.in_flight++;
	tally_fold(&u->all, &run.iv);
	rc = 0;
done:
	load_stop(&socks);
	return rc;
}
