/* Errors, notes and the way out: one line written once, exit codes. */
#include <errno.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "err.h"
#include "errtab.h"
#include "out.h"
#include "sig.h"

const char *err_prog = "netdemo";

static char	 next_hint[256];
/* err_set_from()'s, for the next error event: from's family 0 when none. */
static char	 next_icmp[64];
static struct sockaddr_storage next_from;
static void	(*at_exit)(int);

/* Write one whole line to stderr in a single write, as busybox does. */
void
err_write(const char *line, size_t len)
{
	while (len > 0) {
		ssize_t n = write(STDERR_FILENO, line, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return;
		line += n;
		len -= (size_t)n;
	}
}

/*
 * "PROG: ", head ("" or "hint: ") and text as one line; a cut line still
 * ends with its \n.
 */
static void
line_write(const char *head, const char *text)
{
	char line[768];
	int n = snprintf(line, sizeof(line), "%s: %s%s\n", err_prog, head,
	    text);

	if (n < 0)
		return;
	if ((size_t)n >= sizeof(line)) {
		n = sizeof(line) - 1;
		line[n - 1] = '\n';
	}
	err_write(line, (size_t)n);
}

/* The same after what stdout holds, which came first: keep the order. */
static void
line_out(const char *head, const char *text)
{
	err_flush();
	line_write(head, text);
}

/* "WHAT: PyName: [Errno N] message", as Python words an OSError. */
static void
failure(char *buf, size_t cap, const char *what, int err)
{
	snprintf(buf, cap, "%s: %s: [Errno %d] %s", what, errtab_pyname(err),
	    errtab_number(err), errtab_text(err));
}

void
err_flush(void)
{
	char text[160];
	int e;

	if (out_flush() == 0)
		return;
	e = errno;
	/* A reader that went away (head -1) ends us quietly. */
	if (e == EPIPE)
		exit(EXIT_EPIPE);
	failure(text, sizeof(text), "write to stdout", e);
	line_write("", text);
	exit(EXIT_SYSTEM);
}

/* The error line, its hint, and with --json its event; status < 0: warn. */
static void __attribute__((format(printf, 3, 0)))
report(int status, int err, const char *fmt, va_list ap)
{
	char what[512], text[700], hint[256], icmp[sizeof(next_icmp)];
	struct sockaddr_storage from = next_from;
	const char *known = errtab_hint(err);
	struct of f[9];
	size_t nf = 0;

	vsnprintf(what, sizeof(what), fmt, ap);
	/* err_set_hint()'s, for this report only; else the errno's own. */
	memcpy(hint, next_hint, sizeof(hint));
	next_hint[0] = '\0';
	if (!hint[0] && known)
		snprintf(hint, sizeof(hint), "%s", known);
	memcpy(icmp, next_icmp, sizeof(icmp));
	next_icmp[0] = '\0';
	next_from.ss_family = 0;
	if (out_json()) {
		f[nf++] = OF_STR("message", what);
		if (err) {
			f[nf++] = OF_STR("exception", errtab_pyname(err));
			f[nf++] = OF_INT("errno", errtab_number(err));
			f[nf++] = OF_STR("strerror", errtab_text(err));
		}
		if (icmp[0])
			f[nf++] = OF_STR("icmp", icmp);
		if (from.ss_family)
			f[nf++] = OF_ADDR("from", &from);
		if (hint[0])
			f[nf++] = OF_STR("hint", hint);
		if (status >= 0)
			f[nf++] = OF_INT("exit", status);
		f[nf] = (struct of)OF_END;
		out_event("error", NULL, f);
	}
	if (err) {
		failure(text, sizeof(text), what, err);
		line_out("", text);
	} else
		line_out("", what);
	if (hint[0])
		line_out("hint: ", hint);
}

void
die(int status, int err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	report(status, err, fmt, ap);
	va_end(ap);
	err_exit(status);
}

void
warn(int err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	report(-1, err, fmt, ap);
	va_end(ap);
}

void
err_set_hint(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(next_hint, sizeof(next_hint), fmt, ap);
	va_end(ap);
}

void
err_set_from(const char *icmp, const struct sockaddr *from)
{
	snprintf(next_icmp, sizeof(next_icmp), "%s", icmp ? icmp : "");
	memset(&next_from, 0, sizeof(next_from));
	memcpy(&next_from, from, from->sa_family == AF_INET6 ?
	    sizeof(struct sockaddr_in6) : sizeof(struct sockaddr_in));
}

/* A line of err_note()'s or err_hint()'s: head, then the text. */
static void __attribute__((format(printf, 2, 0)))
note(const char *head, const char *fmt, va_list ap)
{
	char text[700];

	vsnprintf(text, sizeof(text), fmt, ap);
	line_out(head, text);
}

void
err_note(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	note("", fmt, ap);
	va_end(ap);
}

void
err_hint(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	note("hint: ", fmt, ap);
	va_end(ap);
}

void
err_at_exit(void (*fn)(int))
{
	at_exit = fn;
}

void
err_exit(int status)
{
	void (*fn)(int) = at_exit;

	/* Once: a failure inside the hook comes back through here. */
	at_exit = NULL;
	if (fn)
		fn(status);
	out_end_progress();
	err_flush();
	exit(status);
}

void
err_check_signal(void)
{
	if (sig_caught())
		err_exit(128 + sig_caught());
}
