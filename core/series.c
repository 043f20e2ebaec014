/* udp-client's requests and their answers: the book's backoff, or a series. */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>

#include "book.h"
#include "clock.h"
#include "dgram.h"
#include "load.h"
#include "net.h"
#include "out.h"
#include "series.h"
#include "sig.h"

#define NS	1000000000.0

/*
 * The requests as they leave: the message, then dots.  A message longer
 * than a datagram may be is sent all the same, for the system to refuse
 * (EMSGSIZE); none can be longer than a command line's word.
 */
static char	 req[SERIES_MSG_MAX + SERIES_SLOTS];
static unsigned char ans[SERIES_DGRAM_MAX + 1];

int
series_slots(long long count, double interval, double wait)
{
	double w = wait / interval - 1e-9;
	long long k;

	if (count <= 1)
		return 1;
	/*
	 * A request is retired before the one that takes its slot leaves:
	 * one more slot than the intervals a wait spans, rounded up, but
	 * never more than the series has requests.
	 */
	if (w >= (double)count)
		return count > SERIES_SLOTS ? SERIES_SLOTS + 1 : (int)count;
	if (w > SERIES_SLOTS)
		return SERIES_SLOTS + 1;
	k = (long long)w + (w > (double)(long long)w) + 1;
	if (k > count)
		k = count;
	return k > SERIES_SLOTS ? SERIES_SLOTS + 1 : (int)k;
}

const char *
series_check(long long count, double interval, double wait)
{
	static char msg[128];

	if (series_slots(count, interval, wait) <= SERIES_SLOTS)
		return NULL;
	snprintf(msg, sizeof(msg), "argument -W/--wait: a series waits at "
	    "most %d intervals (-i %g: --wait %g)", SERIES_SLOTS - 1,
	    interval, (SERIES_SLOTS - 1) * interval);
	return msg;
}

/* How long request seq is: the message and its place's dots. */
static size_t
req_len(const struct series *s, long long seq)
{
	return s->len + (size_t)((seq - 1) % s->places);
}

#define SLOT(s, q)	((s)->slot[(q) % SERIES_SLOTS])

void
series_start(struct series *s)
{
	long long now = clock_ns();

	s->slots = series_slots(s->count, s->interval, s->wait);
	if (s->slots > SERIES_SLOTS)
		s->slots = SERIES_SLOTS;
	if (s->len > SERIES_MSG_MAX)
		s->len = SERIES_MSG_MAX;
	memcpy(req, s->msg, s->len);
	s->places = s->count > SERIES_SLOTS ? SERIES_SLOTS :
	    s->count > 1 ? (int)s->count : 1;
	memset(req + s->len, '.', (size_t)s->places - 1);
	s->seq = s->retired = 0;
	s->next_send = now;
	s->next_report = now + (long long)(s->report * NS);
	s->attempt = 0;
	if (s->backoff[0] < 0) {
		s->backoff[0] = 0.1;
		s->backoff[1] = 2.0;
	}
	s->delay = s->backoff[0];
	s->waited = 0;
	s->done = s->reported = s->final = 0;
	s->total = s->now = (struct series_stats){ .start_ns = now };
	s->nwho = 0;
	s->absent_next = 0;
}

#define COUNT(s, f)	do {						\
	(s)->total.f++;							\
	(s)->now.f++;							\
} while (0)

/*
 * Request seq+1 (the book's backoff: request 1, again), counted as sent
 * whatever the system says: 0, or -1 with e.
 */
static int
send_next(struct series *s, long long now, struct net_err *e)
{
	long long q = s->count ? s->seq + 1 : 1;

	if (q != s->seq) {
		memset(&SLOT(s, q), 0, sizeof(SLOT(s, q)));
		s->seq = q;
	}
	SLOT(s, q).sent_ns = now;
	SLOT(s, q).deadline = s->count ? now + (long long)(s->wait * NS) :
	    s->delay > 0 ? now + (long long)(s->delay * NS) : -1;
	COUNT(s, sent);
	return dgram_send(s->d, req, req_len(s, q), e);
}

/* A group's member's index, -1 when it has not answered yet. */
static int
member(const struct series *s, const struct sockaddr_storage *from)
{
	for (int i = 0; i < s->nwho; i++)
		if (memcmp(&s->who[i], from, sizeof(*from)) == 0)
			return i;
	return -1;
}

/* Whether request q has its answer (from member who, in a group). */
static int
answered(const struct series *s, long long q, int who)
{
	if (!s->collect)
		return SLOT(s, q).answered;
	return who >= 0 && (SLOT(s, q).got[who / 64] >> (who % 64) & 1);
}

