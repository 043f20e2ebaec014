/* Errors, notes and the way out: one line written once, exit codes. */
#ifndef NETDEMO_ERR_H
#define NETDEMO_ERR_H

#include <stddef.h>

struct sockaddr;

/* SPEC §5 exit codes, plus 127 for an unknown applet. */
enum {
	EXIT_OK = 0,
	EXIT_SYSTEM = 1,
	EXIT_USAGE = 2,
	EXIT_GAVE_UP = 3,
	EXIT_ELSEWHERE = 4,	/* udp-client: answers came from another address */
	EXIT_UNKNOWN = 127
};

/* The status when stdout is gone (a reader like head -1 closed it). */
#define EXIT_EPIPE	141

/* The program name as invoked, set once by dispatch ("tcp_sixteen"). */
extern const char *err_prog;

/*
 * "PROG: WHAT: PyName: [Errno N] message" (just "PROG: WHAT" when err is
 * 0), then "PROG: hint: ..." where one helps: the one err_set_hint() gave,
 * else the errno's own.  With --json also an error event on stdout
 * (message, exception, errno, strerror, hint; exit from die()).  die()
 * then leaves through err_exit(status); warn() returns.
 */
void	die(int status, int err, const char *fmt, ...)
	    __attribute__((noreturn, format(printf, 3, 4)));
void	warn(int err, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));
/* The hint for the next die() or warn() only, in place of the errno's. */
void	err_set_hint(const char *fmt, ...)
	    __attribute__((format(printf, 1, 2)));
/*
 * Who answered in the server's place, for the next die()'s or warn()'s
 * JSON error event only: "icmp", the ICMP message's name (icmp_name()),
 * when there was one, and "from", its sender, or the address datagrams
 * came back from instead of the server's (icmp NULL).  Both are copied.
 */
void	err_set_from(const char *icmp, const struct sockaddr *from);

/*
 * A line of our own on stderr: "PROG: TEXT", a log line an operator wants
 * (a client refused, replies held back) that is no error; nothing goes to
 * stdout, the caller gives scripts its own event.  err_hint() writes
 * "PROG: hint: TEXT".
 */
void	err_note(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void	err_hint(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/*
 * Flush and exit with status.  The function given to err_at_exit() runs
 * first, once, whatever the way out (the end of main, die(), a signal): a
 * server's summary event goes there.
 */
void	err_exit(int status) __attribute__((noreturn));
void	err_at_exit(void (*fn)(int status));

/*
 * Write what stdout holds; when stdout is gone, exit: quietly with
 * EXIT_EPIPE when its reader went away, else with a message and 1.
 */
void	err_flush(void);

/* Write len bytes to stderr, whole lines in a single write. */
void	err_write(const char *line, size_t len);

/* Exit cleanly (err_exit(128 + signal)) if SIGINT or SIGTERM came. */
void	err_check_signal(void);

#endif
