/* Errors and exit codes: errno as Python names it, one line written once. */
#ifndef NETDEMO_ERR_H
#define NETDEMO_ERR_H

/* SPEC §5 exit codes, plus 127 for an unknown applet. */
enum {
	EXIT_OK = 0,
	EXIT_SYSTEM = 1,
	EXIT_USAGE = 2,
	EXIT_GAVE_UP = 3,
	EXIT_UNKNOWN = 127
};

/*
 * getaddrinfo's codes travel in the same int as errno, shifted out of its
 * range, so one error path serves both: ERR_GAI(EAI_NONAME).
 */
#define ERR_GAI_BASE	100000
#define ERR_GAI(code)	(ERR_GAI_BASE - (code))
#define ERR_IS_GAI(e)	((e) > ERR_GAI_BASE / 2)

/* The program name as invoked, set once by dispatch ("tcp_sixteen"). */
extern const char *err_prog;

/* Linux/glibc wording, from our own table so every libc says the same. */
const char *err_text(int err);
/* PEP 3151's exception name: ConnectionRefusedError, ..., OSError. */
const char *err_pyname(int err);
/* The number Python shows in [Errno N]. */
int	err_number(int err);

/*
 * "PROG: WHAT: PyName: [Errno N] message" (just "PROG: WHAT" when err is 0),
 * then "PROG: hint: ..." where one helps; with --json also an error event on
 * stdout (message, exception, errno, strerror, hint; exit from die()).
 * die() flushes output and exits with status.
 */
void	die(int status, int err, const char *fmt, ...)
	    __attribute__((noreturn, format(printf, 3, 4)));
void	warn(int err, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));
/*
 * A line of our own on stderr, "PROG: TEXT" (ERR_NOTE) or "PROG: hint: TEXT"
 * (ERR_HINT); or (ERR_NEXT_HINT) the hint for the next die() or warn()
 * only, in place of the errno's own, which also travels in its error event.
 * A note is a log line an operator wants (a client refused, replies held
 * back) that is no error: nothing goes to stdout, the caller gives scripts
 * its own event.
 */
enum { ERR_NOTE, ERR_HINT, ERR_NEXT_HINT };
void	err_line(int how, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));
#define err_hint(...)		err_line(ERR_HINT, __VA_ARGS__)
#define err_note(...)		err_line(ERR_NOTE, __VA_ARGS__)
#define err_next_hint(...)	err_line(ERR_NEXT_HINT, __VA_ARGS__)

/*
 * SIGINT and SIGTERM set a flag instead of killing us mid-write, so output
 * is flushed and the exit status is 128 + signal; SIGPIPE is ignored.
 */
void	err_signals(void);
extern volatile int err_signal;
/* Exit cleanly if a signal came. */
void	err_check_signal(void);

#endif