/*
 * Which waiting request an answer is for: the one whose length the
 * book's reply names, or whose bytes it echoes; when it says neither, the
 * oldest still without an answer (from that member).  0 when none waits
 * for it: late, or said twice.
 */
static long long
match(const struct series *s, size_t n, int who)
{
	long long said = book_reply_size(ans, n), place = -1;

	if (said >= (long long)s->len && said < (long long)s->len + s->places)
		place = said - (long long)s->len;
	else if (n >= s->len && n < s->len + (size_t)s->places &&
	    memcmp(ans, req, n) == 0)
		place = (long long)(n - s->len);
	for (long long q = s->retired + 1; q <= s->seq; q++) {
		if (place >= 0 && (q - 1) % s->places != place)
			continue;
		if (!answered(s, q, who) && !SLOT(s, q).failed)
			return q;
		if (place >= 0)
			return 0;
	}
	return 0;
}

/* An answer of n bytes in ans, from from: the event it makes. */
static void
take(struct series *s, size_t n, const struct sockaddr_storage *from,
    long long now, struct series_event *ev)
{
	int who = member(s, from);
	long long q = match(s, n, who);
	long long rtt;

	ev->data = ans;
	ev->len = n;
	ev->from = (const struct sockaddr *)from;
	if (q == 0) {
		ev->what = SERIES_LATE;
		COUNT(s, late);
		return;
	}
	rtt = now - SLOT(s, q).sent_ns;
	ev->what = SERIES_REPLY;
	ev->seq = q;
	ev->rtt_ms = load_round((double)rtt / 1e6, 1000);
	COUNT(s, received);
	hist_add(&s->total.rtt, rtt);
	hist_add(&s->now.rtt, rtt);
	SLOT(s, q).answered = 1;
	/* Who answered; in a group, which request too. */
	if (who < 0 && s->nwho < SERIES_RESPONDERS) {
		who = s->nwho++;
		s->who[who] = *from;
		s->first[who] = q;
	}
	if (s->collect && who >= 0)
		SLOT(s, q).got[who / 64] |= 1ULL << (who % 64);
	if (!s->count)
		s->done = 1;
}

/* An error from the socket: the request it is about (the quote's length). */
static void
failed(struct series *s, struct series_event *ev, const struct net_err *e)
{
	ev->what = SERIES_ERROR;
	ev->seq = s->seq;
	for (long long q = s->retired + 1; q <= s->seq; q++)
		if (s->d->quoted == req_len(s, q) && !SLOT(s, q).failed) {
			ev->seq = q;
			break;
		}
	if (ev->seq > 0)
		SLOT(s, ev->seq).failed = 1;
	COUNT(s, errors);
	s->last_err = *e;
	s->last_icmp = s->d->icmp;
	if (!s->count)
		s->done = 1;
}

/*
 * The oldest waiting request is done: answered (one host), failed, or its
 * wait over.  What it missed, one a call: 1 with ev, else 0.
 */
static int
expire(struct series *s, long long now, struct series_event *ev)
{
	long long q;

	while ((q = s->retired + 1) <= s->seq) {
		if (!s->collect && (SLOT(s, q).answered || SLOT(s, q).failed)) {
			s->retired = q;
			continue;
		}
		if (now < SLOT(s, q).deadline)
			return 0;
		ev->seq = q;
		if (!s->collect) {
			ev->what = SERIES_LOST;
			COUNT(s, lost);
			s->retired = q;
			return 1;
		}
		while (s->absent_next < s->nwho) {
			int i = s->absent_next++;

			if (s->first[i] < q && !answered(s, q, i)) {
				ev->what = SERIES_ABSENT;
				ev->from = (const struct sockaddr *)&s->who[i];
				COUNT(s, lost);
				return 1;
			}
		}
		s->absent_next = 0;
		s->retired = q;
	}
	return 0;
}

/* The interval that ends at end (ns): shown, and a new one begun. */
static void
interval(struct series *s, long long end, struct series_event *ev)
{
	s->now.end_ns = end;
	s->shown = s->now;
	s->now = (struct series_stats){ .start_ns = end };
	s->reported++;
	ev->what = SERIES_INTERVAL;
	ev->stats = &s->shown;
}

/*
 * The end: the last, partial, interval first, when intervals were
 * reported and it saw anything; then SERIES_DONE.
 */
static int
finish(struct series *s, long long now, struct series_event *ev)
{
	const struct series_stats *n = &s->now;

	if (!s->done) {
		s->done = 1;
		dgram_drain_watch(s->d);
	}
	if (!s->final) {
		s->total.end_ns = now;
		/* Only a series that reports as it goes has made reports. */
		if (s->reported && (n->sent || n->received || n->lost ||
		    n->late || n->errors)) {
			s->final = 1;
			interval(s, now, ev);
			return 1;
		}
	}
	s->final = 2;
	ev->what = SERIES_DONE;
	return 1;
}

