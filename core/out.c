/* Events rendered as the book's lines or as JSON, through one buffer. */
#include <errno.h>
#include <math.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "err.h"
#include "json.h"
#include "net.h"
#include "out.h"
#include "repr.h"

/* Holds the largest single piece: a 65535-byte datagram as JSON escapes. */
#define OUT_BUF	(512 * 1024)

static char	 obuf[OUT_BUF];
static size_t	 olen;
static int	 mode_json, mode_quiet, is_tty = -1;
static int	 progress_open;		/* a \r line is on the terminal */
static long long progress_last;		/* ms, net_now_ms() */
static long long pending_since;		/* the oldest unwritten byte's time */
static void	(*at_exit)(int);

void
out_init(int json, int quiet)
{
	struct winsize ws;

	mode_json = json;
	mode_quiet = quiet;
	/* isatty() without its import: a terminal has a window size. */
	is_tty = ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0;
}

int
out_json(void)
{
	return mode_json;
}

/* Write all of buf to fd, whatever signals or a non-blocking fd do. */
static int
write_all(int fd, const char *buf, size_t len)
{
	while (len > 0) {
		ssize_t n = write(fd, buf, len);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN || errno == EWOULDBLOCK) {
				struct pollfd p = { .fd = fd, .events = POLLOUT };

				/* ppoll, not poll: one libc import less. */
				ppoll(&p, 1, NULL, NULL);
				continue;
			}
			return -1;
		}
		buf += n;
		len -= (size_t)n;
	}
	return 0;
}

void
out_flush(void)
{
	size_t len = olen;

	if (len == 0)
		return;
	olen = 0;
	if (write_all(STDOUT_FILENO, obuf, len) == 0)
		return;
	/*
	 * A reader that went away (head -1) ends us quietly.  exit(), not
	 * _exit(): nothing is registered with atexit() and no signal handler
	 * flushes, so they do the same, and exit() is imported anyway.
	 */
	if (errno == EPIPE)
		exit(OUT_EXIT_EPIPE);
	{
		char msg[128];
		int e = errno;
		int n = snprintf(msg, sizeof(msg),
		    "%s: write to stdout: %s: [Errno %d] %s\n", err_prog,
		    err_pyname(e), e,
		    err_text(e));

		if (n > 0)
			(void)write_all(STDERR_FILENO, msg, (size_t)n);
	}
	exit(1);
}

/* A pointer to at least need free bytes of the buffer. */
static char *
reserve(size_t need)
{
	if (OUT_BUF - olen < need)
		out_flush();
	if (olen == 0)
		pending_since = net_now_ms();
	return obuf + olen;
}

long long
out_age_ms(void)
{
	return olen ? net_now_ms() - pending_since : -1;
}

static void
put(const char *s, size_t n)
{
	if (n > OUT_BUF)
		n = OUT_BUF;
	memcpy(reserve(n), s, n);
	olen += n;
}

static void
puts_(const char *s)
{
	put(s, strlen(s));
}

void
out_text(const char *s)
{
	puts_(s);
}

/* Without printf: a server prints numbers per datagram. */
static void
put_int(long long i)
{
	char tmp[24], *t = tmp + sizeof(tmp);
	unsigned long long v = i < 0 ? 0 - (unsigned long long)i :
	    (unsigned long long)i;

	do
		*--t = (char)('0' + v % 10);
	while ((v /= 10) > 0);
	if (i < 0)
		*--t = '-';
	put(t, (size_t)(tmp + sizeof(tmp) - t));
}

static void
put_book_field(const struct of *f)
{
	char *d;

	switch (f->key[0]) {
	case OFK_ADDR:
		d = reserve(REPR_ADDR_MAX);
		olen += repr_addr(d, REPR_ADDR_MAX, f->v.p);
		break;
	case OFK_TEXT:
	case OFK_BYTES:
	case OFK_REPR: {
		/* A REPR is a C string; the others carry their length. */
		size_t n = f->key[0] == OFK_REPR ? strlen(f->v.p) : f[1].v.n;

		if (n > (OUT_BUF - 8) / 4)
			break;
		d = reserve(REPR_MAX(n));
		olen += f->key[0] == OFK_BYTES ? repr_bytes(d, f->v.p, n) :
		    repr_text(d, f->v.p, n);
		break;
	}
	case OFK_STR:
		puts_(f->v.p);
		break;
	case OFK_INT:
		put_int(f->v.i);
		break;
	case OFK_REAL:
		d = reserve(40);
		olen += repr_float(d, 40, f->v.d);
		break;
	}
}

static void
put_json_string(const void *p, size_t n)
{
	if (n > (OUT_BUF - 8) / 6)
		n = (OUT_BUF - 8) / 6;
	olen += json_str(reserve(JSON_STR_MAX(n)), p, n);
}

