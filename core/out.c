/* Events rendered as the book's lines or as JSON, through one buffer. */
#include <errno.h>
#include <math.h>
#include <poll.h>
#include <string.h>
#include <unistd.h>

#include "clock.h"
#include "json.h"
#include "out.h"
#include "repr.h"

/* Holds the largest single piece: a 65535-byte datagram as JSON escapes. */
#define OUT_BUF	(512 * 1024)

static char	 obuf[OUT_BUF];
static size_t	 olen;
static int	 mode_json, mode_quiet, is_tty;
static int	 progress_open;		/* a \r line is on the terminal */
static long long progress_last;		/* ms, clock_ms() */
static long long pending_since;		/* the oldest unwritten byte's time */
static int	 failed;		/* the errno of a failed write, or 0 */

void
out_init(int json, int quiet)
{
	mode_json = json;
	mode_quiet = quiet;
	is_tty = isatty(STDOUT_FILENO);
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

				(void)poll(&p, 1, -1);
				continue;
			}
			return -1;
		}
		buf += n;
		len -= (size_t)n;
	}
	return 0;
}

int
out_flush(void)
{
	size_t len = olen;

	olen = 0;
	if (!failed && len > 0 && write_all(STDOUT_FILENO, obuf, len) < 0)
		failed = errno;
	/* Once stdout failed, every flush says so: the caller may act late. */
	if (failed)
		errno = failed;
	return failed ? -1 : 0;
}

/* A pointer to at least need free bytes of the buffer. */
static char *
reserve(size_t need)
{
	/* A failure here is seen again by the next out_flush() that asks. */
	if (OUT_BUF - olen < need)
		(void)out_flush();
	if (olen == 0)
		pending_since = clock_ms();
	return obuf + olen;
}