/* The book's backoff: the first send, or a wait over: again, or the end. */
static int
back_off(struct series *s, long long now, struct series_event *ev,
    struct net_err *e)
{
	if (s->attempt > 0) {
		if (SLOT(s, 1).deadline < 0 || now < SLOT(s, 1).deadline)
			return 0;
		s->waited += s->delay;
		s->delay *= 2;
		if (s->delay > s->backoff[1])
			return finish(s, now, ev);
	}
	if (send_next(s, now, e) < 0) {
		failed(s, ev, e);
		return 1;
	}
	s->attempt++;
	if (s->delay <= 0)
		return 0;
	ev->what = SERIES_WAITING;
	ev->attempt = s->attempt;
	ev->delay = s->delay;
	return 1;
}

/* Whatever is due at now, as one event: 1, or 0 when nothing is. */
static int
due(struct series *s, long long now, struct series_event *ev,
    struct net_err *e)
{
	if (!s->count)
		return back_off(s, now, ev, e);
	if (expire(s, now, ev))
		return 1;
	if (s->report > 0 && now >= s->next_report) {
		/* At most one a millisecond; those a slow machine missed go. */
		long long step = (long long)(s->report * NS);

		interval(s, s->next_report, ev);
		if (step < 1000000)
			step = 1000000;
		do
			s->next_report += step;
		while (s->next_report <= now);
		return 1;
	}
	if (s->seq < s->count && now >= s->next_send &&
	    s->seq - s->retired < s->slots) {
		/* Behind (a loaded machine): on from now, without a burst. */
		s->next_send += (long long)(s->interval * NS);
		if (s->next_send < now)
			s->next_send = now;
		if (send_next(s, now, e) < 0) {
			failed(s, ev, e);
			return 1;
		}
	}
	if (s->seq == s->count && s->retired == s->seq)
		return finish(s, now, ev);
	return 0;
}

/* When the next thing is due, in ns; -1: only an answer can come. */
static long long
next_due(const struct series *s)
{
	long long t = -1, q = s->retired + 1;

	if (q <= s->seq && SLOT(s, q).deadline >= 0)
		t = SLOT(s, q).deadline;
	if (!s->count)
		return t;
	/* A full window waits for its oldest request, not for the clock. */
	if (s->seq < s->count && s->seq - s->retired < s->slots &&
	    (t < 0 || s->next_send < t))
		t = s->next_send;
	if (s->report > 0 && (t < 0 || s->next_report < t))
		t = s->next_report;
	return t;
}

/* Wait for an answer or until t: 0, or -1 with e. */
static int
await(struct series *s, long long t, struct net_err *e)
{
	struct pollfd p[2] = { { .fd = s->d->fd, .events = POLLIN },
	    { .fd = s->d->watch, .events = POLLIN } };
	struct timespec ts;
	sigset_t old;
	int n;

	if (out_flush() < 0)
		return net_fail(e, errno, "write to stdout", NULL, NULL, 0);
	/* A SIGTERM just before the wait must still end it. */
	sig_hold(&old);
	/* Until the ms in which t falls is over: never before t. */
	n = sig_caught() ? 0 : ppoll(p, s->d->watch >= 0 ? 2 : 1,
	    clock_left(t < 0 ? -1 : (t + LOAD_MS - 1) / LOAD_MS, &ts), &old);
	sig_release(&old);
	if (n < 0 && errno != EINTR)
		return net_fail(e, errno, "wait for answers", NULL, NULL, 0);
	if (n > 0 && p[1].revents)
		dgram_drain_watch(s->d);
	return 0;
}

int
series_next(struct series *s, struct series_event *ev, struct net_err *e)
{
	static struct sockaddr_storage from;
	long long now;
	size_t n;
	int r;

	memset(ev, 0, sizeof(*ev));
	for (;;) {
		if (s->final == 2)
			return 0;
		now = clock_ns();
		/* SIGINT or SIGTERM end it as ping's do, with a summary. */
		if (s->done || sig_caught())
			return finish(s, now, ev);
		/* Zeroed: members are told apart by the whole address. */
		memset(&from, 0, sizeof(from));
		r = dgram_recv(s->d, ans, sizeof(ans) - 1, &n, &from, e);
		if (r > 0) {
			take(s, n, &from, clock_ns(), ev);
			return 1;
		}
		if (r < 0) {
			failed(s, ev, e);
			return 1;
		}
		if (due(s, now, ev, e))
			return 1;
		if (await(s, next_due(s), e) < 0)
			return -1;
	}
}