static void
put_json_cstr(const char *s)
{
	put_json_string(s, strlen(s));
}

static void
put_json_field(const struct of *f)
{
	char host[REPR_ADDR_MAX];

	put_json_cstr(f->key + 1);
	puts_(": ");
	switch (f->key[0]) {
	case OFK_ADDR:
		puts_("{\"host\": ");
		put_json_string(host, repr_host(host, sizeof(host), f->v.p));
		puts_(", \"port\": ");
		put_int(repr_port(f->v.p));
		puts_("}");
		break;
	case OFK_TEXT:
	case OFK_BYTES:
		/* Text stays readable; anything else travels as base64. */
		if (repr_is_ascii(f->v.p, f[1].v.n)) {
			put_json_string(f->v.p, f[1].v.n);
			puts_(", \"base64\": false");
		} else if (f[1].v.n <= (OUT_BUF - 8) / 2) {
			olen += json_base64(reserve(JSON_B64_MAX(f[1].v.n)),
			    f->v.p, f[1].v.n);
			puts_(", \"base64\": true");
		}
		break;
	case OFK_STR:
	case OFK_REPR:
		put_json_cstr(f->v.p);
		break;
	case OFK_REAL:
		/* JSON has no nan or inf: Python's repr is not JSON there. */
		if (!isfinite(f->v.d)) {
			puts_("null");
			break;
		}
		put_book_field(f);
		break;
	case OFK_INT:
		put_book_field(f);
		break;
	}
}

static void
close_progress(void)
{
	if (progress_open) {
		put("\n", 1);
		progress_open = 0;
	}
}

/* TEXT and BYTES hold their length in a second record. */
static size_t
records(const struct of *f)
{
	return f->key[0] == OFK_TEXT || f->key[0] == OFK_BYTES ? 2 : 1;
}

void
out_event(const char *event, const char *book, const struct of *f, size_t nf)
{
	size_t i = 0;

	/* -q keeps errors, which scripts reading JSON must still see. */
	if (mode_quiet && (!mode_json || !event || strcmp(event, "error")))
		return;
	if (mode_json) {
		if (event == NULL)
			return;
		puts_("{\"event\": ");
		put_json_cstr(event);
		for (i = 0; i < nf; i += records(&f[i])) {
			puts_(", ");
			put_json_field(&f[i]);
		}
		puts_("}\n");
		return;
	}
	if (book == NULL)
		return;
	close_progress();
	/* The text between the fields goes in runs, not byte by byte. */
	for (const char *s = book, *b; *s; s = b) {
		b = s + strcspn(s, "{");
		put(s, (size_t)(b - s));
		if (b[0] == '{' && b[1] == '}' && i < nf) {
			put_book_field(&f[i]);
			i += records(&f[i]);
			b += 2;
		} else if (b[0] == '{')
			put(b++, 1);
	}
	put("\n", 1);
}

void
out_eventv(const char *event, const char *book, const char *keys, ...)
{
	struct of f[24];	/* OF_EACH's 12 fields, two records at most */
	size_t nf = 0;
	va_list ap;

	va_start(ap, keys);
	for (; *keys; keys += strlen(keys) + 1, nf++) {
		long long x;

		f[nf].key = keys;
		if (keys[0] == OFK_REAL) {
			f[nf].v.d = va_arg(ap, double);
			continue;
		}
		/* The stores are one and the same where intptr_t is 64 bits. */
		x = va_arg(ap, long long);
		if (keys[0] == OFK_INT)
			f[nf].v.i = x;
		else if (keys[0] == OFK_LEN)
			f[nf].v.n = (size_t)x;
		else
			f[nf].v.p = (const void *)(intptr_t)x;
	}
	va_end(ap);
	out_event(event, book, f, nf);
}

void
out_counter(const char *event, const char *book, const char *key,
    long long n, int final)
{
	/* key is "\6bytes": out_progress() put the kind in front. */
	struct of f = { key, { .i = n } };

	if (mode_quiet)
		return;
	if (mode_json || !is_tty) {
		if (final && (event || !mode_json))
			out_event(event, book, &f, 1);
		return;
	}
	if (!final && progress_open && net_now_ms() - progress_last < 100)
		return;
	put("\r", 1);
	progress_open = 0;
	out_event(event, book, &f, 1);
	/* Leave the line open for the next redraw: drop out_event's \n. */
	olen--;
	progress_open = 1;
	progress_last = net_now_ms();
	if (final)
		close_progress();
	out_flush();
}

void
out_at_exit(void (*fn)(int))
{
	at_exit = fn;
}

void
out_exit(int status)
{
	void (*fn)(int) = at_exit;

	/* Once: a failure inside the hook comes back through here. */
	at_exit = NULL;
	if (fn)
		fn(status);
	close_progress();
	out_flush();
	exit(status);
}
