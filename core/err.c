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

struct errrow {
	int		 err;
	const char	*pyname;	/* NULL: OSError */
	const char	*text;
	const char	*hint;
};

/*
 * Linux's numbers and glibc's wording for what a network tool meets; the
 * Python names follow PEP 3151.  The hints say what to try next.
 */
static const struct errrow errtab[] = {
	{ EPERM, "PermissionError", "Operation not permitted",
	    "a firewall rule may be refusing this" },
	{ ENOENT, "FileNotFoundError", "No such file or directory", NULL },
	{ ESRCH, "ProcessLookupError", "No such process", NULL },
	{ EINTR, "InterruptedError", "Interrupted system call", NULL },
	{ EIO, NULL, "Input/output error", NULL },
	{ EBADF, NULL, "Bad file descriptor", NULL },
	{ ECHILD, "ChildProcessError", "No child processes", NULL },
	{ EAGAIN, "BlockingIOError", "Resource temporarily unavailable", NULL },
	{ ENOMEM, NULL, "Cannot allocate memory", NULL },
	{ EACCES, "PermissionError", "Permission denied",
	    "ports below 1024 need root; try a port above 1023 with -p" },
	{ EFAULT, NULL, "Bad address", NULL },
	{ EBUSY, NULL, "Device or resource busy", NULL },
	{ EEXIST, "FileExistsError", "File exists", NULL },
	{ ENODEV, NULL, "No such device", NULL },
	{ ENOTDIR, "NotADirectoryError", "Not a directory", NULL },
	{ EISDIR, "IsADirectoryError", "Is a directory", NULL },
	{ EINVAL, NULL, "Invalid argument", NULL },
	{ ENFILE, NULL, "Too many open files in system", NULL },
	{ EMFILE, NULL, "Too many open files",
	    "raise the limit with ulimit -n" },
	{ ENOSPC, NULL, "No space left on device", NULL },
	{ EROFS, NULL, "Read-only file system", NULL },
	{ EPIPE, "BrokenPipeError", "Broken pipe", NULL },
	{ ENONET, NULL, "Machine is not on the network", NULL },
	{ EPROTO, NULL, "Protocol error", NULL },
	{ ENOTSOCK, NULL, "Socket operation on non-socket", NULL },
	{ EDESTADDRREQ, NULL, "Destination address required", NULL },
	{ EMSGSIZE, NULL, "Message too long", NULL },
	{ EPROTOTYPE, NULL, "Protocol wrong type for socket", NULL },
	{ ENOPROTOOPT, NULL, "Protocol not available", NULL },
	{ EPROTONOSUPPORT, NULL, "Protocol not supported", NULL },
	{ ESOCKTNOSUPPORT, NULL, "Socket type not supported", NULL },
	{ EOPNOTSUPP, NULL, "Operation not supported", NULL },
	{ EPFNOSUPPORT, NULL, "Protocol family not supported", NULL },
	{ EAFNOSUPPORT, NULL, "Address family not supported by protocol",
	    "this machine may have no IPv6; try -4" },
	{ EADDRINUSE, NULL, "Address already in use",
	    "another program holds that port; pick another with -p" },
	{ EADDRNOTAVAIL, NULL, "Cannot assign requested address",
	    "that address is not on any interface of this machine" },
	{ ENETDOWN, NULL, "Network is down", NULL },
	{ ENETUNREACH, NULL, "Network is unreachable",
	    "no route leads there; check the address and the routing table" },
	{ ENETRESET, NULL, "Network dropped connection on reset", NULL },
	{ ECONNABORTED, "ConnectionAbortedError",
	    "Software caused connection abort", NULL },
	{ ECONNRESET, "ConnectionResetError", "Connection reset by peer", NULL },
	{ ENOBUFS, NULL, "No buffer space available", NULL },
	{ EISCONN, NULL, "Transport endpoint is already connected", NULL },
	{ ENOTCONN, NULL, "Transport endpoint is not connected", NULL },
	{ ESHUTDOWN, "BrokenPipeError",
	    "Cannot send after transport endpoint shutdown", NULL },
	{ ETIMEDOUT, "TimeoutError", "Connection timed out",
	    "a firewall may be dropping the packets, or the host is down" },
	{ ECONNREFUSED, "ConnectionRefusedError", "Connection refused",
	    "is a server running on that port?" },
	{ EHOSTDOWN, NULL, "Host is down", NULL },
	{ EHOSTUNREACH, NULL, "No route to host",
	    "the host did not answer on its network; check the address" },
	{ EALREADY, "BlockingIOError", "Operation already in progress", NULL },
	{ EINPROGRESS, "BlockingIOError", "Operation now in progress", NULL },
	{ 0, NULL, NULL, NULL }
};

