/* tcp-client's upper-casing stream: send, read back, and say how it goes. */
#include <errno.h>
#include <limits.h>
#include <linux/sockios.h>
#include <poll.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>

#include "book.h"
#include "clock.h"
#include "err.h"
#include "load.h"
#include "net.h"
#include "repr.h"
#include "stream.h"
#include "wait.h"

/* What we send: the message over and over, from any offset mod 16. */
static char block[65536];
/*
 * What comes back.  The first STREAM_FIRST bytes stay at the front, as
 * the book's first recv() keeps them to show; later reads land after them.
 */
static unsigned char back[65536];

/* Bytes our socket holds: sent but not taken by the peer, received unread. */
static int
queued(int fd, unsigned long req)
{
	int n = 0;

	return ioctl(fd, req, &n) < 0 ? -1 : n;
}

/* EAGAIN and EINTR leave the stream as it was; any other error ends it. */
static int
failed(const struct stream *s, ssize_t n, const char *op, struct net_err *e)
{
	if (n >= 0 || errno == EAGAIN || errno == EWOULDBLOCK ||
	    errno == EINTR)
		return 0;
	net_fail(e, errno, op, (const struct sockaddr *)&s->peer, NULL, 0);
	return 1;
}

/* Send the repeated message from offset s->sent: 1 on an error. */
static int
send_some(struct stream *s, struct net_err *e)
{
	size_t off = (size_t)s->sent % 16, len = sizeof(block) - off;
	ssize_t n;

	if ((long long)len > s->total - s->sent)
		len = (size_t)(s->total - s->sent);
	n = send(s->fd, block + off, len, MSG_NOSIGNAL | MSG_DONTWAIT);
	if (failed(s, n, "send to", e))
		return 1;
	if (n > 0)
		s->sent += n;
	return 0;
}

/* Take what came back: 1 on an error. */
static int
recv_some(struct stream *s, struct net_err *e)
{
	size_t keep = s->received < STREAM_FIRST ? (size_t)s->received :
	    STREAM_FIRST;
	ssize_t n = recv(s->fd, back + keep, sizeof(back) - keep,
	    MSG_DONTWAIT);

	if (failed(s, n, "recv from", e))
		return 1;
	if (n == 0)
		s->eof = 1;
	if (n > 0)
		s->received += n;
	return 0;
}

void
stream_start(struct stream *s)
{
	for (size_t i = 0; i < sizeof(block); i += 16)
		memcpy(block + i, BOOK_UPPER_TEXT, 16);
	s->t0 = s->moved_ns = clock_ns();
	load_span_start(&s->tick, s->report, s->t0);
}

/* All sent: shut our side.  STREAM_SHUT, or STREAM_ERROR. */
static enum stream_event
shut(struct stream *s, struct net_err *e)
{
	s->shut = 1;
	if (shutdown(s->fd, SHUT_WR) < 0) {
		failed(s, -1, "shutdown to", e);
		return STREAM_ERROR;
	}
	return STREAM_SHUT;
}

/* The report interval that ends now. */
static void
span(struct stream *s, long long now)
{
	load_span_end(&s->tick, now, &s->span.start, &s->span.end,
	    &s->span.ns);
	s->span.sent = s->sent - s->span_sent;
	s->span.received = s->received - s->span_received;
	s->span_sent = s->sent;
	s->span_received = s->received;
}

/* No progress for the stall: what our buffers hold says who is stuck. */
static enum stream_event
stall(struct stream *s)
{
	s->outq = queued(s->fd, SIOCOUTQ);
	s->inq = queued(s->fd, SIOCINQ);
	s->stuck = s->shut || s->outq <= 0 ? STREAM_SILENT : s->inq > 0 ?
	    STREAM_DEADLOCK : STREAM_NOT_READING;
	return STREAM_STALL;
}

enum stream_event
stream_next(struct stream *s, struct net_err *e)
{
	for (;;) {
		long long now = clock_ns(), wait = s->tick.next - now;
		long long was = s->received, sent = s->sent;
		short ev = 0;
		int r, ms;

		if (!s->shut && s->sent == s->total)
			return shut(s, e);
		/* The first data is shown once 42 bytes (or all) are here. */
		if (s->shut && !s->shown_first && (s->eof ||
		    s->received >= STREAM_FIRST || s->received >= s->total)) {
			s->shown_first = 1;
			s->first = back;
			s->nfirst = s->received < STREAM_FIRST ?
			    (size_t)s->received : STREAM_FIRST;
			return STREAM_FIRST_DATA;
		}
		/*
		 * Done when the server has closed and all was sent: with
		 * --full-duplex it may close first, and the rest still goes,
		 * as it would without (where the end is read after the shut).
		 */
		if (s->eof && s->shut)
			return STREAM_DONE;
		if (now >= s->tick.next) {
			span(s, now);
			return STREAM_SPAN;
		}
		if (s->stall_ms >= 0) {
			long long left = s->moved_ns + s->stall_ms * 1000000LL -
			    now;

			if (left <= 0)
				return stall(s);
			if (left < wait)
				wait = left;
		}
		if (!s->shut)
			ev |= POLLOUT;
		if ((s->shut || s->full_duplex) && !s->eof)
			ev |= POLLIN;
		/* In whole ms, rounded up so that we never spin. */
		ms = wait >= (long long)INT_MAX * 1000000 ? -1 :
		    (int)((wait + 999999) / 1000000);
		r = wait_fd(s->fd, ev, ms);
		if (r & (POLLIN | POLLERR | POLLHUP) && ev & POLLIN &&
		    recv_some(s, e))
			return STREAM_ERROR;
		/* POLLOUT comes only when asked for: before the shut. */
		if (r & POLLOUT && send_some(s, e))
			return STREAM_ERROR;
		if (s->received != was || s->sent != sent || s->eof)
			s->moved_ns = clock_ns();
		if (s->sent != sent)
			return STREAM_SENT;
		if (s->shut && s->shown_first && s->received != was)
			return STREAM_RECEIVED;
	}
}

/* Why the stream is stuck (enum stream_stuck), and what to do about it. */
static const char *const explain[] = {
	"both buffers are full, the book's deadlock: we do not read while we "
	    "send, and the server stops reading while it cannot send back; "
	    "--full-duplex reads while it sends",
	"the server stopped reading, and sends nothing back",
	"the server stopped sending"
};

void
stream_die_stalled(const struct stream *s, double secs)
{
	char dur[64], peer[REPR_ADDR_MAX];

	repr_secs(dur, sizeof(dur), secs);
	err_note("no progress for %s: sent %lld of %lld bytes, received "
	    "%lld; %d bytes wait in our send buffer, %d unread in our "
	    "receive buffer", dur, s->sent, s->total, s->received, s->outq,
	    s->inq);
	err_set_hint("%s", explain[s->stuck]);
	repr_addr(peer, sizeof(peer), (const struct sockaddr *)&s->peer);
	die(EXIT_GAVE_UP, 0, "gave up after %s without progress from %s (see "
	    "--stall)", dur, peer);
}
