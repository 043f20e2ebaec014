/* Events rendered as the book's lines or as JSON, through one buffer. */
#ifndef NETDEMO_OUT_H
#define NETDEMO_OUT_H

#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

/* A field's kind; the numbers are the prefixes in the OF_ macros below. */
enum of_kind {
	OFK_ADDR = 1,	/* a socket address: tuple / {"host","port"} */
	OFK_TEXT,	/* received data: str or bytes repr / text or base64 */
	OFK_BYTES,	/* data always shown as a bytes repr */
	OFK_STR,	/* a C string, shown as is / a JSON string */
	OFK_REPR,	/* a C string shown as Python's str repr */
	OFK_INT,
	OFK_REAL,	/* Python's float repr in both */
	OFK_LEN		/* the length of the TEXT or BYTES before it */
};

/*
 * One field of an event as out_event() takes it, two words: its kind rides
 * in the first byte of its key ("\6bytes"); TEXT and BYTES take a second
 * record, kind OFK_LEN, for the length.
 */
struct of {
	const char	*key;		/* kind, then the JSON key */
	union {
		const void	*p;
		long long	 i;
		double		 d;
		size_t		 n;
	} v;
};

/*
 * A field as OUT() takes it: (kind and key, value...).  OUT() joins the
 * keys of an event into one string literal and passes the values as
 * arguments, so a call site builds no array and loads no key: about 12
 * bytes less code a field, which is most of what an event costs.  Every
 * value but a REAL travels as a long long (a pointer through OF_P()), so
 * that out_eventv() needs two kinds of va_arg(), not four; a length is a
 * field of its own ("\10"), so that each key takes one value.
 */
#define OF_P(p)		 ((long long)(intptr_t)(const void *)(p))
#define OF_ADDR(k, a)	 ("\1" k, OF_P(a))
#define OF_TEXT(k, b, l) ("\2" k "\0\10", OF_P(b), (long long)(l))
#define OF_BYTES(k, b, l) ("\3" k "\0\10", OF_P(b), (long long)(l))
#define OF_STR(k, s)	 ("\4" k, OF_P(s))
#define OF_REPR(k, s)	 ("\5" k, OF_P(s))
#define OF_INT(k, x)	 ("\6" k, (long long)(x))
#define OF_REAL(k, x)	 ("\7" k, (double)(x))

/* A record as out_event() takes it, for fields chosen at run time. */
#define OF_REC_STR(k, s) ((struct of){ "\4" k, { .p = (s) } })
#define OF_REC_INT(k, x) ((struct of){ "\6" k, { .i = (x) } })

/* The fields' keys, each ended by a NUL, and their values after a comma. */
#define OF_KEY_(k, ...)		k "\0"
#define OF_KEY(f)		OF_KEY_ f
#define OF_VAL_(k, ...)		, __VA_ARGS__
#define OF_VAL(f)		OF_VAL_ f
/* m(field) for each field, for up to 12 fields. */
#define OF_EACH(m, ...)	__VA_OPT__(OF_E1(m, __VA_ARGS__))
#define OF_E1(m, f, ...)  m(f) __VA_OPT__(OF_E2(m, __VA_ARGS__))
#define OF_E2(m, f, ...)  m(f) __VA_OPT__(OF_E3(m, __VA_ARGS__))
#define OF_E3(m, f, ...)  m(f) __VA_OPT__(OF_E4(m, __VA_ARGS__))
#define OF_E4(m, f, ...)  m(f) __VA_OPT__(OF_E5(m, __VA_ARGS__))
#define OF_E5(m, f, ...)  m(f) __VA_OPT__(OF_E6(m, __VA_ARGS__))
#define OF_E6(m, f, ...)  m(f) __VA_OPT__(OF_E7(m, __VA_ARGS__))
#define OF_E7(m, f, ...)  m(f) __VA_OPT__(OF_E8(m, __VA_ARGS__))
#define OF_E8(m, f, ...)  m(f) __VA_OPT__(OF_E9(m, __VA_ARGS__))
#define OF_E9(m, f, ...)  m(f) __VA_OPT__(OF_E10(m, __VA_ARGS__))
#define OF_E10(m, f, ...) m(f) __VA_OPT__(OF_E11(m, __VA_ARGS__))
#define OF_E11(m, f, ...) m(f) __VA_OPT__(OF_E12(m, __VA_ARGS__))
#define OF_E12(m, f, ...) m(f) __VA_OPT__(OF_TOO_MANY_FIELDS)

/* Choose the rendering once, from the common options. */
void	out_init(int json, int quiet);
int	out_json(void);

/*
 * One event.  book is the book's line, with {} where the fields go, in order
 * (fields past the last {} appear in JSON only); NULL for a JSON-only event.
 * event is NULL for a line the book prints that says nothing a script needs
 * ("Waiting to accept a new connection"): no JSON object at all.  With -q
 * only "error" events are written, and only as JSON.  Nothing is written
 * until out_flush().
 */
void	out_event(const char *event, const char *book, const struct of *f,
	    size_t nf);
/* out_event() for OUT(): keys as OF_KEY() joins them, then the values. */
void	out_eventv(const char *event, const char *book, const char *keys, ...);
#define OUT(ev, book, ...)						\
	out_eventv((ev), (book), "" OF_EACH(OF_KEY, __VA_ARGS__)	\
	    OF_EACH(OF_VAL, __VA_ARGS__))

/*
 * A counter the book redraws with \r ("  32 bytes sent").  On a terminal it
 * is redrawn at most ten times a second; elsewhere only the final value is
 * printed, as the screen would end up showing it.  event NULL: book only.
 */
void	out_counter(const char *event, const char *book, const char *key,
	    long long n, int final);
#define out_progress(ev, book, key, n, final)				\
	out_counter((ev), (book), "\6" key, (n), (final))

/* Write what is buffered; called before anything that may block. */
void	out_flush(void);
/*
 * How long the oldest unwritten line has waited, in ms; -1 when none.  A
 * busy loop may hold its lines over a short wait (OUT_HOLD_MS, which a
 * kernel timer may round up to its tick), and write them once it would
 * wait longer or they are OUT_AGE_MS old: a flood then costs no write per
 * wake-up, and a reader still sees each line within about 10 ms.
 * (udp-server does; the TCP loop measured better writing before each
 * wait: epoll_wait's short timeout costs more than the write.)
 */
long long out_age_ms(void);
#define OUT_HOLD_MS	1
#define OUT_AGE_MS	10
/* Append raw text (help, man page, completion words). */
void	out_text(const char *s);
/*
 * Flush and exit with status.  The function given to out_at_exit() runs
 * first, once, whatever the way out (the end of main, die(), a signal): a
 * server's summary event goes there.
 */
void	out_exit(int status) __attribute__((noreturn));
void	out_at_exit(void (*fn)(int status));

/* The status when stdout is gone (a reader like head -1 closed it). */
#define OUT_EXIT_EPIPE	141

#endif
