/* Errors and exit codes: errno as Python names it, one line written once. */
#include <errno.h>
#include <netdb.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "err.h"
#include "out.h"

const char *err_prog = "netdemo";
volatile int err_signal;

/*
 * Linux's numbers and glibc's wording for what a network tool meets; the
 * Python names follow PEP 3151.  The hints say what to try next.  A row:
 * errno, Python's name ("" for OSError), message, hint ("" for none).  The
 * table is expanded twice, into errnos[] and errtext[] (the row's three
 * strings end to end), so that it holds no pointer to relocate.
 */
#define ERRTAB(X) \
	X(EPERM, "PermissionError", "Operation not permitted", \
	    "a firewall rule may be refusing this") \
	X(ENOENT, "FileNotFoundError", "No such file or directory", "") \
	X(ESRCH, "ProcessLookupError", "No such process", "") \
	X(EINTR, "InterruptedError", "Interrupted system call", "") \
	X(EIO, "", "Input/output error", "") \
	X(EBADF, "", "Bad file descriptor", "") \
	X(ECHILD, "ChildProcessError", "No child processes", "") \
	X(EAGAIN, "BlockingIOError", "Resource temporarily unavailable", "") \
	X(ENOMEM, "", "Cannot allocate memory", "") \
	X(EACCES, "PermissionError", "Permission denied", \
	    "ports below 1024 need root; try a port above 1023 with -p") \
	X(EFAULT, "", "Bad address", "") \
	X(EBUSY, "", "Device or resource busy", "") \
	X(EEXIST, "FileExistsError", "File exists", "") \
	X(ENODEV, "", "No such device", "") \
	X(ENOTDIR, "NotADirectoryError", "Not a directory", "") \
	X(EISDIR, "IsADirectoryError", "Is a directory", "") \
	X(EINVAL, "", "Invalid argument", "") \
	X(ENFILE, "", "Too many open files in system", "") \
	X(EMFILE, "", "Too many open files", "raise the limit with ulimit -n") \
	X(ENOSPC, "", "No space left on device", "") \
	X(EROFS, "", "Read-only file system", "") \
	X(EPIPE, "BrokenPipeError", "Broken pipe", "") \
	X(ENONET, "", "Machine is not on the network", "") \
	X(EPROTO, "", "Protocol error", "") \
	X(ENOTSOCK, "", "Socket operation on non-socket", "") \
	X(EDESTADDRREQ, "", "Destination address required", "") \
	X(EMSGSIZE, "", "Message too long", "") \
	X(EPROTOTYPE, "", "Protocol wrong type for socket", "") \
	X(ENOPROTOOPT, "", "Protocol not available", "") \
	X(EPROTONOSUPPORT, "", "Protocol not supported", "") \
	X(ESOCKTNOSUPPORT, "", "Socket type not supported", "") \
	X(EOPNOTSUPP, "", "Operation not supported", "") \
	X(EPFNOSUPPORT, "", "Protocol family not supported", "") \
	X(EAFNOSUPPORT, "", "Address family not supported by protocol", \
	    "this machine may have no IPv6; try -4") \
	X(EADDRINUSE, "", "Address already in use", \
	    "another program holds that port; pick another with -p") \
	X(EADDRNOTAVAIL, "", "Cannot assign requested address", \
	    "that address is not on any interface of this machine") \
	X(ENETDOWN, "", "Network is down", "") \
	X(ENETUNREACH, "", "Network is unreachable", \
	    "no route leads there; check the address and the routing table") \
	X(ENETRESET, "", "Network dropped connection on reset", "") \
	X(ECONNABORTED, "ConnectionAbortedError", \
	    "Software caused connection abort", "") \
	X(ECONNRESET, "ConnectionResetError", "Connection reset by peer", "") \
	X(ENOBUFS, "", "No buffer space available", "") \
	X(EISCONN, "", "Transport endpoint is already connected", "") \
	X(ENOTCONN, "", "Transport endpoint is not connected", "") \
	X(ESHUTDOWN, "BrokenPipeError", \
	    "Cannot send after transport endpoint shutdown", "") \
	X(ETIMEDOUT, "TimeoutError", "Connection timed out", \
	    "a firewall may be dropping the packets, or the host is down") \
	X(ECONNREFUSED, "ConnectionRefusedError", "Connection refused", \
	    "is a server running on that port?") \
	X(EHOSTDOWN, "", "Host is down", "") \
	X(EHOSTUNREACH, "", "No route to host", \
	    "the host did not answer on its network; check the address") \
	X(EALREADY, "BlockingIOError", "Operation already in progress", "") \
	X(EINPROGRESS, "BlockingIOError", "Operation now in progress", "")

#define ERR_NUMBER(e, py, text, hint)	e,
#define ERR_STRINGS(e, py, text, hint)	py "\0" text "\0" hint "\0"
static const unsigned char errnos[] = { ERRTAB(ERR_NUMBER) };
static const char errtext[] = ERRTAB(ERR_STRINGS);

/*
 * getaddrinfo's codes with glibc's numbers, which musl shares but for two;
 * gaitext holds the message of -1, -2, ... in turn.
 */