long long
out_age_ms(void)
{
	return olen ? clock_ms() - pending_since : -1;
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
put_str(const char *s)
{
	put(s, strlen(s));
}

void
out_text(const char *s)
{
	put_str(s);
}

/* Without printf: a server prints numbers per datagram. */
static void
put_int(long long i)
{
	char *d = reserve(24);
	size_t n = 0;

	if (i < 0)
		d[n++] = '-';
	olen += n + repr_uint(d + n, i < 0 ? 0 - (unsigned long long)i :
	    (unsigned long long)i);
}

/* n bytes at p as a JSON string, cut to what the buffer can hold. */
static void
put_json_string(const void *p, size_t n)
{
	if (n > (OUT_BUF - 8) / 6)
		n = (OUT_BUF - 8) / 6;
	olen += json_str(reserve(JSON_STR_MAX(n)), p, n);
}

/* Python's repr of n bytes of data: str when ASCII (as_text), else bytes. */
static void
put_repr(const void *p, size_t n, int as_text)
{
	char *d;

	if (n > (OUT_BUF - 8) / 4)
		n = (OUT_BUF - 8) / 4;
	d = reserve(REPR_MAX(n));
	olen += as_text ? repr_text(d, p, n) : repr_bytes(d, p, n);
}

/* The kinds of field, each with its book and its JSON rendering. */

static void
addr_book(const struct of *f)
{
	olen += repr_addr(reserve(REPR_ADDR_MAX), REPR_ADDR_MAX, f->v.addr);
}

static void
addr_json(const struct of *f)
{
	char host[REPR_ADDR_MAX];

	put_str("{\"host\": ");
	put_json_string(host, repr_host(host, sizeof(host), f->v.addr));
	put_str(", \"port\": ");
	put_int(repr_port(f->v.addr));
	put_str("}");
}

const struct of_kind of_addr_kind = { addr_book, addr_json };

/* A list of addresses, each as of_addr_kind shows one. */
static void
addrs_both(const struct of *f, void (*one)(const struct of *))
{
	const struct sockaddr_storage *a = f->v.data.p;

	put_str("[");
	for (size_t i = 0; i < f->v.data.n; i++) {
		struct of e = OF_ADDR(f->key, &a[i]);

		if (i > 0)
			put_str(", ");
		one(&e);
	}
	put_str("]");
}

static void
addrs_book(const struct of *f)
{
	addrs_both(f, addr_book);
}

static void
addrs_json(const struct of *f)
{
	addrs_both(f, addr_json);
}

const struct of_kind of_addrs_kind = { addrs_book, addrs_json };

static void
text_book(const struct of *f)
{
	put_repr(f->v.data.p, f->v.data.n, 1);
}

/* Text stays readable; anything else travels as base64. */
static void
data_json(const struct of *f)
{
	size_t n = f->v.data.n;

	if (repr_is_ascii(f->v.data.p, n)) {
		put_json_string(f->v.data.p, n);
		put_str(", \"base64\": false");
		return;
	}
	if (n > (OUT_BUF - 8) / 2)
		n = (OUT_BUF - 8) / 2;
	olen += json_base64(reserve(JSON_B64_MAX(n)), f->v.data.p, n);
	put_str(", \"base64\": true");
}

const struct of_kind of_text_kind = { text_book, data_json };

static void
bytes_book(const struct of *f)
{
	put_repr(f->v.data.p, f->v.data.n, 0);
}

const struct of_kind of_bytes_kind = { bytes_book, data_json };

static void
str_book(const struct of *f)
{
	put_str(f->v.s);
}

static void
str_json(const struct of *f)
{
	put_json_string(f->v.s, strlen(f->v.s));
}

const struct of_kind of_str_kind = { str_book, str_json };

static void
repr_book(const struct of *f)
{
	put_repr(f->v.s, strlen(f->v.s), 1);
}

const struct of_kind of_repr_kind = { repr_book, str_json };

static void
int_both(const struct of *f)
{
	put_int(f->v.i);
}

const struct of_kind of_int_kind = { int_both, int_both };

static void
real_book(const struct of *f)
{
	char buf[40];

	put(buf, repr_float(buf, sizeof(buf), f->v.d));
}

/* JSON has no nan or inf: Python's repr is not JSON there. */
static void
real_json(const struct of *f)
{
	if (isfinite(f->v.d))
		real_book(f);
	else
		put_str("null");
}

const struct of_kind of_real_kind = { real_book, real_json };

/* A figure with no samples behind it (NaN) says so. */
static void
measure_book(const struct of *f)
{
	if (isnan(f->v.d))
		put_str("n/a");
	else
		real_book(f);
}

const struct of_kind of_measure_kind = { measure_book, real_json };

void
out_end_progress(void)
{
	if (progress_open) {
		put("\n", 1);
		progress_open = 0;
	}
}

void
out_event(const char *event, const char *book, const struct of *f)
{
	/* -q keeps errors, which scripts reading JSON must still see. */
	if (mode_quiet && (!mode_json || !event || strcmp(event, "error")))
		return;
	if (mode_json) {
		if (event == NULL)
			return;
		put_str("{\"event\": ");
		put_json_string(event, strlen(event));
		for (; f->key; f++) {
			put_str(", ");
			put_json_string(f->key, strlen(f->key));
			put_str(": ");
			f->kind->json(f);
		}
		put_str("}\n");
		return;
	}
	if (book == NULL)
		return;
	out_end_progress();
	/* The text between the fields goes in runs, not byte by byte. */
	for (const char *s = book, *b; *s; s = b) {
		b = s + strcspn(s, "{");
		put(s, (size_t)(b - s));
		if (b[0] == '{' && b[1] == '}' && f->key) {
			f->kind->book(f);
			f++;
			b += 2;
		} else if (b[0] == '{')
			put(b++, 1);
	}
	put("\n", 1);
}

void
out_progress(const char *event, const char *book, const char *key,
    long long n, int final)
{
	const struct of f[] = { OF_INT(key, n), OF_END };

	if (mode_quiet)
		return;
	if (mode_json || !is_tty) {
		if (final && (event || !mode_json))
			out_event(event, book, f);
		return;
	}
	if (!final && progress_open && clock_ms() - progress_last < 100)
		return;
	put("\r", 1);
	progress_open = 0;
	out_event(event, book, f);
	/* Leave the line open for the next redraw: drop out_event's \n. */
	olen--;
	progress_open = 1;
	progress_last = clock_ms();
	if (final)
		out_end_progress();
	/* A failure shows at the next flush that can act on it. */
	(void)out_flush();
}