/* getaddrinfo's codes with glibc's numbers, which musl shares but for two. */
static const struct {
	int		 code;
	int		 number;
	const char	*text;
} gaitab[] = {
	{ EAI_BADFLAGS, -1, "Bad value for ai_flags" },
	{ EAI_NONAME, -2, "Name or service not known" },
	{ EAI_AGAIN, -3, "Temporary failure in name resolution" },
	{ EAI_FAIL, -4, "Non-recoverable failure in name resolution" },
	{ EAI_FAMILY, -6, "ai_family not supported" },
	{ EAI_SOCKTYPE, -7, "ai_socktype not supported" },
	{ EAI_SERVICE, -8, "Servname not supported for ai_socktype" },
	{ EAI_MEMORY, -10, "Memory allocation failure" },
	{ EAI_SYSTEM, -11, "System error" },
#ifdef EAI_NODATA
	{ EAI_NODATA, -5, "No address associated with hostname" },
#endif
#ifdef EAI_ADDRFAMILY
	{ EAI_ADDRFAMILY, -9, "Address family for hostname not supported" },
#endif
	{ 0, 0, NULL }
};

static const struct errrow *
find(int err)
{
	for (const struct errrow *r = errtab; r->err; r++)
		if (r->err == err)
			return r;
	return NULL;
}

const char *
err_text(int err)
{
	static char unknown[32];
	const struct errrow *r;

	if (ERR_IS_GAI(err)) {
		for (int i = 0; gaitab[i].text; i++)
			if (ERR_GAI(gaitab[i].code) == err)
				return gaitab[i].text;
		return "Unknown error";
	}
	if ((r = find(err)) != NULL)
		return r->text;
	snprintf(unknown, sizeof(unknown), "Unknown error %d", err);
	return unknown;
}

const char *
err_pyname(int err)
{
	const struct errrow *r;

	if (ERR_IS_GAI(err))
		return "socket.gaierror";
	r = find(err);
	return r && r->pyname ? r->pyname : "OSError";
}

int
err_number(int err)
{
	if (ERR_IS_GAI(err)) {
		for (int i = 0; gaitab[i].text; i++)
			if (ERR_GAI(gaitab[i].code) == err)
				return gaitab[i].number;
		return ERR_GAI_BASE - err;
	}
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
static void
report(int status, int err, const char *fmt, va_list ap)
{
	char what[512], line[1024], hint[256];
	const struct errrow *r = ERR_IS_GAI(err) ? NULL : find(err);
	int n;

	vsnprintf(what, sizeof(what), fmt, ap);
	hint[0] = '\0';
	if (next_hint[0]) {
		memcpy(hint, next_hint, sizeof(hint));
		next_hint[0] = '\0';
	} else if (r && r->hint)
		snprintf(hint, sizeof(hint), "%s", r->hint);
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

		f[nf++] = (struct of){ "\4message", { .p = what } };
		if (err) {
			f[nf++] = (struct of){ "\4exception",
			    { .p = err_pyname(err) } };
			f[nf++] = (struct of){ "\6errno",
			    { .i = err_number(err) } };
			f[nf++] = (struct of){ "\4strerror",
			    { .p = err_text(err) } };
		}
		if (hint[0])
			f[nf++] = (struct of){ "\4hint", { .p = hint } };
		if (status >= 0)
			f[nf++] = (struct of){ "\6exit", { .i = status } };
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