static const struct {
	signed char	 code;
	signed char	 number;
} gaitab[] = {
	{ EAI_BADFLAGS, -1 },
	{ EAI_NONAME, -2 },
	{ EAI_AGAIN, -3 },
	{ EAI_FAIL, -4 },
	{ EAI_FAMILY, -6 },
	{ EAI_SOCKTYPE, -7 },
	{ EAI_SERVICE, -8 },
	{ EAI_MEMORY, -10 },
	{ EAI_SYSTEM, -11 },
#ifdef EAI_NODATA
	{ EAI_NODATA, -5 },
#endif
#ifdef EAI_ADDRFAMILY
	{ EAI_ADDRFAMILY, -9 },
#endif
};
static const char gaitext[] =
	"Bad value for ai_flags\0"
	"Name or service not known\0"
	"Temporary failure in name resolution\0"
	"Non-recoverable failure in name resolution\0"
	"No address associated with hostname\0"
	"ai_family not supported\0"
	"ai_socktype not supported\0"
	"Servname not supported for ai_socktype\0"
	"Address family for hostname not supported\0"
	"Memory allocation failure\0"
	"System error";

/* The string after n others in a run of them end to end. */
static const char *
skip(const char *s, int n)
{
	while (n-- > 0)
		s += strlen(s) + 1;
	return s;
}

/* The errno's row (its Python name, then message and hint), or NULL. */
static const char *
find(int err)
{
	for (size_t i = 0; i < sizeof(errnos); i++)
		if (errnos[i] == err)
			return skip(errtext, 3 * (int)i);
	return NULL;
}

/* glibc's number for a getaddrinfo error, 0 when we do not know it. */
static int
gai_number(int err)
{
	for (size_t i = 0; i < sizeof(gaitab) / sizeof(gaitab[0]); i++)
		if (ERR_GAI(gaitab[i].code) == err)
			return gaitab[i].number;
	return 0;
}

const char *
err_text(int err)
{
	static char unknown[32];
	const char *r;

	if (ERR_IS_GAI(err)) {
		int number = gai_number(err);

		return number ? skip(gaitext, -number - 1) : "Unknown error";
	}
	if ((r = find(err)) != NULL)
		return skip(r, 1);
	snprintf(unknown, sizeof(unknown), "Unknown error %d", err);
	return unknown;
}

const char *
err_pyname(int err)
{
	const char *r;

	if (ERR_IS_GAI(err))
		return "socket.gaierror";
	r = find(err);
	return r && *r ? r : "OSError";
}

int
err_number(int err)
{
	if (ERR_IS_GAI(err))
		return gai_number(err) ? gai_number(err) : ERR_GAI_BASE - err;
	return err;
}

/* Write one whole line to stderr in a single write, as busybox does. */
static void
emit(const char *line, size_t len)
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

static char	 next_hint[256];

/* The line, its hint, and with --json the event; status < 0 for warn(). */
static void __attribute__((format(printf, 3, 0)))
report(int status, int err, const char *fmt, va_list ap)
{
	char what[512], line[1024], hint[256];
	const char *r = ERR_IS_GAI(err) ? NULL : find(err);
	int n;

	vsnprintf(what, sizeof(what), fmt, ap);
	hint[0] = '\0';
	if (next_hint[0]) {
		memcpy(hint, next_hint, sizeof(hint));
		next_hint[0] = '\0';
	} else if (r)
		snprintf(hint, sizeof(hint), "%s", skip(r, 2));
	if (err)
		n = snprintf(line, sizeof(line), "%s: %s: %s: [Errno %d] %s\n",
		    err_prog, what, err_pyname(err), err_number(err),
		    err_text(err));
	else
		n = snprintf(line, sizeof(line), "%s: %s\n", err_prog, what);
	if (n < 0)
		return;
	if ((size_t)n >= sizeof(line))
		n = sizeof(line) - 1;
	if (out_json()) {
		struct of f[7];
		size_t nf = 0;

		f[nf++] = OF_REC_STR("message", what);
		if (err) {
			f[nf++] = OF_REC_STR("exception",
			    err_pyname(err));
			f[nf++] = OF_REC_INT("errno", err_number(err));
			f[nf++] = OF_REC_STR("strerror", err_text(err));
		}
		if (hint[0])
			f[nf++] = OF_REC_STR("hint", hint);
		if (status >= 0)
			f[nf++] = OF_REC_INT("exit", status);
		out_event("error", NULL, f, nf);
	}
	/* Whatever stdout holds came first: keep the order on a terminal. */
	out_flush();
	emit(line, (size_t)n);
	if (hint[0])
		err_hint("%s", hint);
}

void
err_line(int how, const char *fmt, ...)
{
	char text[512], line[640];
	va_list ap;
	int n;

	va_start(ap, fmt);
	vsnprintf(how == ERR_NEXT_HINT ? next_hint : text, how ==
	    ERR_NEXT_HINT ? sizeof(next_hint) : sizeof(text), fmt, ap);
	va_end(ap);
	if (how == ERR_NEXT_HINT)
		return;
	/* Whatever stdout holds came first: keep the order on a terminal. */
	out_flush();
	n = snprintf(line, sizeof(line), "%s: %s%s\n", err_prog,
	    how == ERR_HINT ? "hint: " : "", text);
	if (n > 0)
		emit(line, (size_t)n < sizeof(line) ? (size_t)n :
		    sizeof(line) - 1);
}

void
die(int status, int err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	report(status, err, fmt, ap);
	va_end(ap);
	out_exit(status);
}

void
warn(int err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	report(-1, err, fmt, ap);
	va_end(ap);
}

static void
on_signal(int sig)
{
	err_signal = sig;
}

void
err_signals(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = SIG_IGN;
	sigaction(SIGPIPE, &sa, NULL);
	/* No SA_RESTART: a blocked call returns EINTR and we can leave. */
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
}

void
err_check_signal(void)
{
	if (err_signal)
		out_exit(128 + err_signal);
}

void
err_hold_signals(sigset_t *old)
{
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	sigprocmask(SIG_BLOCK, &set, old);
	err_check_signal();
}

void
err_release_signals(const sigset_t *old)
{
	sigprocmask(SIG_SETMASK, old, NULL);
}
